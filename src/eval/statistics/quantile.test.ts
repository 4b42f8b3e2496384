import { describe, expect, it } from 'vitest';
import { quantile } from './quantile.js';
import { meanOf, summarize } from './summarize.js';

describe('quantile (type 7, as numpy.percentile)', () => {
  it.each([
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0.95, 3.85],
    [[4, 1, 3, 2], 0.95, 3.85],
    [[10], 0.95, 10],
    [[1, 2, 3, 4, 5], 0, 1],
    [[1, 2, 3, 4, 5], 1, 5],
    [[100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], 0.95, 955],
  ])('%j at %s is %s', (values, p, expected) => {
    expect(quantile(values, p)).toBeCloseTo(expected, 10);
  });

  it('is NaN for no values and rejects p outside [0, 1]', () => {
    expect(quantile([], 0.5)).toBeNaN();
    expect(() => quantile([1], 1.5)).toThrow('quantile p must be in [0, 1], got 1.5');
  });
});

describe('summarize', () => {
  it('leaves out undefined values and counts them', () => {
    expect(summarize([120, undefined, 80, 100, undefined])).toEqual({
      n: 3,
      excluded: 2,
      mean: 100,
      min: 80,
      max: 120,
      p50: 100,
      p95: 118,
    });
  });

  it('gives NaN statistics when nothing was measured', () => {
    const summary = summarize([undefined]);
    expect(summary.n).toBe(0);
    expect(summary.excluded).toBe(1);
    expect(summary.mean).toBeNaN();
    expect(summary.p95).toBeNaN();
  });

  it('does not reorder the caller’s values', () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('meanOf', () => {
  it.each([
    [[], Number.NaN],
    [[1, 2, 3, 4], 2.5],
    [[1e16, 1, -1e16], 1 / 3],
    [Array.from({ length: 10 }, () => 0.1), 0.1],
  ])('%j has mean %s', (values, expected) => {
    if (Number.isNaN(expected)) expect(meanOf(values)).toBeNaN();
    else expect(meanOf(values)).toBe(expected);
  });
});
