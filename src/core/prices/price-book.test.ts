import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../errors.js';
import type { CustomPrice } from './custom-price.js';
import { defaultPriceBook } from './default-price-book.js';
import { createPriceBook, type MatchKind } from './price-book.js';
import type { PriceEntry } from './price-entry.js';

const book = defaultPriceBook();

describe('PriceBook.resolve: every spelling, and how it matched', () => {
  const cases: [requested: string, id: string, match: MatchKind][] = [
    ['gpt-4o', 'gpt-4o', 'exact'],
    ['GPT-4o', 'gpt-4o', 'case-insensitive'],
    ['  gpt-4o ', 'gpt-4o', 'exact'],
    ['openai/gpt-4o', 'gpt-4o', 'provider-prefix'],
    ['OpenAI/GPT-4O', 'gpt-4o', 'case-insensitive'],
    ['anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5', 'provider-prefix'],
    ['gpt-4o-2024-08-06', 'gpt-4o-2024-08-06', 'exact'],
    ['gpt-4o-2099-01-01', 'gpt-4o', 'snapshot-base'],
    ['openai/gpt-4o-2099-01-01', 'gpt-4o', 'snapshot-base'],
    ['claude-sonnet-4-5-20991231', 'claude-sonnet-4-5', 'snapshot-base'],
    ['gpt-4-0613', 'gpt-4-0613', 'exact'],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'exact'],
    [
      'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'provider-prefix',
    ],
    [
      'bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0',
      'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
      'provider-prefix',
    ],
    [
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'exact',
    ],
    [
      'jp.anthropic.claude-3-5-sonnet-20240620-v1:0',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'region-prefix',
    ],
    [
      'bedrock/jp.anthropic.claude-3-5-sonnet-20240620-v1:0',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'region-prefix',
    ],
    ['vertex_ai/claude-sonnet-4-5@20250929', 'vertex_ai/claude-sonnet-4-5@20250929', 'exact'],
    ['vertex_ai/claude-sonnet-4-5@20991231', 'vertex_ai/claude-sonnet-4-5', 'snapshot-base'],
    ['vertex_ai/gemini-2.5-pro', 'gemini-2.5-pro', 'provider-prefix'],
    ['gemini/gemini-2.5-pro', 'gemini/gemini-2.5-pro', 'exact'],
    ['azure/gpt-4o', 'azure/gpt-4o', 'exact'],
    ['azure/eu/gpt-4o-2024-08-06', 'azure/eu/gpt-4o-2024-08-06', 'exact'],
    ['openrouter/anthropic/claude-sonnet-4.5', 'openrouter/anthropic/claude-sonnet-4.5', 'exact'],
    ['text-embedding-3-small', 'text-embedding-3-small', 'exact'],
  ];
  it.each(cases)('%s → %s (%s)', (requested, id, match) => {
    const resolution = book.resolve(requested);
    expect(resolution).toMatchObject({ status: 'found', id, match });
    expect(resolution.status === 'found' && resolution.note.length).toBeGreaterThan(0);
  });

  it('says what it did to the name', () => {
    expect(book.resolve('bedrock/jp.anthropic.claude-3-5-sonnet-20240620-v1:0')).toMatchObject({
      note: "provider prefix 'bedrock/' removed; region prefix 'jp.' removed",
    });
    expect(book.resolve('gpt-4o-2099-01-01')).toMatchObject({
      note: "no snapshot 'gpt-4o-2099-01-01' is priced; using its undated base 'gpt-4o'",
    });
  });

  it('does not take a prefix that names another provider', () => {
    expect(book.resolve('anthropic/gpt-4o')).toMatchObject({ status: 'unpriced', reason: 'unknown-model' });
    expect(book.resolve('openrouter/openai/no-such-model')).toMatchObject({ status: 'unpriced' });
  });

  it('refuses a malformed date', () => {
    expect(() => book.resolve('gpt-4o', { on: '2026-13-01' })).toThrow(UsageError);
    expect(() => book.resolve('gpt-4o', { on: 'yesterday' })).toThrow(
      "date must be YYYY-MM-DD, got 'yesterday'",
    );
  });
});

describe('PriceBook: unknown models are unpriced with close names', () => {
  const cases: [typo: string, firstSuggestion: RegExp][] = [
    ['gpt4o', /^gpt-4o$/],
    ['gpt-4o-mni', /^gpt-4o-mini$/],
    ['claude-sonet-4', /^claude-sonnet-4-/],
    ['claude-sonnet-4', /^claude-sonnet-4-/],
    ['gemini-pro-2.5', /gemini-2\.5-pro$/],
    ['deepseek-chatt', /^deepseek-chat$/],
    ['text-embeding-3-small', /^text-embedding-3-small$/],
  ];
  it.each(cases)('%s → %s', (typo, first) => {
    const resolution = book.resolve(typo);
    if (resolution.status !== 'unpriced') throw new Error(`'${typo}' resolved to ${resolution.id}`);
    expect(resolution.reason).toBe('unknown-model');
    expect(resolution.suggestions[0]).toMatch(first);
    expect(resolution.message).toContain(
      `no price for model '${typo}'; did you mean '${resolution.suggestions[0]}'`,
    );
  });

  it('suggests nothing for a name like no model', () => {
    expect(book.resolve('zzqqxx-9000')).toMatchObject({ status: 'unpriced', suggestions: [] });
    expect(book.resolve('')).toMatchObject({ status: 'unpriced', suggestions: [] });
  });

  it('ranks search results containing the text first', () => {
    const hits = book.search('sonnet-4-5', 5).map((hit) => hit.id);
    expect(hits[0]).toBe('claude-sonnet-4-5');
    expect(hits.every((id) => id.includes('sonnet-4-5'))).toBe(true);
  });
});

