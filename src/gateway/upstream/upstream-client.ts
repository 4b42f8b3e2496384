import { ProviderError } from '../../core/errors.js';
import {
  connectionError,
  providerErrorFromResponse,
  timeoutError,
} from '../../providers/provider-error-mapping.js';
import { type Dispatcher, Pool, undiciErrors } from './undici.js';

/** Where one upstream call goes: an origin (pooled), a path with its query, headers carrying the key. */
export type UpstreamTarget = {
  readonly provider: string;
  readonly origin: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Secrets to redact from error messages (the upstream key). */
  readonly secrets: readonly string[];
};

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
    signal: AbortSignal,
  ): Promise<UpstreamAnswer>;
  close(): Promise<void>;
}

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
    async post(target, body, timeoutMs, signal) {
      if (signal.aborted) throw signal.reason;
      // undici's own header timeout ticks at a 1 s resolution: a native timer keeps `timeoutMs` to the
      // millisecond until the answer's headers arrive (undici's stays as a backstop, and times idle bodies).
      const attempt = new AbortController();
      const timeout = timeoutError(target.provider, timeoutMs);
      const timer = setTimeout(() => attempt.abort(timeout), timeoutMs);
      signal.addEventListener('abort', () => attempt.abort(signal.reason), { once: true });
      let response: Dispatcher.ResponseData;
      try {
        response = await poolFor(target.origin).request({
          method: 'POST',
          path: target.path,
          headers: { 'content-type': 'application/json', ...target.headers },
          body,
          signal: attempt.signal,
          headersTimeout: timeoutMs + 1000,
          bodyTimeout: timeoutMs,
        });
      } catch (error) {
        throw upstreamFailure(target, error, attempt.signal, timeoutMs);
      } finally {
        clearTimeout(timer);
      }
      const requestId = first(response.headers['x-request-id']) ?? first(response.headers['request-id']);
      if (response.statusCode >= 200 && response.statusCode < 300) {
        return { status: response.statusCode, headers: response.headers, body: response.body, requestId };
      }
      let text = '';
      try {
        text = await response.body.text();
      } catch (error) {
        throw upstreamFailure(target, error, attempt.signal, timeoutMs);
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
  signal: AbortSignal,
  timeoutMs: number,
): unknown {
  if (signal.aborted) return signal.reason;
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
