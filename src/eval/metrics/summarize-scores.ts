import { createRandom } from '../../core/random.js';
import type { Score, ScoreKind } from '../scorer.js';
import { bootstrapMeanInterval } from '../statistics/bootstrap-mean.js';
import { zFor } from '../statistics/interval.js';
import { wilsonInterval } from '../statistics/wilson-interval.js';
import type { MetricOptions } from './metric-options.js';
import { scoreValue } from './score-value.js';

/** One scorer's result over a run: the mean (pass rate for pass-fail) with its interval, rows scored, errors. */
export type ScoreSummary = {
  /** NaN, as are the bounds, when no row could be scored. */
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  /** Rows with a verdict. */
  readonly n: number;
  /** Rows without one (judge failures, thrown scorers, missing expectations): never counted as 0. */
  readonly errors: number;
  readonly method: 'wilson' | 'bootstrap';
};

/**
 * Summarises one scorer's per-row scores: pass-fail by the pass rate with a Wilson interval, numeric by the
 * mean with a seeded percentile bootstrap interval (see `bootstrapMeanInterval`).
 */
export function summarizeScores(
  kind: ScoreKind,
  scores: readonly Score[],
  options: MetricOptions = {},
): ScoreSummary {
  const values: number[] = [];
  for (const score of scores) {
    const value = scoreValue(kind, score);
    if (value !== undefined) values.push(value);
  }
  const n = values.length;
  const errors = scores.length - n;
  const confidence = options.confidence ?? 0.95;
  if (n === 0) {
    const nan = Number.NaN;
    return {
      mean: nan,
      low: nan,
      high: nan,
      n,
      errors,
      method: kind === 'pass-fail' ? 'wilson' : 'bootstrap',
    };
  }
  if (kind === 'pass-fail') {
    const passes = values.filter((value) => value === 1).length;
    const interval = wilsonInterval(passes, n, zFor(confidence));
    return { mean: interval.estimate, low: interval.low, high: interval.high, n, errors, method: 'wilson' };
  }
  const interval = bootstrapMeanInterval(values, {
    random: createRandom(options.seed ?? 0),
    resamples: options.resamples,
    confidence,
  });
  return { mean: interval.estimate, low: interval.low, high: interval.high, n, errors, method: 'bootstrap' };
}
