import { type Random, randomIndex } from '../../core/random.js';
import { type Interval, zFor } from './interval.js';
import { quantile } from './quantile.js';
import { meanOf } from './summarize.js';

export type BootstrapOptions = {
  readonly random: Random;
  /** Resamples drawn; 2,000 by default. */
  readonly resamples?: number | undefined;
  /** Two-sided confidence level; 0.95 by default. */
  readonly confidence?: number | undefined;
};

/**
 * Percentile bootstrap interval for the mean: draws `resamples` samples of the same size with replacement,
 * and takes the (1 − confidence)/2 and (1 + confidence)/2 quantiles of their means. Deterministic for a given
 * `random`. No values give NaN everywhere; one value gives a zero-width interval.
 */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions): Interval {
  const estimate = meanOf(values);
  if (values.length === 0) return { estimate, low: Number.NaN, high: Number.NaN };
  const means = resampleMeans(values, options);
  return percentileInterval(estimate, means, options.confidence ?? 0.95);
}

/** Means of `resamples` bootstrap resamples of `values` (non-empty), sorted ascending. */
export function resampleMeans(values: readonly number[], options: BootstrapOptions): number[] {
  const resamples = options.resamples ?? 2000;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be a whole number ≥ 1, got ${resamples}`);
  }
  const means = new Array<number>(resamples);
  for (let draw = 0; draw < resamples; draw++) {
    let sum = 0;
    for (let index = 0; index < values.length; index++)
      sum += values[randomIndex(options.random, values.length)]!;
    means[draw] = sum / values.length;
  }
  return means.sort((left, right) => left - right);
}

/** The interval between the tails of sorted resampled statistics. */
export function percentileInterval(
  estimate: number,
  sorted: readonly number[],
  confidence: number,
): Interval {
  zFor(confidence); // validates the level
  const tail = (1 - confidence) / 2;
  return { estimate, low: quantile(sorted, tail, true), high: quantile(sorted, 1 - tail, true) };
}
