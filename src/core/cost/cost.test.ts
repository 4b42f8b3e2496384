import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { catalogEntries } from '../prices/catalog-entries.js';
import { defaultPriceBook } from '../prices/default-price-book.js';
import type { PriceEntry, TokenPriceEntry } from '../prices/price-entry.js';
import type { Usage } from '../usage.js';
import type { CostOptions } from './cost.js';
import { cost } from './cost.js';
import type { CostResult, PricedCost } from './cost-result.js';

const USD = 1_000_000_000_000n;

function priced(result: CostResult): PricedCost {
  if (result.status !== 'priced')
    throw new Error(`expected a price, got ${result.reason}: ${result.message}`);
  return result;
}

const tokenEntry = (
  rates: TokenPriceEntry['rates'],
  extra: Partial<TokenPriceEntry> = {},
): TokenPriceEntry => ({
  kind: 'tokens',
  id: 'test/model',
  provider: 'test',
  mode: 'chat',
  source: 'test',
  rates,
  batch: {},
  tiers: {},
  bands: [],
  ...extra,
});

describe('cost: exact, hand-computed', () => {
  const cases: [string, Usage, CostOptions, bigint][] = [
    // 4,000 × $2.50/M + 8,000 × $1.25/M + 800 × $10/M = $0.028
    ['gpt-4o', { input: 12_000, cachedInput: 8_000, output: 800 }, {}, 28_000_000_000n],
    // > 200k: the band prices everything: 299,000 × $6 + 1,000 × $12 (1h) + 700 × $22.5 + 100 × $22.5 (per M) = $1.824
    [
      'claude-sonnet-4-5',
      { input: 300_000, cacheWrite1h: 1_000, output: 800, reasoning: 100 },
      {},
      (1_824n * USD) / 1000n,
    ],
    // exactly 200,000 is not above the threshold: 200,000 × $3/M + 800 × $15/M = $0.612
    ['claude-sonnet-4-5', { input: 200_000, output: 800 }, {}, (612n * USD) / 1000n],
    // batch: explicit rates for fresh input and output, cached at half its $1.25/M: 4,000 × 1.25 + 8,000 × 0.625 + 800 × 5 = $0.014
    ['gpt-4o', { input: 12_000, cachedInput: 8_000, output: 800 }, { batch: true }, 14_000_000_000n],
    // priority: 4,000 × $4.25/M + 8,000 × $2.125/M + 800 × $17/M = $0.0476
    ['gpt-4o', { input: 12_000, cachedInput: 8_000, output: 800 }, { tier: 'priority' }, 47_600_000_000n],
    // tiered range (32k, 128k]: 40,000 × $1.80/M + 1,000 × $9/M = $0.081
    ['dashscope/qwen3-coder-plus-2025-07-22', { input: 40_000, output: 1_000 }, {}, 81_000_000_000n],
    // 32,000 stays in the first range: 32,000 × $1/M + 1,000 × $5/M = $0.037
    ['dashscope/qwen3-coder-plus-2025-07-22', { input: 32_000, output: 1_000 }, {}, 37_000_000_000n],
    // reasoning at its own rate: 2,000 × $2/M + 5,000 × $8/M + 25,000 × $3/M = $0.119
    [
      'perplexity/sonar-deep-research',
      { input: 2_000, output: 30_000, reasoning: 25_000 },
      {},
      119_000_000_000n,
    ],
  ];
  it.each(cases)('%s %o %o', (model, usage, options, expected) => {
    expect(priced(cost(usage, model, options)).total).toBe(expected);
  });

  it('itemises the breakdown, rates, source and band', () => {
    const result = priced(
      cost({ input: 300_000, cachedInput: 100_000, cacheWrite1h: 1_000, output: 800 }, 'claude-sonnet-4-5'),
    );
    expect(result.breakdown).toEqual({
      freshInput: 199_000n * 6_000_000n,
      cachedInput: 100_000n * 600_000n,
      cacheWrite: 0n,
      cacheWrite1h: 1_000n * 12_000_000n,
      output: 800n * 22_500_000n,
      reasoning: 0n,
      gpuTime: 0n,
      batchDiscount: 0n,
    });
    expect(result.tokens).toEqual({
      freshInput: 199_000,
      cachedInput: 100_000,
      cacheWrite: 0,
      cacheWrite1h: 1_000,
      output: 800,
      reasoning: 0,
    });
    expect(result.band).toEqual({ kind: 'above-threshold', aboveInputTokens: 200_000, inclusive: false });
    expect(result.source).toBe('litellm:claude-sonnet-4-5');
    expect(result.match).toEqual({ requested: 'claude-sonnet-4-5', kind: 'exact', note: 'exact id' });
  });
});

