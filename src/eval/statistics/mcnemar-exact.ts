/**
 * Exact McNemar test for paired pass/fail outcomes: under the null of equal pass rates the discordant pairs
 * split as Binomial(b + c, ½), so the two-sided p-value is min(1, 2·P(X ≤ min(b, c))). `b` counts pairs where
 * only the first passed, `c` pairs where only the second did. No discordant pairs give p = 1.
 */
export function mcnemarExact(b: number, c: number): number {
  for (const [label, count] of [
    ['b', b],
    ['c', c],
  ] as const) {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`${label} must be a whole number ≥ 0, got ${count}`);
  }
  const n = b + c;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n));
}

/** P(X ≤ k) for X ~ Binomial(n, ½), summed in log space so large n neither overflows nor underflows early. */
function binomialHalfCdf(k: number, n: number): number {
  const logHalfN = -n * Math.LN2;
  let logTerm = logHalfN; // log C(n, 0) + n·log ½
  let total = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i);
    total += Math.exp(logTerm);
  }
  return total;
}
