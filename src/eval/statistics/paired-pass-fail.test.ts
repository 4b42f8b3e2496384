import { describe, expect, it } from 'vitest';
import { zFor } from './interval.js';
import { comparePassFail, type PassFailPair } from './paired-pass-fail.js';

/** Pairs from a 2×2 table: both passed, only the candidate, only the baseline, neither. */
function table(both: number, candidateOnly: number, baselineOnly: number, neither: number): PassFailPair[] {
  const repeat = (count: number, pair: PassFailPair) => Array.from({ length: count }, () => pair);
  return [
    ...repeat(both, { baseline: true, candidate: true }),
    ...repeat(candidateOnly, { baseline: false, candidate: true }),
    ...repeat(baselineOnly, { baseline: true, candidate: false }),
    ...repeat(neither, { baseline: false, candidate: false }),
  ];
}

describe('comparePassFail', () => {
  // Reference: R contingencytables::Newcombe_square_and_add_CI_paired_2x2 on the Cavo et al. (2012) data prints
  // -0.0621 (95% CI -0.1186 to -0.0046). The other rows were computed by hand (in Python) with the same formula.
  it.each<[string, [number, number, number, number], number, number, number]>([
    ['Cavo et al.', [59, 6, 16, 80], -0.0621, -0.1186, -0.0046],
    ['Newcombe (a)', [36, 12, 2, 0], 0.2, 0.0569, 0.3404],
    ['no discordant pairs', [3, 0, 0, 3], 0, -0.2551, 0.2551],
  ])('%s', (_, counts, difference, low, high) => {
    const result = comparePassFail(table(...counts));
    expect(result.difference).toBeCloseTo(difference, 4);
    expect(result.low).toBeCloseTo(low, 4);
    expect(result.high).toBeCloseTo(high, 4);
  });

  it('counts discordant pairs and takes the exact McNemar p-value', () => {
    const result = comparePassFail(table(4, 10, 2, 4));
    expect(result).toMatchObject({
      n: 20,
      baselineOnly: 2,
      candidateOnly: 10,
      baselineRate: 0.3,
      candidateRate: 0.7,
    });
    expect(result.difference).toBeCloseTo(0.4, 12);
    expect(result.pValue).toBeCloseTo((2 * 79) / 4096, 12);
    expect(result.low).toBeGreaterThan(0);
  });

  it('is antisymmetric when baseline and candidate swap', () => {
    const forward = comparePassFail(table(36, 12, 2, 0));
    const backward = comparePassFail(table(36, 2, 12, 0));
    expect(backward.difference).toBeCloseTo(-forward.difference, 12);
    expect(backward.low).toBeCloseTo(-forward.high, 12);
    expect(backward.high).toBeCloseTo(-forward.low, 12);
    expect(backward.pValue).toBe(forward.pValue);
  });

  it('stays inside [-1, 1] at the extremes and widens with confidence', () => {
    const all = comparePassFail(table(0, 10, 0, 0));
    expect(all.difference).toBe(1);
    expect(all.high).toBe(1);
    expect(all.low).toBeGreaterThan(0);
    const at99 = comparePassFail(table(36, 12, 2, 0), zFor(0.99));
    expect(at99.low).toBeLessThan(0.0569);
  });

  it('reports NaN rates and the widest interval for no pairs', () => {
    const result = comparePassFail([]);
    expect(result.difference).toBeNaN();
    expect([result.low, result.high, result.pValue]).toEqual([-1, 1, 1]);
  });
});
