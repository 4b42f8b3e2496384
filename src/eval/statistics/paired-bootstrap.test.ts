import { describe, expect, it } from 'vitest';
import { createRandom } from '../../core/random.js';
import { comparePaired, type NumericPair } from './paired-bootstrap.js';

const pairsOf = (baseline: readonly number[], candidate: readonly number[]): NumericPair[] =>
  baseline.map((value, index) => ({ baseline: value, candidate: candidate[index]! }));

describe('comparePaired', () => {
  it('finds a consistent improvement significant, with an interval above 0', () => {
    const baseline = [0.5, 0.6, 0.4, 0.7, 0.55, 0.45, 0.65, 0.5, 0.6, 0.5];
    const candidate = baseline.map((value, index) => value + 0.2 + (index % 3) * 0.05);
    const result = comparePaired(pairsOf(baseline, candidate), { random: createRandom(1) });
    expect(result.n).toBe(10);
    expect(result.difference).toBeCloseTo(0.245, 12);
    expect(result.candidateMean - result.baselineMean).toBeCloseTo(0.245, 12);
    expect(result.low).toBeGreaterThan(0.2);
    expect(result.high).toBeLessThan(0.3);
    expect(result.pValue).toBeLessThan(0.01);
    expect(result.pValue).toBeGreaterThan(0); // never exactly 0
  });

  it('finds noise around zero not significant', () => {
    const baseline = [0.5, 0.6, 0.4, 0.7, 0.55, 0.45, 0.65, 0.5];
    const candidate = [0.6, 0.5, 0.5, 0.6, 0.45, 0.55, 0.7, 0.45];
    const result = comparePaired(pairsOf(baseline, candidate), { random: createRandom(9) });
    expect(result.difference).toBeCloseTo(0, 12);
    expect(result.low).toBeLessThan(0);
    expect(result.high).toBeGreaterThan(0);
    expect(result.pValue).toBeGreaterThan(0.5);
  });

  it('uses the pairing: a shift that is small next to the spread between rows is still detected', () => {
    const baseline = [0.1, 0.9, 0.2, 0.8, 0.3, 0.7, 0.4, 0.6, 0.15, 0.85];
    const result = comparePaired(
      pairsOf(
        baseline,
        baseline.map((value) => value + 0.05),
      ),
      {
        random: createRandom(2),
      },
    );
    expect(result.low).toBeCloseTo(0.05, 12);
    expect(result.pValue).toBeCloseTo(1 / 2001, 12);
  });

  it.each([
    ['identical scores', [0.3, 0.6], [0.3, 0.6], 1],
    ['no pairs', [], [], 1],
  ])('gives p = 1 for %s', (_, baseline, candidate, pValue) => {
    expect(comparePaired(pairsOf(baseline, candidate), { random: createRandom(1) }).pValue).toBe(pValue);
  });

  it('is deterministic for a seed', () => {
    const pairs = pairsOf([1, 2, 3, 4, 5], [2, 2, 5, 3, 6]);
    expect(comparePaired(pairs, { random: createRandom(11) })).toEqual(
      comparePaired(pairs, { random: createRandom(11) }),
    );
  });
});