describe('cost: batch', () => {
  it('halves the total once, half to even, never the rates', () => {
    const entry = tokenEntry({ input: 1n, output: 5n });
    const half = (input: number, output: number) => priced(cost({ input, output }, entry, { batch: true }));
    expect(half(3, 0).total).toBe(2n); // 3 picos → 1.5 → 2
    expect(half(0, 1).total).toBe(2n); // 5 picos → 2.5 → 2
    expect(half(7, 0).total).toBe(4n); // 7 → 3.5 → 4
    expect(half(1, 1).breakdown).toMatchObject({ freshInput: 1n, output: 5n, batchDiscount: 3n });
    expect(half(1, 1).batch).toBe('half-price');
  });

  it('uses explicit batch rates and says when other parts were halved', () => {
    const plain = priced(cost({ input: 12_000, output: 800 }, 'gpt-4o', { batch: true }));
    expect(plain.batch).toBe('batch-rates');
    expect(plain.rates.freshInput).toBe(1_250_000n);
    const mixed = priced(cost({ input: 12_000, cachedInput: 8_000, output: 800 }, 'gpt-4o', { batch: true }));
    expect(mixed.batch).toBe('batch-rates-and-half-price');
    expect(mixed.breakdown.batchDiscount).toBe(5_000_000_000n);
  });

  it('halves the band rates when a long-context band applies (batch rates are base-band prices)', () => {
    const result = priced(cost({ input: 300_000, output: 1_000 }, 'gpt-5.4', { batch: true }));
    expect(result.batch).toBe('half-price');
    // (300,000 × $5/M + 1,000 × $22.5/M) / 2 = $0.76125
    expect(result.total).toBe(761_250_000_000n);
  });

  it('refuses batch with a service tier', () => {
    expect(() => cost({ input: 1, output: 1 }, 'gpt-4o', { batch: true, tier: 'priority' })).toThrow(
      UsageError,
    );
  });
});

describe('cost: never a silent $0 or a silent cheaper rate', () => {
  const unpricedCases: [string, Usage, CostOptions, string, RegExp][] = [
    [
      'gpt-5-nano',
      { input: 10, output: 10 },
      { tier: 'priority' },
      'no-tier-price',
      /no priority price.*no output rate/,
    ],
    [
      'claude-sonnet-4-5',
      { input: 10, output: 10 },
      { tier: 'flex' },
      'no-tier-price',
      /no flex price for 'claude-sonnet-4-5'/,
    ],
    [
      'gpt-5.4',
      { input: 300_000, output: 10 },
      { tier: 'priority' },
      'no-tier-price',
      /above 272000 input tokens/,
    ],
    ['mistral/mistral-embed', { input: 10, output: 5 }, {}, 'no-output-price', /no output price/],
    ['gpt-4o', { input: 10 }, {}, 'incomplete-usage', /output tokens unknown/],
    ['gpt-4o', { output: 10 }, {}, 'incomplete-usage', /input tokens unknown/],
    ['gpt-4o', { input: 10, cachedInput: 11, output: 1 }, {}, 'invalid-usage', /exceed input/],
    ['gpt-4o', { input: -1, output: 1 }, {}, 'invalid-usage', /non-negative integer/],
    ['gpt-4o', { input: 1.5, output: 1 }, {}, 'invalid-usage', /non-negative integer/],
    ['gpt4o', { input: 1, output: 1 }, {}, 'unknown-model', /did you mean 'gpt-4o'/],
  ];
  it.each(unpricedCases)('%s %o %o → %s', (model, usage, options, reason, message) => {
    const result = cost(usage, model, options);
    expect(result).toMatchObject({ status: 'unpriced', reason });
    expect(result.status === 'unpriced' && result.message).toMatch(message);
  });

  it('prices an embedding with no output rate when it has no output tokens', () => {
    expect(priced(cost({ input: 1_000, output: 0 }, 'mistral/mistral-embed')).total).toBe(100_000_000n);
  });

  const standIns: [string, Usage, bigint, string][] = [
    [
      'o3',
      { input: 1_000, cacheWrite: 400, output: 0 },
      2_000_000n,
      'no cache-write rate: cache writes priced at the input rate',
    ],
    [
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      { input: 1_000, cacheWrite1h: 400, output: 0 },
      3_750_000n,
      'no 1-hour cache-write rate: 1-hour cache writes priced at the 5-minute cache-write rate',
    ],
    [
      'dashscope/qwen3-coder-plus-2025-07-22',
      { input: 40_000, cachedInput: 30_000, output: 0 },
      1_800_000n,
      'no cache-read rate: cached input priced at the input rate',
    ],
  ];
  it.each(standIns)(
    '%s: a missing cache rate stands in with a named, non-zero rate',
    (model, usage, rate, note) => {
      const result = priced(cost(usage, model));
      const component = usage.cacheWrite ? 'cacheWrite' : usage.cacheWrite1h ? 'cacheWrite1h' : 'cachedInput';
      expect(result.rates[component]).toBe(rate);
      expect(result.notes).toEqual([note]);
    },
  );

  it('counts unreported parts as fresh input and visible output (the known totals are billed in full)', () => {
    const result = priced(cost({ input: 1_000, output: 100 }, 'claude-3-7-sonnet-20250219'));
    expect(result.tokens).toMatchObject({ freshInput: 1_000, cachedInput: 0, output: 100, reasoning: 0 });
    expect(result.total).toBe(1_000n * 3_000_000n + 100n * 15_000_000n);
  });

  it('prices every per-token catalog model for a plain chat usage, or says why not', () => {
    const reasons = new Map<string, number>();
    for (const entry of catalogEntries()) {
      const result = cost({ input: 1_234, cachedInput: 200, output: 321, reasoning: 21 }, entry);
      if (result.status === 'priced') {
        const parts =
          Object.values(result.breakdown).reduce((a, b) => a + b, 0n) - 2n * result.breakdown.batchDiscount;
        expect(parts).toBe(result.total);
        expect(result.total >= 0n).toBe(true);
      } else {
        reasons.set(result.reason, (reasons.get(result.reason) ?? 0) + 1);
        expect(entry.mode).toBe('embedding');
      }
    }
    expect([...reasons.keys()]).toEqual(['no-output-price']);
  });
});

