import type { BreakEvenAnalysis } from './break-even.js';
import { dollarsText, perQueryDollarsText } from './dollars-text.js';
import {
  formatRational,
  multiplyRationals,
  type Rational,
  rationalToPicodollars,
  subtractRationals,
} from './rational.js';

/**
 * The break-even result in one plain sentence: where self-hosting starts to win and whether it keeps
 * winning, or why it never does. Amounts are rounded for reading; the analysis holds the exact ones.
 */
export function breakEvenVerdict(analysis: BreakEvenAnalysis): string {
  const point = analysis.breakEven;
  if (point.kind === 'volume') {
    const first = count(point.queriesPerMonth);
    if (point.cheaperFromQueriesPerMonth === point.queriesPerMonth) {
      return `Break-even: ${first} queries/month. From there on, self-hosting costs no more than the API.`;
    }
    if (point.cheaperFromQueriesPerMonth === undefined) {
      return `Break-even only at full GPUs (multiples of ${first} queries/month): a full GPU saves exactly its cost, so self-hosting never stays cheaper.`;
    }
    const from = count(point.cheaperFromQueriesPerMonth);
    return `Break-even: ${first} queries/month, but each added GPU makes the API cheaper again until it fills; self-hosting stays cheaper from ${from} queries/month.`;
  }
  if (point.reason === 'marginal-cost-not-lower') {
    return `No break-even: the API's marginal cost (${perQueryDollarsText(rationalToPicodollars(analysis.apiPerQuery))} per query) is no more than self-hosting's (${perQueryDollarsText(rationalToPicodollars(analysis.selfHostPerQuery))}), so self-hosting is never cheaper.`;
  }
  const capacity = analysis.queriesPerGpu!;
  const saved = rationalToPicodollars(
    multiplyRationals(capacity, subtractRationals(analysis.apiPerQuery, analysis.selfHostPerQuery)),
  );
  return `No break-even: a fully used GPU serves ${count(capacity)} queries/month and saves ${dollarsText(saved)}, less than its ${dollarsText(rationalToPicodollars(analysis.gpuMonthly))}, so self-hosting is never cheaper.`;
}

/** A count of queries, rounded half to even to a whole number, with thousands separators. */
function count(value: Rational | bigint): string {
  return formatRational(typeof value === 'bigint' ? { numerator: value, denominator: 1n } : value, 0, {
    group: true,
  });
}
