import { ProviderError } from '../core/errors.js';
import {
  connectionError,
  type ErrorContext,
  providerErrorFromResponse,
  requestIdFrom,
  timeoutError,
} from './provider-error-mapping.js';
import { createRetryPolicy, type RetryPolicy, type RetryPolicyOptions } from './retry-policy.js';

/** Transport options every HTTP adapter takes. */
export type HttpOptions = {
  /**
   * Longest wait, ms, for the response and its whole body, or, in a stream, for each next event (default 60 s).
   * Past it the request is aborted with a retryable `ProviderError` coded `timeout`.
   */
  readonly timeoutMs?: number | undefined;
  /** Retries after a retryable failure (default 2). */
  readonly maxRetries?: number | undefined;
  /** The rest of the retry policy (backoff, jitter source, sleep), mainly for tests. */
  readonly retry?: RetryPolicyOptions | undefined;
  /** Extra headers sent with every request (over the adapter's own). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Replaces the global `fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /** Epoch ms, for `retry-after` dates and rate-limit reset times (default `Date.now`). */
  readonly now?: (() => number) | undefined;
};

/** What an adapter needs to talk HTTP: the settled transport options. */
export type HttpClient = {
  readonly provider: string;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly headers: Readonly<Record<string, string>>;
  readonly now: () => number;
  /** Never to appear in errors. */
  readonly secrets: readonly (string | undefined)[];
};

export function createHttpClient(
  provider: string,
  options: HttpOptions,
  secrets: readonly (string | undefined)[],
): HttpClient {
  return {
    provider,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? 60_000,
    retry: createRetryPolicy({
      ...options.retry,
      maxRetries: options.maxRetries ?? options.retry?.maxRetries,
    }),
    headers: options.headers ?? {},
    now: options.now ?? Date.now,
    secrets,
  };
}

/** One POST as the adapter builds it. */
export type WireRequest = {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
};

/** A request answered with a 2xx status, its body not yet read. */
export type Exchange = {
  readonly response: Response;
  /** `performance.now()` when the request was sent. */
  readonly startedAt: number;
  readonly requestId: string | undefined;
  /** Restarts the timeout (a stream calls it on each event). */
  touch(): void;
  /** Stops the timeout while the caller, not the provider, holds things up (a stream's consumer). */
  pause(): void;
  /** The error to throw for a failure while reading the body: the caller's abort, a timeout, a dropped line. */
  failure(error: unknown): unknown;
  /** Stops the timer and releases the connection (cancelling an unread body). */
  close(): void;
};

export function errorContext(client: HttpClient): ErrorContext {
  return { provider: client.provider, secrets: client.secrets, now: client.now() };
}

/**
 * Sends one POST and waits for its status. A non-2xx answer is read and thrown as a `ProviderError`; a timeout,
 * a refused or dropped connection likewise; the caller's abort rejects with the signal's reason.
 */
export async function openExchange(
  client: HttpClient,
  wire: WireRequest,
  signal: AbortSignal | undefined,
): Promise<Exchange> {
  const controller = new AbortController();
  let expired = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      expired = true;
      controller.abort(timeoutError(client.provider, client.timeoutMs));
    }, client.timeoutMs);
  };
  const pause = () => clearTimeout(timer);
  const close = () => {
    clearTimeout(timer);
    controller.abort();
  };
  let requestId: string | undefined;
  const failure = (error: unknown): unknown => {
    if (signal?.aborted) return signal.reason;
    if (expired) return timeoutError(client.provider, client.timeoutMs);
    if (error instanceof ProviderError) return error;
    return connectionError(client.provider, error, requestId);
  };
  touch();
  const startedAt = performance.now();
  try {
    const response = await client.fetch(wire.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...wire.headers, ...client.headers },
      body: JSON.stringify(wire.body),
      signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
    });
    requestId = requestIdFrom(response.headers);
    if (!response.ok) {
      const text = await response.text();
      throw providerErrorFromResponse(errorContext(client), response.status, response.headers, text);
    }
    return { response, startedAt, requestId, touch, pause, failure, close };
  } catch (error) {
    close();
    throw failure(error);
  }
}
