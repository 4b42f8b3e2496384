import { describe, expect, it } from 'vitest';
import { z95, zFor } from './interval.js';
import { wilsonInterval } from './wilson-interval.js';

describe('wilsonInterval', () => {
  // Reference values: the Wilson (1927) score interval without continuity correction, computed by hand
  // (independently, in Python) to 4 decimals; 5/6, 0/10 and 10/10 are also the values textbooks print.
  it.each([
    [5, 6, 0.8333333, 0.4365, 0.9699],
    [0, 10, 0, 0, 0.2775],
    [10, 10, 1, 0.7225, 1],
    [81, 263, 0.3079848, 0.2553, 0.3662],
    [15, 148, 0.1013514, 0.0624, 0.1605],
    [1, 29, 0.0344828, 0.0061, 0.1718],
  ])('%i/%i at 95%%', (successes, n, estimate, low, high) => {
    const interval = wilsonInterval(successes, n);
    expect(interval.estimate).toBeCloseTo(estimate, 6);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('widens with a larger z and narrows with more data', () => {
    const at95 = wilsonInterval(5, 6);
    const at99 = wilsonInterval(5, 6, zFor(0.99));
    expect(at99.low).toBeLessThan(at95.low);
    expect(at99.high).toBeGreaterThan(at95.high);
    const more = wilsonInterval(50, 60);
    expect(more.high - more.low).toBeLessThan(at95.high - at95.low);
  });

  it('gives the whole [0, 1] and a NaN estimate for no data', () => {
    expect(wilsonInterval(0, 0)).toEqual({ estimate: Number.NaN, low: 0, high: 1 });
  });

  it.each([
    [7, 6],
    [-1, 6],
    [1.5, 6],
    [0, -1],
  ])('rejects %s successes of %s', (successes, n) => {
    expect(() => wilsonInterval(successes, n)).toThrow(RangeError);
  });
});

describe('zFor', () => {
  it.each([
    [0.8, 1.2815516],
    [0.9, 1.6448536],
    [0.95, 1.959964],
    [0.99, 2.5758293],
    [0.999, 3.2905267],
  ])('confidence %s gives z %s', (confidence, z) => {
    expect(zFor(confidence)).toBeCloseTo(z, 6);
  });

  it('is exact for 95% and rejects levels outside (0, 1)', () => {
    expect(zFor(0.95)).toBe(z95);
    expect(() => zFor(1)).toThrow('confidence must be in (0, 1), got 1');
    expect(() => zFor(0)).toThrow(RangeError);
  });
});
