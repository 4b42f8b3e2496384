import { ProviderError } from '../../core/errors.js';
import type { Picodollars } from '../../core/money.js';
import type { Usage } from '../../core/usage.js';
import type { ChatModel } from '../../providers/chat-model.js';
import type { BatchState, BatchStatus } from '../../providers/openai-batch/batch-state.js';
import type { OpenAIBatchClient } from '../../providers/openai-batch/openai-batch-client.js';
import type { BatchLineError, BatchLineResult } from '../../providers/openai-batch/parse-batch-output.js';
import type { WaitForBatchOptions } from '../../providers/openai-batch/wait-for-batch.js';
import { type BatchItem, checkItems, type ItemRequestOptions, itemRequest } from './batch-item.js';
import { callEach, errorText } from './call-each.js';
import {
  type CallTally,
  combineTallies,
  exactDifference,
  type PricedCall,
  tallyCalls,
} from './call-tally.js';
import { type PriceOptions, priceUsage } from './price-usage.js';

export type RunBatchOptions = ItemRequestOptions &
  PriceOptions & {
    readonly items: readonly BatchItem[];
    readonly client: OpenAIBatchClient;
    /** Items the batch did not answer are asked again one by one through this model (standard prices). */
    readonly retryWith?: ChatModel | undefined;
    /** Retries in flight at once (default 4). */
    readonly concurrency?: number | undefined;
    readonly wait?: Omit<WaitForBatchOptions, 'signal'> | undefined;
    readonly signal?: AbortSignal | undefined;
    /** Cancel the batch when waiting is aborted or times out (default true). */
    readonly cancelOnStop?: boolean | undefined;
    /** Called once the batch exists, with its id (to look at it again later). */
    readonly onSubmitted?: ((batch: BatchState) => void) | undefined;
    /** Monotonic ms, for the time waited (default `performance.now`). */
    readonly now?: (() => number) | undefined;
  };

/** What became of one item. */
export type BatchItemOutcome = {
  readonly id: string;
  /** `batch`: answered by the batch; `retry`: by an individual call after the batch did not; `failed`: neither. */
  readonly via: 'batch' | 'retry' | 'failed';
  readonly text: string | undefined;
  readonly usage: Usage | undefined;
  /** Why the batch did not answer it. */
  readonly batchError: BatchLineError | undefined;
  /** Why its individual retry failed. */
  readonly retryError: string | undefined;
};

/** A batch run: answers, and exactly what they cost at batch prices against one call per item. */
export type BatchRunReport = {
  readonly batchId: string;
  readonly status: BatchStatus;
  /** From submitting to the final status: what batching costs in time. */
  readonly waitedMs: number;
  readonly items: readonly BatchItemOutcome[];
  /** The batch's answers at batch prices. */
  readonly batch: CallTally;
  /** The same answers (same usage) at standard prices: those items sent one call each. */
  readonly batchAtStandard: CallTally;
  /** The individual retries, at standard prices. */
  readonly retries: CallTally;
  /** batchAtStandard − batch, exact; undefined when an answer could not be priced. */
  readonly saving: Picodollars | undefined;
  /** What was spent (batch + retries) and what one call per item would have cost for the same answers. */
  readonly spent: CallTally;
  readonly oneCallPerItem: CallTally;
};

const stoppedEarly = (error: unknown, signal: AbortSignal | undefined) =>
  signal?.aborted === true || (error instanceof ProviderError && error.details.code === 'batch_wait_timeout');

/**
 * Runs items through the Batch API: one request per item (custom id = item id), submitted, polled to its end,
 * answers read back by id and priced exactly at batch and at standard prices. Items the batch did not answer
 * (failed, expired, cancelled) are listed with why and, with `retryWith`, asked again one by one. A batch that
 * fails validation throws with the provider's problems; an abort or a wait timeout cancels the batch (unless
 * `cancelOnStop: false`) and rethrows.
 */
