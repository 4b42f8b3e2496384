import { createHash, randomBytes } from 'node:crypto';
import type { AdmissionTicket, CallAdmission } from '../core/budgets/admission.js';
import type { BudgetExceededError } from '../core/errors.js';
import { FrugalError } from '../core/errors.js';
import type { EvalResultRecord, EvalRunRecord, RunStatus } from '../core/evals/eval-records.js';
import { createTracer } from '../tracing/create-tracer.js';
import type { EvalRow } from './eval-row.js';
import type { EvaluateOptions, EvaluationResult } from './evaluate-options.js';
import type { Target } from './predict-row.js';
import { createRateController } from './rate-controller.js';
import { recordRow } from './record-row.js';
import { renderPrompt } from './render-prompt.js';
import { attemptRow, type RowContext } from './row-task.js';
import { createRunBudget } from './run-budget.js';
import { runMetrics } from './run-metrics.js';
import { runTotals } from './run-totals.js';
import { createSpanCollector } from './span-collector.js';
import { tracedChatModel } from './traced-chat-model.js';

const datasetHash = (rows: readonly EvalRow[]) =>
  createHash('sha256')
    .update(JSON.stringify(rows.map((row) => [row.id, row.inputs, row.expectations])))
    .digest('hex')
    .slice(0, 16);

/** Both admissions must pass; when the second refuses, the first's reservation is released. */
function bothAdmissions(first: CallAdmission, second: CallAdmission): CallAdmission {
  return {
    async admit(request): Promise<AdmissionTicket> {
      const one = await first.admit(request);
      try {
        const two = await second.admit(request);
        return {
          settle(settlement) {
            one.settle(settlement);
            two.settle(settlement);
          },
        };
      } catch (error) {
        one.settle({ cost: undefined, status: 'error' });
        throw error;
      }
    },
  };
}

/**
 * What a row's candidate call is likely to use, for tokens-per-minute pacing: its prompt at ~4 characters per
 * token plus its output cap (or 256 tokens when it has none). Only pacing uses it; costs come from the spans.
 */
function tokenEstimate(options: EvaluateOptions, row: EvalRow): number {
  const candidate = options.candidate;
  const output = candidate?.parameters?.maxOutputTokens ?? 256;
  try {
    const prompt = candidate
      ? `${candidate.systemPrompt ?? ''}${renderPrompt(row, candidate.prompt)}`
      : JSON.stringify(row.inputs);
    return Math.ceil(prompt.length / 4) + output;
  } catch {
    return output; // a row the template cannot render fails in its own attempt, with the reason
  }
}

/** A row (one repeat of it) waiting to run; `attempts` counts rate limits since the run last made progress. */
type Item = { readonly row: EvalRow; readonly repeat: number; attempts: number; answeredAtLastLimit: number };

