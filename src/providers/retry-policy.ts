import { ProviderError } from '../core/errors.js';
import { backoffMs } from '../core/time/retry-delay.js';

/** Waits `ms`, rejecting with the signal's reason as soon as the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal | undefined) => Promise<void>;

/**
 * When and how long to wait before trying a failed provider call again. One policy for every adapter:
 * only `ProviderError.retryable` errors are retried; the wait is the provider's `retryAfterMs` when it sent one
 * (`retry-after-ms`, then `retry-after`), else capped exponential backoff with jitter.
 */
export type RetryPolicy = {
  /** Retries after the first attempt (default 2: at most three requests). */
  readonly maxRetries: number;
  /** Backoff before the first retry, before jitter (default 500 ms); doubles per retry. */
  readonly initialDelayMs: number;
  /** Cap on a backoff wait (default 8 s). */
  readonly maxDelayMs: number;
  /**
   * Longest provider-requested wait that is honoured (default 60 s). A provider asking for more is not retried:
   * the error is thrown with its `retryAfterMs`, for the caller to schedule.
   */
  readonly maxRetryAfterMs: number;
  /** [0, 1), for jitter. */
  readonly random: () => number;
  readonly sleep: Sleep;
};

export type RetryPolicyOptions = Partial<{ -readonly [K in keyof RetryPolicy]: RetryPolicy[K] | undefined }>;

/** A sleep on the real timer that an abort signal cuts short. */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** The policy with defaults filled in. */
export function createRetryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  return {
    maxRetries: options.maxRetries ?? 2,
    initialDelayMs: options.initialDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 8_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? abortableSleep,
  };
}

/** The wait before retry number `retry` (1 = first) after `error`, or undefined when it must not be retried. */
export function retryDelayMs(policy: RetryPolicy, error: unknown, retry: number): number | undefined {
  if (!(error instanceof ProviderError) || !error.retryable || retry > policy.maxRetries) return undefined;
  const asked = error.details.retryAfterMs;
  if (asked !== undefined) return asked <= policy.maxRetryAfterMs ? asked : undefined;
  return backoffMs(retry, policy.initialDelayMs, policy.maxDelayMs, policy.random);
}

/**
 * Runs `attempt` (given its number, 0 first) until it succeeds, a non-retryable error is thrown, or the policy's
 * retries are spent; the last error is rethrown. An aborted `signal` stops at once with the signal's reason.
 * Stream callers wrap only the part before the first event arrives: a started stream is never retried.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (attemptNumber: number) => Promise<T>,
  signal?: AbortSignal | undefined,
): Promise<T> {
  for (let attemptNumber = 0; ; attemptNumber += 1) {
    if (signal?.aborted) throw signal.reason;
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const delay = retryDelayMs(policy, error, attemptNumber + 1);
      if (delay === undefined) throw error;
      await policy.sleep(delay, signal);
    }
  }
}
