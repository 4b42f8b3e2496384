/**
 * The p-quantile (0 ≤ p ≤ 1) of numbers by linear interpolation between order statistics — Hyndman & Fan's
 * type 7, the default of R, NumPy and pandas: position h = (n − 1)·p, value x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 * NaN for no values. `sorted` says the values are already in ascending order (skips a copy and a sort).
 */
export function quantile(values: readonly number[], p: number, sorted = false): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be in [0, 1], got ${p}`);
  if (values.length === 0) return Number.NaN;
  const ordered = sorted ? values : [...values].sort((left, right) => left - right);
  const position = (ordered.length - 1) * p;
  const below = Math.floor(position);
  const lower = ordered[below]!;
  const upper = ordered[Math.min(below + 1, ordered.length - 1)]!;
  return lower + (position - below) * (upper - lower);
}
