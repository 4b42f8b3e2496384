import { createRandom } from '../../core/random.js';
import type { Score, ScoreKind } from '../scorer.js';
import { zFor } from '../statistics/interval.js';
import { comparePaired } from '../statistics/paired-bootstrap.js';
import { comparePassFail } from '../statistics/paired-pass-fail.js';
import type { MetricOptions } from './metric-options.js';
import { scoreValue } from './score-value.js';

/** Two candidates' scores for one scorer, compared on the rows both scored. */
export type ScoreComparison = {
  /** Exact McNemar with Newcombe's interval for pass-fail; paired bootstrap for numeric. */
  readonly method: 'mcnemar-exact' | 'paired-bootstrap';
  /** Rows both candidates have a verdict for. */
  readonly n: number;
  /** Rows in both runs left out because either score is an error. */
  readonly errors: number;
  /** Row ids in only one of the runs (the datasets differ). */
  readonly unpaired: number;
  readonly baselineMean: number;
  readonly candidateMean: number;
  /** candidate − baseline, with its interval and two-sided p-value. */
  readonly difference: number;
  readonly low: number;
  readonly high: number;
  readonly pValue: number;
  /** Pass-fail only: rows only the baseline passed, and rows only the candidate passed. */
  readonly baselineOnly?: number | undefined;
  readonly candidateOnly?: number | undefined;
};

/**
 * Compares a baseline's and a candidate's scores (by row id) for one scorer. Pass-fail: exact McNemar p-value
 * and Newcombe's paired interval for the difference in pass rates (`comparePassFail`). Numeric: paired
 * bootstrap of per-row differences, seeded (`comparePaired`).
 */
export function compareScores(
  kind: ScoreKind,
  baseline: ReadonlyMap<string, Score>,
  candidate: ReadonlyMap<string, Score>,
  options: MetricOptions = {},
): ScoreComparison {
  const pairs: { baseline: number; candidate: number }[] = [];
  let errors = 0;
  let unpaired = 0;
  for (const [rowId, baselineScore] of baseline) {
    const candidateScore = candidate.get(rowId);
    if (candidateScore === undefined) {
      unpaired++;
      continue;
    }
    const before = scoreValue(kind, baselineScore);
    const after = scoreValue(kind, candidateScore);
    if (before === undefined || after === undefined) errors++;
    else pairs.push({ baseline: before, candidate: after });
  }
  for (const rowId of candidate.keys()) if (!baseline.has(rowId)) unpaired++;
  const confidence = options.confidence ?? 0.95;

  if (kind === 'pass-fail') {
    const result = comparePassFail(
      pairs.map((pair) => ({ baseline: pair.baseline === 1, candidate: pair.candidate === 1 })),
      zFor(confidence),
    );
    return {
      method: 'mcnemar-exact',
      n: result.n,
      errors,
      unpaired,
      baselineMean: result.baselineRate,
      candidateMean: result.candidateRate,
      difference: result.difference,
      low: result.low,
      high: result.high,
      pValue: result.pValue,
      baselineOnly: result.baselineOnly,
      candidateOnly: result.candidateOnly,
    };
  }
  const result = comparePaired(pairs, {
    random: createRandom(options.seed ?? 0),
    resamples: options.resamples,
    confidence,
  });
  return { method: 'paired-bootstrap', errors, unpaired, ...result };
}
