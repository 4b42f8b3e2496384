import type { EvalResultRecord } from '../core/evals/eval-records.js';
import { unanimous } from './judges/repeated-judge.js';
import { scorerMetrics } from './metrics/scorer-metrics.js';
import type { Score, Scorer } from './scorer.js';

/**
 * A run's metrics from its recorded scores, MLflow's names (`correctness/mean`) plus frugal's CI bounds, n and
 * error count per scorer, and, for a judge asked several times per answer, `<scorer>/agreement`: the share of
 * answers on which all its votes agreed. Rows whose prediction failed count as errors of every scorer.
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
    const verdicts = scores.map((score) => unanimous(score.details)).filter((each) => each !== undefined);
    if (verdicts.length > 0) {
      // A repeated judge: the share of answers on which all its votes agreed.
      metrics[`${scorer.name}/agreement`] = verdicts.filter(Boolean).length / verdicts.length;
    }
  }
  return metrics;
}
