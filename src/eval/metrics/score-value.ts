import type { Score, ScoreKind } from '../scorer.js';

/**
 * A score as a number to average: 1/0 for a pass-fail verdict, the value for a numeric one. Undefined when the
 * score is an error — or a value of the wrong kind (a number from a pass-fail scorer, NaN), which is counted
 * as an error rather than guessed at.
 */
export function scoreValue(kind: ScoreKind, score: Score): number | undefined {
  if (score.error !== undefined) return undefined;
  const value = score.value;
  if (kind === 'pass-fail') return typeof value === 'boolean' ? (value ? 1 : 0) : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
