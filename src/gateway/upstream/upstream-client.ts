import { EventEmitter } from 'node:events';
import { ProviderError } from '../../core/errors.js';
import {
  connectionError,
  providerErrorFromResponse,
  timeoutError,
} from '../../providers/provider-error-mapping.js';
import { type Dispatcher, Pool, request, undiciErrors } from './undici.js';

/** Where one upstream call goes: an origin (pooled), a path with its query, headers carrying the key. */
export type UpstreamTarget = {
  readonly provider: string;
  readonly origin: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Every header sent, `content-type: application/json` included (built once per deployment, not per call). */
  readonly headers: Readonly<Record<string, string>>;
  /** Secrets to redact from error messages (the upstream key). */
  readonly secrets: readonly string[];
};

/**
 * Cancellation as undici accepts it (an EventEmitter with `aborted` and `reason`), without an AbortController's
 * EventTarget machinery, which costs ~10-20 µs a request on the gateway's hot path.
 */
export class Cancellation extends EventEmitter {
  aborted = false;
  reason: unknown;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }

  /** A real AbortSignal following this one, for APIs that need one (the provider port). */
  toSignal(): AbortSignal {
    const controller = new AbortController();
    if (this.aborted) controller.abort(this.reason);
    else this.once('abort', () => controller.abort(this.reason));
    return controller.signal;
  }
}

/** An upstream answer with a 2xx status: headers, and the body still to be read. */
export type UpstreamAnswer = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Dispatcher.ResponseData['body'];
  readonly requestId?: string | undefined;
};

/** The HTTP client to upstreams: one undici Pool per origin, kept alive, shared by every request. */
export interface UpstreamClient {
  /**
   * POSTs a JSON body. Resolves with a 2xx answer (its body unread); rejects with a ProviderError for any
   * other status (body read, key redacted), a timeout (no headers within `timeoutMs`, or the body idle that
   * long) or a connection failure, and with the signal's reason when `signal` aborts.
   */
  post(
    target: UpstreamTarget,
    body: string | Buffer,
    timeoutMs: number,
    cancel: Cancellation,
  ): Promise<UpstreamAnswer>;
  close(): Promise<void>;
}

/** Timeouts shorter than this are kept by a native timer (see `post`). */
const preciseTimeoutBelowMs = 10_000;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * undici's Pool, chosen over node:http's Agent and the global fetch for the proxy path: on this machine a
 * pass-through proxy serves ~5.5k req/s with a Pool, ~3.9k with http.Agent and ~1.3k with fetch
 * (MEASUREMENTS.md).
 */
export function createUpstreamClient(
  options: { readonly connectionsPerOrigin?: number } = {},
): UpstreamClient {
  const pools = new Map<string, Dispatcher>();
  const poolFor = (origin: string) => {
    let pool = pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: options.connectionsPerOrigin ?? 128,
        pipelining: 1,
        keepAliveTimeout: 30_000,
      });
      pools.set(origin, pool);
    }
    return pool;
  };

  return {
    async post(target, body, timeoutMs, cancel) {
      if (cancel.aborted) throw cancel.reason;
      // undici's timeouts tick at a 1 s resolution. For short timeouts a native timer keeps `timeoutMs` to the
      // millisecond until the headers arrive (undici's stays as a backstop and times idle bodies); long ones
      // (the default is 10 minutes) skip the per-request timer.
      const precise = timeoutMs < preciseTimeoutBelowMs;
      const attempt = precise ? new Cancellation() : undefined;
      const timer =
        attempt && setTimeout(() => attempt.abort(timeoutError(target.provider, timeoutMs)), timeoutMs);
      if (attempt) cancel.once('abort', () => attempt.abort(cancel.reason));
      const aborts = attempt ?? cancel;
      let response: Dispatcher.ResponseData;
      try {
        response = await request(poolFor(target.origin), {
          method: 'POST',
          path: target.path,
          headers: target.headers,
          body,
          signal: aborts,
          headersTimeout: precise ? timeoutMs + 1000 : timeoutMs,
          bodyTimeout: timeoutMs,
        });
      } catch (error) {
        throw upstreamFailure(target, error, aborts, timeoutMs);
      } finally {
        if (timer) clearTimeout(timer);
      }
      const requestId = first(response.headers['x-request-id']) ?? first(response.headers['request-id']);
      if (response.statusCode >= 200 && response.statusCode < 300) {
        return { status: response.statusCode, headers: response.headers, body: response.body, requestId };
      }
      let text = '';
      try {
        text = await response.body.text();
      } catch (error) {
        throw upstreamFailure(target, error, aborts, timeoutMs);
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        const one = first(value);
        if (one !== undefined) headers.set(name, one);
      }
      throw providerErrorFromResponse(
        { provider: target.provider, secrets: target.secrets, now: Date.now() },
        response.statusCode,
        headers,
        text,
      );
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close().catch(() => undefined)));
      pools.clear();
    },
  };
}

/** A failed send as a ProviderError (timeouts and dropped connections are retryable), or the abort reason. */
export function upstreamFailure(
  target: Pick<UpstreamTarget, 'provider'>,
  error: unknown,
  cancel: Cancellation,
  timeoutMs: number,
): unknown {
  if (cancel.aborted) return cancel.reason;
  if (error instanceof ProviderError) return error;
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return timeoutError(target.provider, timeoutMs);
  }
  return connectionError(target.provider, error);
}
