import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { divideRoundHalfEven } from '../money.js';
import { catalogEntries, catalogInfo, entryFromRecord } from './catalog-entries.js';
import { catalogText } from './catalog-text.js';

const repo = join(import.meta.dirname, '..', '..', '..');
const rawPath = join(repo, '..', 'shared', 'data', 'litellm_model_prices.json');
const raw = JSON.parse(readFileSync(rawPath, 'utf8')) as Record<string, Record<string, unknown>>;
const catalog = JSON.parse(catalogText) as { models: Record<string, Record<string, unknown>> };

describe('the committed catalog', () => {
  it('is exactly what scripts/build-catalog.mjs generates today from the shared price map', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'frugal-catalog-')), 'catalog-text.ts');
    const script = join(repo, 'scripts', 'build-catalog.mjs');
    const log = execFileSync(
      process.execPath,
      [script, rawPath, '--out', out, '--date', catalogInfo.generated],
      {
        encoding: 'utf8',
      },
    );
    expect(readFileSync(out, 'utf8')).toBe(
      readFileSync(join(import.meta.dirname, 'catalog-text.ts'), 'utf8'),
    );
    expect(log).toMatch(/^kept 2400 models from 89 providers: /m);
    expect(log).toMatch(/^dropped 582: .*209 mode image_generation.*28 priced per second/m);
  });

  it('records its source and generation date, and covers enough models and providers', () => {
    expect(catalogInfo.source).toMatchObject({
      repository: 'BerriAI/litellm',
      license: 'MIT',
      synced: '2026-07-24',
    });
    expect(catalogInfo.source.via).toContain('RoCry/llm-api-price@8442b939');
    expect(catalogInfo.generated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const entries = catalogEntries();
    expect(entries.length).toBe(catalogInfo.models);
    expect(entries.length).toBeGreaterThanOrEqual(1500);
    expect(new Set(entries.map((entry) => entry.provider)).size).toBeGreaterThanOrEqual(20);
    const modes = new Set(entries.map((entry) => entry.mode));
    expect([...modes].sort()).toEqual(['chat', 'completion', 'embedding', 'responses']);
  });

  it('leaves out what has no per-token price', () => {
    const ids = new Set(catalogEntries().map((entry) => entry.id));
    for (const id of ['dall-e-3', 'whisper-1', 'tts-1']) {
      expect(raw[id], id).toBeDefined();
      expect(ids.has(id), id).toBe(false);
    }
    const perSecond = Object.keys(raw).find(
      (id) => raw[id]!['mode'] === 'chat' && raw[id]!['input_cost_per_second'] !== undefined,
    );
    expect(perSecond && ids.has(perSecond)).toBe(false);
  });

  it('stores every whole-pico price exactly (checked against the raw float × 10^12, rounded)', () => {
    const fields: [catalogField: string, rawKey: string][] = [
      ['input', 'input_cost_per_token'],
      ['output', 'output_cost_per_token'],
      ['cachedInput', 'cache_read_input_token_cost'],
      ['cacheWrite', 'cache_creation_input_token_cost'],
      ['cacheWrite1h', 'cache_creation_input_token_cost_above_1hr'],
      ['reasoning', 'output_cost_per_reasoning_token'],
    ];
    const rounded = new Set(catalogInfo.rounded.map((item) => `${item.model} ${item.field}`));
    let checked = 0;
    for (const [id, record] of Object.entries(catalog.models)) {
      const info = raw[id]!;
      if (info['tiered_pricing']) continue;
      for (const [field, key] of fields) {
        const value = info[key];
        if (typeof value !== 'number' || rounded.has(`${id} ${key}`)) continue;
        expect(record[field], `${id} ${field}`).toBe(Math.round(value * 1e12));
        checked++;
      }
      const batch = record['batch'] as Record<string, number> | undefined;
      if (typeof info['input_cost_per_token_batches'] === 'number') {
        expect(batch?.['input']).toBe(Math.round((info['input_cost_per_token_batches'] as number) * 1e12));
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it('lists each non-whole-pico float artefact with its original text, rounded half to even', () => {
    expect(catalogInfo.rounded.length).toBe(31);
    for (const item of catalogInfo.rounded) {
      expect(String(raw[item.model]![item.field])).toBe(item.original);
      // Exact: the decimal text as numerator / 10^k pico-dollars (float × 1e12 would hide the artefact).
      const [mantissa = '', exponent = '0'] = item.original.split('e');
      const [whole = '', fraction = ''] = mantissa.split('.');
      const shift = Number(exponent) - fraction.length + 12;
      expect(shift).toBeLessThan(0);
      const numerator = BigInt(whole + fraction);
      const denominator = 10n ** BigInt(-shift);
      expect(numerator % denominator).not.toBe(0n);
      expect(BigInt(item.stored)).toBe(divideRoundHalfEven(numerator, denominator));
    }
    expect(catalogInfo.rounded[0]).toEqual({
      model: 'databricks/databricks-claude-3-7-sonnet',
      field: 'input_cost_per_token',
      original: '0.0000029999900000000002',
      stored: 2_999_990,
    });
  });

  it('turns records into entries with bands, tiers and batch rates', () => {
    const gpt54 = catalogEntries().find((entry) => entry.id === 'gpt-5.4');
    expect(gpt54).toMatchObject({
      kind: 'tokens',
      provider: 'openai',
      source: 'litellm:gpt-5.4',
      rates: { input: 2_500_000n, cachedInput: 250_000n, output: 15_000_000n },
      batch: { input: 1_250_000n, output: 7_500_000n },
      tiers: { priority: { input: 5_000_000n }, flex: { input: 1_250_000n } },
      bands: [
        {
          kind: 'above-threshold',
          aboveInputTokens: 272_000,
          inclusive: false,
          rates: { input: 5_000_000n },
        },
      ],
    });
    expect(() => entryFromRecord('x', { provider: 'p', mode: 'chat' })).toThrow(
      "catalog model 'x' has no input rate",
    );
    expect(() => entryFromRecord('x', { provider: 'p', mode: 'image', input: 1 })).toThrow(
      "unknown mode 'image'",
    );
  });
});