export async function runBatch(options: RunBatchOptions): Promise<BatchRunReport> {
  const { items, client, signal } = options;
  checkItems(items);
  const now = options.now ?? (() => performance.now());
  const started = now();
  const submitted = await client.submit(
    items.map((item) => ({ customId: item.id, request: itemRequest(item, options) })),
    signal,
  );
  options.onSubmitted?.(submitted);
  let final: BatchState;
  try {
    final = await client.waitForBatch(submitted.id, { ...options.wait, signal });
  } catch (error) {
    if (options.cancelOnStop !== false && stoppedEarly(error, signal)) {
      await client.cancelBatch(submitted.id).catch(() => undefined);
    }
    throw error;
  }
  const waitedMs = now() - started;
  if (final.status === 'failed') {
    const problems = final.problems.map((problem) =>
      problem.line === undefined ? problem.message : `line ${problem.line}: ${problem.message}`,
    );
    throw new ProviderError(
      client.provider,
      { code: 'batch_failed', retryable: false, body: final.raw },
      `batch ${final.id} failed: ${problems.join('; ') || 'no reason given'}`,
    );
  }
  const submittedIds = new Set(items.map((item) => item.id));
  const byId = new Map<string, BatchLineResult>();
  for (const line of await client.results(final, signal)) {
    if (!submittedIds.has(line.customId)) {
      throw new ProviderError(
        client.provider,
        { code: 'invalid_response', retryable: false },
        `batch ${final.id} answered custom_id '${line.customId}', which was not submitted`,
      );
    }
    byId.set(line.customId, line);
  }
  const notRun: BatchLineError = {
    statusCode: undefined,
    code: 'not_run',
    message: `not in the output or error file of the ${final.status} batch`,
  };
  const batchCalls: PricedCall[] = [];
  const standardCalls: PricedCall[] = [];
  const outcomes = new Map<string, BatchItemOutcome>();
  for (const item of items) {
    const line = byId.get(item.id);
    if (line?.status === 'succeeded') {
      const { usage, text, responseModel } = line.reply;
      const names = [responseModel, `${client.provider}/${client.model}`, client.model];
      batchCalls.push({
        itemIds: [item.id],
        usage,
        cost: priceUsage(usage, names, { ...options, batch: true }),
      });
      standardCalls.push({ itemIds: [item.id], usage, cost: priceUsage(usage, names, options) });
      outcomes.set(item.id, {
        id: item.id,
        via: 'batch',
        text,
        usage,
        batchError: undefined,
        retryError: undefined,
      });
    } else {
      const batchError = line?.error ?? notRun;
      outcomes.set(item.id, {
        id: item.id,
        via: 'failed',
        text: undefined,
        usage: undefined,
        batchError,
        retryError: undefined,
      });
    }
  }
  const retried = items.filter((item) => outcomes.get(item.id)?.via === 'failed');
  const retryCalls: PricedCall[] = [];
  if (options.retryWith !== undefined && retried.length > 0) {
    const requests = retried.map((item) => ({ itemIds: [item.id], request: itemRequest(item, options) }));
    const answers = await callEach(options.retryWith, requests, options);
    answers.forEach((answer, index) => {
      const id = retried[index]!.id;
      const before = outcomes.get(id)!;
      if (!answer.ok) {
        outcomes.set(id, { ...before, retryError: errorText(answer.error) });
        return;
      }
      retryCalls.push(answer.call);
      outcomes.set(id, { ...before, via: 'retry', text: answer.result.text, usage: answer.result.usage });
    });
  }
  const batch = tallyCalls(batchCalls);
  const batchAtStandard = tallyCalls(standardCalls);
  const retries = tallyCalls(retryCalls);
  return {
    batchId: final.id,
    status: final.status,
    waitedMs,
    items: items.map((item) => outcomes.get(item.id)!),
    batch,
    batchAtStandard,
    retries,
    saving: exactDifference(batchAtStandard, batch),
    spent: combineTallies(batch, retries),
    oneCallPerItem: combineTallies(batchAtStandard, retries),
  };
}