const entry = (id: string, input: bigint, effectiveFrom?: string): PriceEntry => ({
  kind: 'tokens',
  id,
  provider: 'test',
  mode: 'chat',
  source: `test:${id}@${effectiveFrom ?? 'always'}`,
  rates: { input, output: input },
  batch: {},
  tiers: {},
  bands: [],
  ...(effectiveFrom === undefined ? {} : { effectiveFrom }),
});

describe('PriceBook: price history', () => {
  const history = createPriceBook([
    entry('m', 3n, '2025-06-01'),
    entry('m', 1n),
    entry('m', 2n, '2025-01-01'),
  ]);
  const cases: [on: string | undefined, input: bigint][] = [
    ['2024-12-31', 1n],
    ['2025-01-01', 2n],
    ['2025-05-31', 2n],
    ['2025-06-01', 3n],
    ['2030-01-01', 3n],
    [undefined, 3n],
  ];
  it.each(cases)('on %s the input rate is %s', (on, input) => {
    const resolution = history.resolve('m', { on });
    expect(
      resolution.status === 'found' && resolution.entry.kind === 'tokens' && resolution.entry.rates.input,
    ).toBe(input);
  });

  it('keeps history oldest first and says when nothing was in force yet', () => {
    expect(history.history('m').map((e) => e.effectiveFrom)).toEqual([undefined, '2025-01-01', '2025-06-01']);
    const dated = createPriceBook([entry('d', 1n, '2025-01-01')]);
    expect(dated.resolve('d', { on: '2024-01-01' })).toMatchObject({
      status: 'unpriced',
      reason: 'no-price-on-date',
      message: "no price for 'd' in force on 2024-01-01 (the earliest starts 2025-01-01)",
    });
  });
});

describe('PriceBook.withPrices: config overrides and custom models win', () => {
  const price = (
    model: string,
    input: bigint,
    path: string,
    extra: Partial<CustomPrice> = {},
  ): CustomPrice => ({
    model,
    origin: { file: 'frugal.yaml', path },
    pricing: { kind: 'tokens', rates: { input, output: input * 4n }, batch: {} },
    ...extra,
  });

  it('overrides a catalog model under any spelling, replacing its prices and keeping its metadata', () => {
    const withConfig = book.withPrices([price('OpenAI/GPT-4o', 2_000_000n, 'prices[0]')]);
    const resolution = withConfig.resolve('gpt-4o');
    if (resolution.status !== 'found' || resolution.entry.kind !== 'tokens') throw new Error('not found');
    expect(resolution.entry).toMatchObject({
      id: 'gpt-4o',
      provider: 'openai',
      contextWindow: 128_000,
      source: 'config:frugal.yaml#prices[0]',
      rates: { input: 2_000_000n, output: 8_000_000n },
      tiers: {},
      bands: [],
    });
    expect(resolution.entry.rates.cachedInput).toBeUndefined();
    expect(book.resolve('gpt-4o')).toMatchObject({ entry: { source: 'litellm:gpt-4o' } });
  });

  it('adds custom models and dated overrides', () => {
    const withConfig = book.withPrices([
      price('my-finetune', 1_000_000n, 'prices[0]', { provider: 'self-hosted' }),
      price('gpt-4o', 2_000_000n, 'prices[1]', { effectiveFrom: '2026-12-01' }),
    ]);
    expect(withConfig.resolve('my-finetune')).toMatchObject({
      id: 'my-finetune',
      entry: { provider: 'self-hosted', mode: 'chat' },
    });
    expect(withConfig.resolve('gpt-4o', { on: '2026-11-30' })).toMatchObject({
      entry: { source: 'litellm:gpt-4o' },
    });
    expect(withConfig.resolve('gpt-4o', { on: '2026-12-01' })).toMatchObject({
      entry: { source: 'config:frugal.yaml#prices[1]' },
    });
    expect(withConfig.size).toBe(book.size + 1);
  });

  it('refuses two config prices for the same model and day, naming the second', () => {
    const twice = [price('gpt-4o', 1n, 'prices[0]'), price('openai/gpt-4o', 2n, 'prices[3]')];
    expect(() => book.withPrices(twice)).toThrow(ConfigError);
    expect(() => book.withPrices(twice)).toThrow(
      "frugal.yaml at prices[3]: a second price for 'gpt-4o' without effective_from",
    );
  });
});
