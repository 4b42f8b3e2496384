import type { EvalResultRecord, StoredScore } from '../core/evals/eval-records.js';
import type { Span } from '../core/spans/span.js';
import type { EvalRow } from './eval-row.js';
import type { PredictOutcome } from './predict-row.js';
import type { ResponseCache } from './response-cache.js';
import { candidateTag, judgeTag, rowSpend } from './row-spend.js';
import type { RowAttempt } from './row-task.js';
import type { Prediction, Score } from './scorer.js';

type Item = { readonly row: EvalRow; readonly repeat: number };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function stored(score: Score): StoredScore {
  return {
    ...(score.value === undefined ? {} : { value: score.value }),
    ...(score.rationale === undefined ? {} : { rationale: score.rationale }),
    ...(score.details === undefined ? {} : { details: score.details }),
    ...(score.error === undefined ? {} : { error: score.error }),
  };
}

const base = (runId: string, item: Item, recordedAt: number) => ({
  runId,
  rowId: item.row.id,
  rowIndex: item.row.index,
  repeat: item.repeat,
  inputs: item.row.inputs,
  expectations: item.row.expectations as Readonly<Record<string, unknown>>,
  recordedAt,
});

/**
 * The candidate's answer as scorers see it. A fresh answer's usage and cost are its spans'; a cached one's are
 * what it cost when it was fresh (it is marked cached, and its latency is not reported).
 */
function prediction(spans: readonly Span[], outcome: PredictOutcome, simulated: boolean): Prediction {
  if (outcome.cached) {
    return {
      text: outcome.text,
      usage: outcome.cached.usage,
      cost: outcome.cached.cost === undefined ? undefined : BigInt(outcome.cached.cost),
      cached: true,
      simulated: outcome.cached.simulated,
    };
  }
  const spend = rowSpend(spans, candidateTag);
  return {
    text: outcome.text,
    usage: spend.usage,
    cost: spend.cost,
    latencyMs: outcome.latencyMs,
    cached: false,
    simulated: simulated || spend.simulated,
  };
}

async function answered(
  runId: string,
  item: Item,
  attempt: Extract<RowAttempt, { kind: 'answered' }>,
  spans: readonly Span[],
  simulated: boolean,
  recordedAt: number,
  cache: ResponseCache | undefined,
): Promise<EvalResultRecord> {
  const answer = prediction(spans, attempt.outcome, simulated);
  const judge = rowSpend(spans, judgeTag);
  const { outcome } = attempt;
  if (cache && outcome.cacheKey && !outcome.cached && outcome.responseModel !== undefined) {
    await cache.put(outcome.cacheKey, {
      text: answer.text,
      usage: answer.usage,
      ...(answer.cost === undefined ? {} : { cost: String(answer.cost) }),
      responseModel: outcome.responseModel,
      simulated: answer.simulated === true,
      traceId: attempt.traceId,
      recordedAt,
    });
  }
  const scores: Record<string, StoredScore> = {};
  for (const [name, score] of Object.entries(attempt.scores)) scores[name] = stored(score);
  return {
    ...base(runId, item, recordedAt),
    output: answer.text,
    scores,
    traceId: attempt.traceId,
    ...(answer.usage === undefined ? {} : { usage: answer.usage }),
    ...(answer.cost === undefined ? {} : { cost: answer.cost }),
    ...(judge.usage === undefined ? {} : { judgeUsage: judge.usage }),
    ...(judge.calls === 0 || judge.cost === undefined ? {} : { judgeCost: judge.cost }),
    ...(answer.latencyMs === undefined ? {} : { latencyMs: answer.latencyMs }),
    cached: answer.cached === true,
    simulated: answer.simulated === true,
  };
}

function failed(
  runId: string,
  item: Item,
  error: unknown,
  traceId: string | undefined,
  recordedAt: number,
  spans: readonly Span[] = [],
): EvalResultRecord {
  const spend = rowSpend(spans, candidateTag);
  return {
    ...base(runId, item, recordedAt),
    error: message(error),
    scores: {},
    ...(traceId === undefined ? {} : { traceId }),
    ...(spend.usage === undefined ? {} : { usage: spend.usage }),
    ...(spend.calls > 0 && spend.cost !== undefined ? { cost: spend.cost } : {}),
    cached: false,
    simulated: spend.simulated,
  };
}

/** Turns a row's attempt and its spans into the prediction scorers see and the result that is recorded. */
export const recordRow = { prediction, answered, failed };
