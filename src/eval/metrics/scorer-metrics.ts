import type { Score, Scorer } from '../scorer.js';
import type { MetricOptions } from './metric-options.js';
import { summarizeScores } from './summarize-scores.js';

/**
 * One scorer's entries in the run's metrics map, as MLflow names them (`correctness/mean`) plus frugal's
 * `/ci_low`, `/ci_high`, `/n` (rows with a verdict) and `/errors`. When no row has a verdict only `/n` (0)
 * and `/errors` are given: a mean of nothing is left out, never reported as 0.
 */
export function scorerMetrics(
  scorer: Pick<Scorer, 'name' | 'kind'>,
  scores: readonly Score[],
  options: MetricOptions = {},
): Record<string, number> {
  const summary = summarizeScores(scorer.kind, scores, options);
  const name = scorer.name;
  const counts = { [`${name}/n`]: summary.n, [`${name}/errors`]: summary.errors };
  if (summary.n === 0) return counts;
  return {
    [`${name}/mean`]: summary.mean,
    [`${name}/ci_low`]: summary.low,
    [`${name}/ci_high`]: summary.high,
    ...counts,
  };
}
