import { z95 } from './interval.js';
import { mcnemarExact } from './mcnemar-exact.js';
import { wilsonInterval } from './wilson-interval.js';

/** One row's outcome for a baseline and a candidate. */
export type PassFailPair = { readonly baseline: boolean; readonly candidate: boolean };

export type PassFailComparison = {
  readonly n: number;
  readonly baselineRate: number;
  readonly candidateRate: number;
  /** Rows only the baseline passed, and rows only the candidate passed (McNemar's b and c). */
  readonly baselineOnly: number;
  readonly candidateOnly: number;
  /** candidate rate − baseline rate, with Newcombe's hybrid score interval for paired proportions. */
  readonly difference: number;
  readonly low: number;
  readonly high: number;
  /** Exact McNemar p-value, two-sided. */
  readonly pValue: number;
};

/**
 * Compares paired pass/fail outcomes on the same rows. Significance: exact McNemar test (`mcnemarExact`). The
 * interval for the difference in pass rates is Newcombe's method 10 (Newcombe 1998, "Improved confidence
 * intervals for the difference between binomial proportions based on paired data"): Wilson intervals for each
 * rate, combined with the 2×2 table's phi correlation, continuity-corrected as Newcombe does (and as R's
 * `contingencytables::Newcombe_square_and_add_CI_paired_2x2`). It needs no resampling, stays inside [−1, 1] and
 * behaves at 0 and 100%. No pairs give NaN rates and difference, the interval [−1, 1] and p = 1.
 */
export function comparePassFail(pairs: readonly PassFailPair[], z = z95): PassFailComparison {
  let both = 0;
  let baselineOnly = 0;
  let candidateOnly = 0;
  for (const pair of pairs) {
    if (pair.baseline && pair.candidate) both++;
    else if (pair.baseline) baselineOnly++;
    else if (pair.candidate) candidateOnly++;
  }
  const n = pairs.length;
  const pValue = mcnemarExact(baselineOnly, candidateOnly);
  if (n === 0) {
    const nan = Number.NaN;
    return {
      n,
      baselineRate: nan,
      candidateRate: nan,
      baselineOnly,
      candidateOnly,
      difference: nan,
      low: -1,
      high: 1,
      pValue,
    };
  }
  const neither = n - both - baselineOnly - candidateOnly;
  const baseline = wilsonInterval(both + baselineOnly, n, z);
  const candidate = wilsonInterval(both + candidateOnly, n, z);
  const difference = candidate.estimate - baseline.estimate;
  const phi = phiOf(both, candidateOnly, baselineOnly, neither);
  // Newcombe's formulas with p1 = candidate, p2 = baseline.
  const candidateDown = candidate.estimate - candidate.low;
  const candidateUp = candidate.high - candidate.estimate;
  const baselineDown = baseline.estimate - baseline.low;
  const baselineUp = baseline.high - baseline.estimate;
  const below = candidateDown ** 2 - 2 * phi * candidateDown * baselineUp + baselineUp ** 2;
  const above = candidateUp ** 2 - 2 * phi * candidateUp * baselineDown + baselineDown ** 2;
  return {
    n,
    baselineRate: baseline.estimate,
    candidateRate: candidate.estimate,
    baselineOnly,
    candidateOnly,
    difference,
    low: Math.max(-1, difference - Math.sqrt(Math.max(0, below))),
    high: Math.min(1, difference + Math.sqrt(Math.max(0, above))),
    pValue,
  };
}

/**
 * Newcombe's corrected phi of a 2×2 table [[a, b], [c, d]] (rows: candidate pass/fail, columns: baseline):
 * A = ad − bc is shrunk to A − n/2 when above n/2, to 0 when in [0, n/2], and kept when negative; 0 when a
 * margin is empty.
 */
function phiOf(a: number, b: number, c: number, d: number): number {
  const margins = (a + b) * (c + d) * (a + c) * (b + d);
  if (margins === 0) return 0;
  const n = a + b + c + d;
  const product = a * d - b * c;
  const corrected = product > n / 2 ? product - n / 2 : product >= 0 ? 0 : product;
  return corrected / Math.sqrt(margins);
}
