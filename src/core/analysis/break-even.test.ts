import { describe, expect, it } from 'vitest';
import { formatUsd } from '../money.js';
import { analyzeBreakEven, type BreakEvenInput, costsAtVolume } from './break-even.js';
import { formatRational } from './rational.js';

/** The seed's ranges: API $2–15 per 1M tokens, self-hosting $0.10–0.50 per 1M plus $2,000+ a month of GPU. */
const base: BreakEvenInput = {
  api: { pricePer1m: 10, tokensPerQuery: 700 },
  gpuMonthly: 2000,
  selfHostPer1m: '0.30',
};

describe('analyzeBreakEven', () => {
  it.each<[string, BreakEvenInput, unknown]>([
    [
      'one fixed cost: crossing at $2,000 ÷ $0.00679 saved per query',
      base,
      { kind: 'volume', queriesPerMonth: 294_551n, cheaperFromQueriesPerMonth: 294_551n },
    ],
    [
      'input and output priced apart (500 × $2.50 + 200 × $10 per 1M)',
      {
        ...base,
        api: {
          inputPricePer1m: '2.50',
          outputPricePer1m: 10,
          inputTokensPerQuery: 500,
          outputTokensPerQuery: 200,
        },
      },
      { kind: 'volume', queriesPerMonth: 657_895n, cheaperFromQueriesPerMonth: 657_895n },
    ],
    [
      'a large GPU (1,000 tokens/s) fits the crossing in its first step',
      { ...base, gpuTokensPerSecond: 1000 },
      { kind: 'volume', queriesPerMonth: 294_551n, cheaperFromQueriesPerMonth: 294_551n },
    ],
    [
      'a small GPU (100 tokens/s): each new GPU makes the API cheaper again until the 4th',
      { ...base, gpuTokensPerSecond: 100 },
      { kind: 'volume', queriesPerMonth: 294_551n, cheaperFromQueriesPerMonth: 1_178_204n },
    ],
    [
      'no fixed cost: self-hosting wins from the first query',
      { ...base, gpuMonthly: 0, gpuTokensPerSecond: 100 },
      { kind: 'volume', queriesPerMonth: 0n, cheaperFromQueriesPerMonth: 0n },
    ],
    [
      'API marginal cost below self-hosting',
      { ...base, api: { pricePer1m: '0.2', tokensPerQuery: 700 } },
      { kind: 'none', reason: 'marginal-cost-not-lower' },
    ],
    [
      'API marginal cost equal to self-hosting',
      { ...base, api: { pricePer1m: '0.3', tokensPerQuery: 700 } },
      { kind: 'none', reason: 'marginal-cost-not-lower' },
    ],
    [
      'a GPU too slow to ever pay for itself (10 tokens/s)',
      { ...base, gpuTokensPerSecond: 10 },
      { kind: 'none', reason: 'gpu-never-pays-off' },
    ],
    [
      'a full GPU saves exactly its cost: ties at each full GPU, never cheaper for good',
      {
        api: { pricePer1m: 1, tokensPerQuery: 1000 },
        selfHostPer1m: 0,
        gpuMonthly: '2.592',
        gpuTokensPerSecond: 1,
      },
      { kind: 'volume', queriesPerMonth: 2592n, cheaperFromQueriesPerMonth: undefined },
    ],
  ])('%s', (_name, input, expected) => {
    expect(analyzeBreakEven(input).breakEven).toEqual(expected);
  });

  it('reports exact per-query costs and the capacity of one GPU', () => {
    const analysis = analyzeBreakEven({
      ...base,
      gpuTokensPerSecond: 1000,
      utilization: '0.5',
      daysPerMonth: 30,
    });
    expect(formatRational(analysis.apiPerQuery, 12)).toBe('0.007');
    expect(formatRational(analysis.selfHostPerQuery, 12)).toBe('0.00021');
    // 1,000 tokens/s × 50% × 2,592,000 s = 1,296,000,000 tokens = 1,851,428.57 queries of 700 tokens.
    expect(formatRational(analysis.queriesPerGpu!, 2)).toBe('1851428.57');
  });

  it('prices each volume exactly, GPUs stepping up with traffic', () => {
    const analysis = analyzeBreakEven({ ...base, gpuTokensPerSecond: 100 });
    const row = (volume: bigint) => {
      const costs = costsAtVolume(analysis, volume);
      return [formatUsd(costs.api), costs.gpus, formatUsd(costs.selfHost), costs.cheaper];
    };
    expect(row(0n)).toEqual(['0.00', 1n, '2000.00', 'api']);
    expect(row(294_550n)).toEqual(['2061.85', 1n, '2061.8555', 'api']);
    expect(row(294_551n)).toEqual(['2061.857', 1n, '2061.85571', 'self-host']);
    expect(row(370_286n)).toEqual(['2592.002', 2n, '4077.76006', 'api']);
    expect(row(1_178_203n)).toEqual(['8247.421', 4n, '8247.42263', 'api']);
    expect(row(1_178_204n)).toEqual(['8247.428', 4n, '8247.42284', 'self-host']);
  });

  it('agrees with a brute-force scan of volumes (seeded random cases)', () => {
    let seed = 7;
    const next = (limit: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return 1 + (seed % limit);
    };
    for (let trial = 0; trial < 60; trial++) {
      const input: BreakEvenInput = {
        api: { pricePer1m: next(40), tokensPerQuery: next(5) * 100 },
        selfHostPer1m: next(10),
        gpuMonthly: next(20) / 10,
        gpuTokensPerSecond: `0.0${next(9)}`,
      };
      const analysis = analyzeBreakEven(input);
      const verdicts = Array.from(
        { length: 3000 },
        (_, volume) => costsAtVolume(analysis, BigInt(volume)).cheaper,
      );
      const point = analysis.breakEven;
      if (point.kind === 'none') {
        expect(verdicts.filter((verdict) => verdict === 'self-host')).toEqual([]);
        continue;
      }
      const first = Number(point.queriesPerMonth);
      expect(verdicts.slice(0, first).every((verdict) => verdict === 'api')).toBe(true);
      if (first <= Number(formatRational(analysis.queriesPerGpu!, 6)))
        expect(verdicts[first]).not.toBe('api');
      if (point.cheaperFromQueriesPerMonth !== undefined) {
        const from = Number(point.cheaperFromQueriesPerMonth);
        expect(verdicts.slice(from).every((verdict) => verdict !== 'api')).toBe(true);
        expect(first <= from).toBe(true);
      }
    }
  });

  it.each<[string, BreakEvenInput, RegExp]>([
    ['negative GPU cost', { ...base, gpuMonthly: -1 }, /gpuMonthly must not be negative/],
    ['non-numeric price', { ...base, selfHostPer1m: 'cheap' }, /selfHostPer1m: not a decimal number/],
    [
      'zero tokens per query',
      { ...base, api: { pricePer1m: 1, tokensPerQuery: 0 } },
      /tokens per query must be more than 0/,
    ],
    ['zero throughput', { ...base, gpuTokensPerSecond: 0 }, /gpuTokensPerSecond must be more than 0/],
    [
      'utilization above 1',
      { ...base, gpuTokensPerSecond: 10, utilization: 1.5 },
      /utilization must be more than 0 and at most 1/,
    ],
  ])('refuses %s', (_name, input, message) => {
    expect(() => analyzeBreakEven(input)).toThrow(message);
  });

  it('refuses a negative volume', () => {
    expect(() => costsAtVolume(analyzeBreakEven(base), -1n)).toThrow(RangeError);
  });
});
