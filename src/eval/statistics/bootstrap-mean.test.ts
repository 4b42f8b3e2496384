import { describe, expect, it } from 'vitest';
import { createRandom } from '../../core/random.js';
import { bootstrapMeanInterval } from './bootstrap-mean.js';

const scores = [0.2, 0.9, 0.5, 0.7, 1, 0.4, 0.6, 0.8, 0.3, 0.65];

describe('bootstrapMeanInterval', () => {
  it('contains the mean, inside the range of the data', () => {
    const interval = bootstrapMeanInterval(scores, { random: createRandom(7) });
    expect(interval.estimate).toBeCloseTo(0.605, 12);
    expect(interval.low).toBeLessThan(interval.estimate);
    expect(interval.high).toBeGreaterThan(interval.estimate);
    expect(interval.low).toBeGreaterThanOrEqual(0.2);
    expect(interval.high).toBeLessThanOrEqual(1);
  });

  it('is close to the normal approximation for a large sample', () => {
    // 400 values of 0 and 1 in equal parts: mean 0.5, standard error 0.025, 95% CI ≈ 0.5 ± 0.049.
    const values = Array.from({ length: 400 }, (_, index) => index % 2);
    const interval = bootstrapMeanInterval(values, { random: createRandom(1) });
    expect(interval.low).toBeCloseTo(0.451, 1);
    expect(interval.high - interval.low).toBeGreaterThan(0.08);
    expect(interval.high - interval.low).toBeLessThan(0.115);
  });

  it('narrows as n grows', () => {
    const widths = [1, 4, 16].map((copies) => {
      const interval = bootstrapMeanInterval(Array.from({ length: copies }, () => scores).flat(), {
        random: createRandom(3),
      });
      return interval.high - interval.low;
    });
    expect(widths[1]!).toBeLessThan(widths[0]! * 0.7);
    expect(widths[2]!).toBeLessThan(widths[1]! * 0.7);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const first = bootstrapMeanInterval(scores, { random: createRandom(42) });
    expect(bootstrapMeanInterval(scores, { random: createRandom(42) })).toEqual(first);
    expect(bootstrapMeanInterval(scores, { random: createRandom(43) })).not.toEqual(first);
  });

  it('widens with the confidence level', () => {
    const at80 = bootstrapMeanInterval(scores, { random: createRandom(5), confidence: 0.8 });
    const at99 = bootstrapMeanInterval(scores, { random: createRandom(5), confidence: 0.99 });
    expect(at99.high - at99.low).toBeGreaterThan(at80.high - at80.low);
  });

  it.each([
    [[], Number.NaN, Number.NaN],
    [[0.7], 0.7, 0.7],
    [[1, 1, 1], 1, 1],
  ])('handles degenerate input %j', (values, low, high) => {
    const interval = bootstrapMeanInterval(values, { random: createRandom(1), resamples: 50 });
    expect(interval.low).toEqual(low);
    expect(interval.high).toEqual(high);
  });

  it('rejects a resample count that is not a whole number ≥ 1', () => {
    expect(() => bootstrapMeanInterval(scores, { random: createRandom(1), resamples: 0 })).toThrow(
      'resamples must be a whole number ≥ 1, got 0',
    );
  });
});
