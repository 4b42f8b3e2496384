import { ProviderError } from '../../core/errors.js';
import { abortableSleep, type Sleep } from '../retry-policy.js';
import { type BatchState, finalBatchStatuses } from './batch-state.js';

/** How to wait for a batch to finish. */
export type WaitForBatchOptions = {
  /** First wait between two polls, ms (default 5 s); each next wait is 1.5 times longer. */
  readonly pollIntervalMs?: number | undefined;
  /** Cap on the wait between two polls, ms (default 60 s). */
  readonly maxPollIntervalMs?: number | undefined;
  /** Longest wait in all, ms (default 25 h: the 24 h completion window and some). */
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Called with the first state and with every state whose status or counts changed. */
  readonly onProgress?: ((state: BatchState) => void) | undefined;
  /** How to wait between polls (default: a timer the signal cuts short). */
  readonly sleep?: Sleep | undefined;
  /** Monotonic ms, for the timeout (default `performance.now`). */
  readonly now?: (() => number) | undefined;
};

const progressKey = (state: BatchState) =>
  `${state.status}:${state.requestCounts?.completed}:${state.requestCounts?.failed}`;

/**
 * Polls `retrieve` until the batch is completed, failed, expired or cancelled, backing off from
 * `pollIntervalMs` by 1.5× per poll up to `maxPollIntervalMs`. Past `timeoutMs` it throws a non-retryable
 * `ProviderError` coded `batch_wait_timeout` (the batch keeps running: cancel it or look again later); an
 * aborted signal rejects with its reason.
 */
export async function waitForBatch(
  provider: string,
  batchId: string,
  retrieve: (batchId: string, signal: AbortSignal | undefined) => Promise<BatchState>,
  options: WaitForBatchOptions = {},
): Promise<BatchState> {
  const { signal, onProgress } = options;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? (() => performance.now());
  const timeoutMs = options.timeoutMs ?? 25 * 3_600_000;
  const maxInterval = options.maxPollIntervalMs ?? 60_000;
  let interval = Math.min(options.pollIntervalMs ?? 5_000, maxInterval);
  for (const [name, value] of Object.entries({ interval, maxInterval, timeoutMs })) {
    if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be ≥ 0, got ${value}`);
  }
  const started = now();
  let reported: string | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const state = await retrieve(batchId, signal);
    if (progressKey(state) !== reported) {
      reported = progressKey(state);
      onProgress?.(state);
    }
    if (finalBatchStatuses.includes(state.status)) return state;
    const remaining = timeoutMs - (now() - started);
    if (remaining <= 0) {
      const counts = state.requestCounts;
      const done =
        counts && counts.total > 0
          ? `, ${counts.completed + counts.failed}/${counts.total} requests done`
          : '';
      throw new ProviderError(
        provider,
        { code: 'batch_wait_timeout', retryable: false },
        `batch ${batchId} is still ${state.status} after ${timeoutMs} ms${done}; it keeps running: cancel it or look again later`,
      );
    }
    await sleep(Math.min(interval, remaining), signal);
    interval = Math.min(interval * 1.5, maxInterval);
  }
}
