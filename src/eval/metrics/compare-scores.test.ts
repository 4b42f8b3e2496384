import { describe, expect, it } from 'vitest';
import type { Score } from '../scorer.js';
import { compareScores } from './compare-scores.js';

const byRow = (values: readonly (boolean | number | undefined)[], prefix = 'row-'): Map<string, Score> =>
  new Map(
    values.map((value, index) => [
      `${prefix}${index + 1}`,
      value === undefined ? { value: undefined, error: 'failed' } : { value },
    ]),
  );

describe('compareScores', () => {
  it('compares pass-fail runs with exact McNemar and counts discordant rows', () => {
    // 12 rows: both pass 4, only the candidate 6, only the baseline 0, neither 2.
    const baseline = byRow([true, true, true, true, false, false, false, false, false, false, false, false]);
    const candidate = byRow([true, true, true, true, true, true, true, true, true, true, false, false]);
    const result = compareScores('pass-fail', baseline, candidate);
    expect(result).toMatchObject({
      method: 'mcnemar-exact',
      n: 12,
      errors: 0,
      unpaired: 0,
      baselineOnly: 0,
      candidateOnly: 6,
    });
    expect(result.difference).toBeCloseTo(0.5, 12);
    expect(result.pValue).toBeCloseTo(2 / 64, 12);
    expect(result.low).toBeGreaterThan(0);
  });

  it('leaves out rows with an error on either side and rows in one run only', () => {
    const baseline = byRow([true, undefined, false, true]);
    const candidate = byRow([true, true, undefined]);
    candidate.set('extra', { value: true });
    const result = compareScores('pass-fail', baseline, candidate);
    expect([result.n, result.errors, result.unpaired]).toEqual([1, 2, 2]);
  });

  it('compares numeric runs with a seeded paired bootstrap', () => {
    const baseline = byRow([0.5, 0.6, 0.4, 0.7, 0.55, 0.45, 0.65, 0.5]);
    const candidate = byRow([0.7, 0.8, 0.65, 0.9, 0.7, 0.7, 0.85, 0.75]);
    const result = compareScores('numeric', baseline, candidate);
    expect(result.method).toBe('paired-bootstrap');
    expect(result.difference).toBeCloseTo(0.2125, 12);
    expect(result.candidateMean - result.baselineMean).toBeCloseTo(0.2125, 12);
    expect(result.low).toBeGreaterThan(0.15);
    expect(result.pValue).toBeLessThan(0.01);
    expect(result.baselineOnly).toBeUndefined();
    expect(compareScores('numeric', baseline, candidate)).toEqual(result);
  });

  it('matches rows by id, not by position', () => {
    const baseline = new Map<string, Score>([
      ['a', { value: true }],
      ['b', { value: false }],
    ]);
    const candidate = new Map<string, Score>([
      ['b', { value: false }],
      ['a', { value: true }],
    ]);
    const result = compareScores('pass-fail', baseline, candidate);
    expect([result.difference, result.pValue, result.baselineOnly, result.candidateOnly]).toEqual([
      0, 1, 0, 0,
    ]);
  });

  it('gives NaN and p = 1 when nothing can be paired', () => {
    const result = compareScores('numeric', byRow([0.5]), byRow([0.7], 'other-'));
    expect(result.n).toBe(0);
    expect(result.unpaired).toBe(2);
    expect(result.difference).toBeNaN();
    expect(result.pValue).toBe(1);
  });
});