describe('cost: by name', () => {
  it('reports how the name matched', () => {
    expect(priced(cost({ input: 1, output: 1 }, 'openai/gpt-4o')).match).toMatchObject({
      kind: 'provider-prefix',
    });
    const snapshot = priced(cost({ input: 1, output: 1 }, 'gpt-4o-2099-01-01'));
    expect(snapshot.model).toBe('gpt-4o');
    expect(snapshot.match?.kind).toBe('snapshot-base');
  });

  it('uses the price in force on the given day from a book with history', () => {
    const book = defaultPriceBook().withPrices([
      {
        model: 'gpt-4o',
        origin: { file: 'frugal.yaml', path: 'prices[0]' },
        effectiveFrom: '2026-12-01',
        pricing: { kind: 'tokens', rates: { input: 1_000_000n, output: 4_000_000n }, batch: {} },
      },
    ]);
    const before = priced(cost({ input: 1_000, output: 100 }, 'gpt-4o', { book, on: '2026-11-30' }));
    const after = priced(cost({ input: 1_000, output: 100 }, 'gpt-4o', { book, on: '2026-12-01' }));
    expect([before.total, before.source]).toEqual([3_500_000_000n, 'litellm:gpt-4o']);
    expect([after.total, after.source, after.effectiveFrom]).toEqual([
      1_400_000_000n,
      'config:frugal.yaml#prices[0]',
      '2026-12-01',
    ]);
  });
});

describe('cost: self-hosted per GPU-hour', () => {
  const gpu = (extra: { concurrency?: number; tokensPerSecond?: number }): PriceEntry => ({
    kind: 'gpu-hours',
    id: 'llama-local',
    provider: 'self-hosted',
    mode: 'chat',
    source: 'config:frugal.yaml#prices[1]',
    gpu: { hourlyPerGpu: 2_490_000_000_000n, gpuCount: 2, ...extra },
  });

  it('amortises GPU time over the measured duration and the concurrency', () => {
    // 1.8 s × $2.49/h × 2 GPUs / 4 concurrent = $0.0006225
    const result = priced(cost({ input: 100, output: 50 }, gpu({ concurrency: 4 }), { durationMs: 1_800 }));
    expect(result.total).toBe(622_500_000n);
    expect(result.breakdown.gpuTime).toBe(622_500_000n);
  });

  it('amortises over throughput without a duration', () => {
    // 1,500 tokens / 2,500 tok/s × $2.49/h × 2 = $0.00083
    expect(priced(cost({ input: 1_000, output: 500 }, gpu({ tokensPerSecond: 2_500 }))).total).toBe(
      830_000_000n,
    );
  });

  it('is unpriced without a duration, and with a tier', () => {
    expect(cost({ input: 1, output: 1 }, gpu({ concurrency: 4 }))).toMatchObject({
      reason: 'needs-duration',
    });
    expect(
      cost({ input: 1, output: 1 }, gpu({ concurrency: 4 }), { tier: 'flex', durationMs: 5 }),
    ).toMatchObject({
      reason: 'no-tier-price',
    });
    expect(() => cost({ input: 1, output: 1 }, gpu({ concurrency: 4 }), { durationMs: 1.5 })).toThrow(
      UsageError,
    );
  });
});
