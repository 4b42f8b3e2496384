import { BudgetExceededError } from '../core/errors.js';
import { currentScope } from '../tracing/trace-context.js';
import type { Tracer } from '../tracing/tracer.js';
import type { EvalRow } from './eval-row.js';
import { type PredictOutcome, predictRow, rateLimitWait, type Target } from './predict-row.js';
import type { ResponseCache } from './response-cache.js';
import { candidateTag, judgeTag } from './row-spend.js';
import type { Prediction, Score, Scorer } from './scorer.js';

/** How one attempt at a row ended. */
export type RowAttempt =
  | {
      readonly kind: 'answered';
      readonly traceId: string;
      readonly outcome: PredictOutcome;
      readonly scores: Readonly<Record<string, Score>>;
    }
  | { readonly kind: 'failed'; readonly traceId: string; readonly error: unknown }
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'refused'; readonly error: BudgetExceededError }
  | { readonly kind: 'aborted' };

export type RowContext = {
  readonly tracer: Tracer;
  readonly runId: string;
  readonly target: Target;
  readonly scorers: readonly Scorer[];
  readonly cache: ResponseCache | undefined;
  readonly signal: AbortSignal;
  /** The prediction as scorers see it, with the cost and usage of its spans. */
  readonly toPrediction: (traceId: string, outcome: PredictOutcome) => Prediction;
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function scoreAll(context: RowContext, row: EvalRow, prediction: Prediction) {
  const scores: Record<string, Score> = {};
  let refusal: BudgetExceededError | undefined;
  for (const scorer of context.scorers) {
    try {
      scores[scorer.name] = await context.tracer.withAttributes({ tags: [judgeTag] }, () =>
        scorer.score({ row, prediction, signal: context.signal }),
      );
    } catch (error) {
      if (error instanceof BudgetExceededError) refusal ??= error;
      scores[scorer.name] = { value: undefined, error: `${scorer.name} failed: ${message(error)}` };
    }
  }
  return { scores, refusal };
}

/**
 * One attempt at one row, in its own trace: the candidate's call (spans tagged `eval:candidate`) and then every
 * scorer (judge calls tagged `eval:judge`). A scorer that throws gives an error score, never a 0.
 */
export function attemptRow(context: RowContext, row: EvalRow, repeat: number): Promise<RowAttempt> {
  const { tracer } = context;
  return tracer.withAttributes({ runId: context.runId, tags: ['eval'] }, () =>
    tracer.trace(
      `eval row ${row.id}`,
      async (): Promise<RowAttempt> => {
        const traceId = currentScope().parent?.traceId ?? '';
        let outcome: PredictOutcome;
        try {
          outcome = await tracer.withAttributes({ tags: [candidateTag] }, () =>
            predictRow(context.target, row, repeat, context.cache, context.signal),
          );
        } catch (error) {
          if (context.signal.aborted) return { kind: 'aborted' };
          if (error instanceof BudgetExceededError) return { kind: 'refused', error };
          const wait = rateLimitWait(error);
          if (wait !== false) return { kind: 'rate-limited', retryAfterMs: wait };
          return { kind: 'failed', traceId, error };
        }
        const { scores, refusal } = await scoreAll(context, row, context.toPrediction(traceId, outcome));
        // An interrupt while judging leaves error scores that say nothing about the answer: the row is not
        // done, so it is not recorded, and a resume answers and judges it again.
        if (context.signal.aborted && Object.values(scores).some((score) => score.error !== undefined)) {
          return { kind: 'aborted' };
        }
        // So does a judge call the budget refused: the row stays to do, and the run stops (the answer's spend
        // is in the ledger; with the response cache, a resume gets the answer again for free).
        if (refusal !== undefined) return { kind: 'refused', error: refusal };
        return { kind: 'answered', traceId, outcome, scores };
      },
      { 'frugal.eval.row_id': row.id, 'frugal.eval.repeat': repeat },
    ),
  );
}
