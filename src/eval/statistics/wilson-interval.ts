import { type Interval, z95 } from './interval.js';

/**
 * Wilson score interval for a proportion `successes / n` (Wilson 1927), without continuity correction: well
 * behaved at 0 and n, unlike the Wald interval. `z` is the two-sided normal quantile (1.96 for 95%).
 * With n = 0 the estimate is NaN and the interval the whole [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z = z95): Interval {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be a whole number in [0, ${n}], got ${successes}`);
  }
  if (n === 0) return { estimate: Number.NaN, low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // Clamp rounding noise so 0/n and n/n give exactly 0 and 1.
  return {
    estimate: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}
