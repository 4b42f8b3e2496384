import type { EvalResultRecord } from '../core/evals/eval-records.js';
import { scorerMetrics } from './metrics/scorer-metrics.js';
import type { Score, Scorer } from './scorer.js';

/**
 * A run's metrics from its recorded scores, MLflow's names (`correctness/mean`) plus frugal's CI bounds, n and
 * error count per scorer. Rows whose prediction failed have no score: they count as errors of every scorer.
 */
export function runMetrics(
  scorers: readonly Pick<Scorer, 'name' | 'kind'>[],
  rows: readonly EvalResultRecord[],
  seed = 0,
): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const scorer of scorers) {
    const scores = rows.map((row): Score => {
      const stored = row.scores[scorer.name];
      return stored === undefined
        ? { value: undefined, error: row.error ?? 'not scored' }
        : { ...stored, value: stored.value };
    });
    Object.assign(metrics, scorerMetrics(scorer, scores, { seed }));
  }
  return metrics;
}
