import type { Score, ScoreInput, ScoreKind, Scorer } from '../scorer.js';

/** A user's scoring function: a verdict (boolean for pass-fail, number for numeric) or a whole Score. */
export type ScoreFunction = (
  input: ScoreInput,
) => boolean | number | Score | Promise<boolean | number | Score>;

/**
 * Wraps a user function as a Scorer. A thrown error or rejected promise becomes a Score with `error` (counted
 * as an error, never as 0), and so does a verdict of the wrong kind (a number from a pass-fail scorer, NaN).
 */
export function customScorer(name: string, kind: ScoreKind, fn: ScoreFunction): Scorer {
  if (name.trim() === '') throw new RangeError('a scorer needs a non-empty name');
  return {
    name,
    kind,
    usesJudge: false,
    async score(input) {
      let result: boolean | number | Score;
      try {
        result = await fn(input);
      } catch (error) {
        return {
          value: undefined,
          error: `${name} threw: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      const score: Score = typeof result === 'object' && result !== null ? result : { value: result };
      if (score.error !== undefined) return { ...score, value: undefined };
      const problem = kindProblem(kind, score.value);
      return problem === undefined ? score : { value: undefined, error: `${name} returned ${problem}` };
    },
  };
}

function kindProblem(kind: ScoreKind, value: unknown): string | undefined {
  if (kind === 'pass-fail')
    return typeof value === 'boolean' ? undefined : `${describe(value)}, expected true or false`;
  return typeof value === 'number' && Number.isFinite(value)
    ? undefined
    : `${describe(value)}, expected a finite number`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string '${value}'`;
  return value === undefined ? 'nothing' : String(value);
}