/**
 * Runs one candidate (a model configuration or a predict function) over a dataset and scores every answer,
 * like MLflow's `evaluate`. Every candidate and judge call is a span in the row's trace, attributed to the
 * run, and each row's usage and cost are summed from those spans. Rows run concurrently under an adaptive
 * rate controller; rate-limited rows are retried; a budget cap or an abort stops the run cleanly, keeping what
 * is done; results are recorded row by row, so `resume` continues an interrupted run.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluationResult> {
  if ((options.candidate === undefined) === (options.predict === undefined)) {
    throw new FrugalError('evaluate needs exactly one of `candidate` and `predict`');
  }
  const now = options.now ?? Date.now;
  const runId = options.runId ?? `run-${randomBytes(6).toString('hex')}`;
  const experiment = options.experiment ?? 'default';
  const candidateName = options.name ?? options.candidate?.name ?? 'predict';
  const previous = options.resume ? await options.recorder?.getRun(runId) : undefined;
  if (options.resume && previous === undefined) throw new FrugalError(`no stored run '${runId}' to resume`);
  if (previous !== undefined && previous.dataset.hash !== datasetHash(options.data)) {
    throw new FrugalError(
      `run '${runId}' was over a different dataset (${previous.dataset.name}, ${previous.dataset.rows} rows); start a new run`,
    );
  }
  const startedAt = previous?.startedAt ?? now();
  const kept = options.resume && options.recorder ? await options.recorder.listResults(runId) : [];
  const results = new Map<string, EvalResultRecord>();
  for (const result of kept)
    if (result.output !== undefined) results.set(`${result.rowId}#${result.repeat}`, result);

  const budget = options.budget === undefined ? undefined : createRunBudget(options.budget, startedAt);
  const admission =
    budget && options.admission ? bothAdmissions(options.admission, budget) : (budget ?? options.admission);
  const collector = createSpanCollector(options.sink);
  const tracer = createTracer({
    sink: collector,
    ...(options.priceBook === undefined ? {} : { priceBook: options.priceBook }),
    ...(admission === undefined ? {} : { admission }),
  });
  const target: Target = options.candidate
    ? {
        kind: 'model',
        candidate: options.candidate,
        traced: tracedChatModel(options.candidate.model, tracer),
      }
    : { kind: 'function', predict: options.predict as NonNullable<EvaluateOptions['predict']> };
  const simulated = options.candidate?.model.simulated ?? false;
  /** Whether any call of the run, candidate or judge, was the simulator's. */
  let simulatedSeen = simulated;
  const run = (status: RunStatus, extra: Partial<EvalRunRecord> = {}): EvalRunRecord => ({
    id: runId,
    experiment,
    candidate: candidateName,
    ...(options.candidate ? { model: options.candidate.model.id } : {}),
    simulated: simulatedSeen || [...results.values()].some((result) => result.simulated),
    status,
    startedAt,
    dataset: {
      name: options.datasetName ?? 'dataset',
      hash: datasetHash(options.data),
      rows: options.data.length,
    },
    config: options.config ?? {},
    metrics: {},
    ...extra,
  });
  await options.recorder?.putRun(run('running'));

  const controller =
    options.rateController ?? createRateController({ maxConcurrency: options.concurrency ?? 4 });
  const abort = new AbortController();
  const onAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const context: RowContext = {
    tracer,
    runId,
    target,
    scorers: options.scorers,
    cache: options.cache,
    signal: abort.signal,
    toPrediction: (traceId, outcome) => recordRow.prediction(collector.spansOf(traceId), outcome, simulated),
  };
  const repeats = options.repeats ?? 1;
  const queue: Item[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const row of options.data)
      if (!results.has(`${row.id}#${repeat}`))
        queue.push({ row, repeat, attempts: 0, answeredAtLastLimit: 0 });
  }
  const total = options.data.length * repeats;
  const maxRetries = options.maxRateLimitRetries ?? 5;
  let refusal: BudgetExceededError | undefined;
  let failure: unknown;
  const inFlight = new Set<Promise<void>>();
  const began = performance.now();
  const freshAtStart = results.size;

  let answered = 0;
  const runItem = async (item: Item, done: Awaited<ReturnType<typeof controller.acquire>>) => {
    const attempt = await attemptRow(context, item.row, item.repeat);
    if (attempt.kind === 'rate-limited') {
      done({ kind: 'rate-limited', retryAfterMs: attempt.retryAfterMs });
      // A row gives up only when the provider refuses it time after time while nothing else gets through:
      // while the run makes progress, a rate-limited row goes to the back of the queue and waits its turn.
      item.attempts = answered > item.answeredAtLastLimit ? 1 : item.attempts + 1;
      item.answeredAtLastLimit = answered;
      if (item.attempts <= maxRetries) queue.push(item);
      else {
        const error = new FrugalError(
          `rate limited ${item.attempts} times in a row while no other row got through; gave up on this row`,
        );
        results.set(`${item.row.id}#${item.repeat}`, recordRow.failed(runId, item, error, undefined, now()));
      }
      return;
    }
    if (attempt.kind === 'answered') answered++;
    done(
      attempt.kind === 'answered' ? { kind: 'ok', rateLimit: attempt.outcome.rateLimit } : { kind: 'failed' },
    );
    if (attempt.kind === 'refused') {
      refusal ??= attempt.error;
      return;
    }
    if (attempt.kind === 'aborted') return;
    const spans = collector.spansOf(attempt.traceId);
    if (spans.some((span) => span.simulated)) simulatedSeen = true;
    const record =
      attempt.kind === 'answered'
        ? await recordRow.answered(runId, item, attempt, spans, simulated, now(), options.cache)
        : recordRow.failed(runId, item, attempt.error, attempt.traceId, now(), spans);
    collector.forget(attempt.traceId);
    results.set(`${item.row.id}#${item.repeat}`, record);
    await options.recorder?.putResults([record]);
    const done_ = results.size;
    const elapsedMs = performance.now() - began;
    const fresh = done_ - freshAtStart;
    options.onProgress?.({
      done: done_,
      total,
      errors: [...results.values()].filter((result) => result.error !== undefined).length,
      spent: runTotals([...results.values()]).spent,
      elapsedMs,
      etaMs: fresh > 0 ? (elapsedMs / fresh) * (total - done_) : undefined,
    });
  };

  const stopped = () => refusal !== undefined || abort.signal.aborted || failure !== undefined;
  try {
    while (!stopped() && (queue.length > 0 || inFlight.size > 0)) {
      const item = queue.shift();
      if (item === undefined) {
        await Promise.race(inFlight);
        continue;
      }
      const done = await controller.acquire(tokenEstimate(options, item.row));
      if (stopped()) {
        done({ kind: 'failed' });
        break;
      }
      const task = runItem(item, done)
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    await Promise.all(inFlight);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await tracer.flush();
  }

  const rows = [...results.values()].sort((a, b) => a.rowIndex - b.rowIndex || a.repeat - b.repeat);
  const status: RunStatus = failure ? 'failed' : refusal || abort.signal.aborted ? 'stopped' : 'completed';
  const stopReason = failure
    ? `failed: ${failure instanceof Error ? failure.message : String(failure)}`
    : refusal
      ? refusal.message
      : abort.signal.aborted
        ? 'interrupted'
        : undefined;
  const metrics = runMetrics(options.scorers, rows);
  const finished = run(status, { endedAt: now(), metrics, ...(stopReason ? { stopReason } : {}) });
  await options.recorder?.putRun(finished);
  const totals = runTotals(rows);
  return {
    runId,
    experiment,
    candidate: candidateName,
    status,
    ...(stopReason ? { stopReason } : {}),
    metrics,
    rows,
    usage: totals.usage,
    cost: totals.cost,
    judgeCost: totals.judgeCost,
    simulated: finished.simulated,
  };
}
