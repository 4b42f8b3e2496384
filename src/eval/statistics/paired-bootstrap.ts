import { type BootstrapOptions, percentileInterval, resampleMeans } from './bootstrap-mean.js';
import { meanOf } from './summarize.js';

/** One row's numeric score for a baseline and a candidate. */
export type NumericPair = { readonly baseline: number; readonly candidate: number };

export type NumericComparison = {
  readonly n: number;
  readonly baselineMean: number;
  readonly candidateMean: number;
  /** Mean of (candidate − baseline) over rows, with its percentile bootstrap interval. */
  readonly difference: number;
  readonly low: number;
  readonly high: number;
  /** Two-sided bootstrap p-value for "mean difference = 0" (see `comparePaired`). */
  readonly pValue: number;
};

/**
 * Paired bootstrap on per-row differences d = candidate − baseline. The interval is the percentile bootstrap of
 * the mean of d (rows resampled together, so the pairing is kept). The p-value comes from the null-shifted
 * bootstrap (Efron & Tibshirani 1993, §16.4): resample d − mean(d), which has mean 0, and count resampled means at
 * least as far from 0 as the observed one: p = (1 + count) / (1 + resamples), never 0. All-equal
 * differences (no spread) give p = 1 when the mean is 0 and the smallest attainable p otherwise. No pairs give
 * NaN and p = 1.
 */
export function comparePaired(pairs: readonly NumericPair[], options: BootstrapOptions): NumericComparison {
  const n = pairs.length;
  const baselineMean = meanOf(pairs.map((pair) => pair.baseline));
  const candidateMean = meanOf(pairs.map((pair) => pair.candidate));
  const differences = pairs.map((pair) => pair.candidate - pair.baseline);
  const difference = meanOf(differences);
  if (n === 0) {
    return { n, baselineMean, candidateMean, difference, low: Number.NaN, high: Number.NaN, pValue: 1 };
  }
  const resampled = resampleMeans(differences, options);
  const interval = percentileInterval(difference, resampled, options.confidence ?? 0.95);
  const observed = Math.abs(difference);
  // The null distribution is the resampled means shifted by −mean(d); compare with a tolerance for rounding.
  const tolerance = 1e-12 * Math.max(1, observed);
  let extreme = 0;
  for (const mean of resampled) if (Math.abs(mean - difference) >= observed - tolerance) extreme++;
  return {
    n,
    baselineMean,
    candidateMean,
    difference,
    low: interval.low,
    high: interval.high,
    pValue: (1 + extreme) / (1 + resampled.length),
  };
}
