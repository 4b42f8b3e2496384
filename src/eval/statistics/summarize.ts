import { quantile } from './quantile.js';

/** Count, mean and spread of the values that were measured; `excluded` counts the undefined ones (errors). */
export type Summary = {
  readonly n: number;
  readonly excluded: number;
  /** NaN when n = 0, as are the others below. */
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Median and 95th percentile by linear interpolation (see `quantile`). */
  readonly p50: number;
  readonly p95: number;
};

/** Summarises numbers, leaving out undefined (an error or a value never reported) and counting what it left out. */
export function summarize(values: readonly (number | undefined)[]): Summary {
  const measured = values.filter((value): value is number => value !== undefined);
  const excluded = values.length - measured.length;
  if (measured.length === 0) {
    return {
      n: 0,
      excluded,
      mean: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
      p50: Number.NaN,
      p95: Number.NaN,
    };
  }
  const sorted = measured.sort((left, right) => left - right);
  return {
    n: sorted.length,
    excluded,
    mean: meanOf(sorted),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    p50: quantile(sorted, 0.5, true),
    p95: quantile(sorted, 0.95, true),
  };
}

/** Arithmetic mean (NaN for none), summed with Neumaier compensation so long runs of scores do not drift. */
export function meanOf(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  let compensation = 0;
  for (const value of values) {
    const total = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum;
    sum = total;
  }
  return (sum + compensation) / values.length;
}
