import { divideRoundHalfEven, type Picodollars } from '../../core/money.js';

/** A forecast from history that a few wild periods cannot drag: the median and the median absolute deviation. */
export type RobustForecast = {
  readonly median: Picodollars;
  /** Median of |x − median|: the typical distance from the forecast, in the same pico-dollars. */
  readonly mad: Picodollars;
};

/** The middle value (the two middle ones averaged, rounded half to even); undefined for no values. */
export function medianOf(values: readonly bigint[]): bigint | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return divideRoundHalfEven(sorted[middle - 1]! + sorted[middle]!, 2n);
}

/** Median and MAD of amounts, exactly in integers; undefined for no history. */
export function robustForecast(history: readonly Picodollars[]): RobustForecast | undefined {
  const median = medianOf(history);
  if (median === undefined) return undefined;
  const mad = medianOf(history.map((value) => (value > median ? value - median : median - value)))!;
  return { median, mad };
}
