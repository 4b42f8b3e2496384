import { EventEmitter } from 'node:events';
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

/**
 * An upstream answer's body, read once: whole (`text`) or piece by piece as it arrives (async iteration: each
 * piece is all that arrived since the previous one).
 */
export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  /** The whole body as UTF-8 text, once it has all arrived. */
  text(): Promise<string>;
}

/** An upstream answer with a 2xx status: what the gateway needs of its headers, and the body still to be read. */
export type UpstreamAnswer = {
  readonly status: number;
  /** `content-type`, '' when absent. */
  readonly contentType: string;
  readonly body: UpstreamBody;
  readonly requestId?: string | undefined;
};

/** The HTTP client to upstreams: one undici Pool per origin, kept alive, shared by every request. */
export interface UpstreamClient {
  /**
   * POSTs a JSON body. Resolves with a 2xx answer (its body unread); rejects with a ProviderError for any
   * other status (body read, key redacted), a timeout (no headers within `timeoutMs`, or the body idle that
   * long) or a connection failure, and with `cancel`'s reason when it aborts.
   */
  post(
    target: UpstreamTarget,
    body: string | Buffer,
    timeoutMs: number,
    cancel: Cancellation,
  ): Promise<UpstreamAnswer>;
  close(): Promise<void>;
}

/** Timeouts shorter than this are kept by a native timer (see `UpstreamCall`). */
const preciseTimeoutBelowMs = 10_000;
/** Bytes of an answer held for a slow reader before undici stops reading the socket. */
const highWaterMark = 64 * 1024;

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
      const call = new UpstreamCall(target, timeoutMs, cancel);
      // undici's timeouts tick at a 1 s resolution: for short timeouts the call's own timer keeps `timeoutMs` to
      // the millisecond until the headers arrive, and undici's is the backstop (it also times idle bodies).
      poolFor(target.origin).dispatch(
        {
          method: 'POST',
          path: target.path,
          headers: target.headers,
          body,
          headersTimeout: timeoutMs < preciseTimeoutBelowMs ? timeoutMs + 1000 : timeoutMs,
          bodyTimeout: timeoutMs,
        },
        call as Dispatcher.DispatchHandler,
      );
      const answer = await call.answer;
      if (answer.status >= 200 && answer.status < 300) return answer;
      let text = '';
      try {
        text = await answer.body.text();
      } catch (error) {
        throw upstreamFailure(target, error, call, timeoutMs);
      }
      throw providerErrorFromResponse(
        { provider: target.provider, secrets: target.secrets, now: Date.now() },
        answer.status,
        call.allHeaders(),
        text,
      );
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close().catch(() => undefined)));
      pools.clear();
    },
  };
}

/**
 * One call, as undici's dispatch handler: the answer's promise, then its body. Written against `dispatch`
 * rather than undici's `request`, whose answer is a Readable stream in an AsyncResource with every header
 * parsed into an object: the gateway reads a few headers and either the whole body or its chunks in order, and
 * the stream machinery cost more per request than everything else between undici and the gateway (bench:gateway).
 * Backpressure: past `highWaterMark` bytes unread, undici stops reading the socket until the reader catches up.
 */
class UpstreamCall implements UpstreamBody {
  readonly answer: Promise<UpstreamAnswer>;
  aborted = false;
  reason: unknown;
  #settle!: { resolve: (answer: UpstreamAnswer) => void; reject: (error: unknown) => void };
  #abort: ((reason: Error) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #rawHeaders: Buffer[] = [];
  #started = false;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #ended = false;
  #failed = false;
  #error: unknown;
  #read = false;
  /** The reader wants the whole body (`text`): nothing to pause for. */
  #whole = false;
  #wake: (() => void) | undefined;
  #resume: (() => void) | undefined;
  #paused = false;

  constructor(
    private readonly target: UpstreamTarget,
    private readonly timeoutMs: number,
    private readonly cancel: Cancellation,
  ) {
    this.answer = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    cancel.once('abort', this.#onCancel);
    if (timeoutMs < preciseTimeoutBelowMs) {
      this.#timer = setTimeout(() => this.#stop(timeoutError(target.provider, timeoutMs)), timeoutMs);
    }
  }

  readonly #onCancel = () => this.#stop(this.cancel.reason);

  /** Aborts the call with `reason` (what `post` rejects with, or the body's readers throw). */
  #stop(reason: unknown): void {
    if (this.aborted || this.#ended) return;
    this.aborted = true;
    this.reason = reason;
    this.#abort?.(reason as Error);
  }

  #finish(): void {
    this.cancel.off('abort', this.#onCancel);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  onConnect(abort: (reason: Error) => void): void {
    if (this.aborted) abort(this.reason as Error);
    else this.#abort = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (status < 200) return true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#started = true;
    this.#rawHeaders = rawHeaders;
    this.#resume = resume;
    let contentType = '';
    let requestId: string | undefined;
    let otherRequestId: string | undefined;
    for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
      const length = rawHeaders[index]!.length;
      if (length !== 12 && length !== 10) continue;
      const name = rawHeaders[index]!.toString('latin1').toLowerCase();
      if (name === 'content-type') contentType = rawHeaders[index + 1]!.toString('latin1');
      else if (name === 'x-request-id') requestId ??= rawHeaders[index + 1]!.toString('latin1');
      else if (name === 'request-id') otherRequestId ??= rawHeaders[index + 1]!.toString('latin1');
    }
    this.#settle.resolve({ status, contentType, body: this, requestId: requestId ?? otherRequestId });
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    this.#wake?.();
    if (this.#whole || this.#buffered < highWaterMark) return true;
    this.#paused = true;
    return false;
  }

  onComplete(): void {
    this.#ended = true;
    this.#finish();
    this.#wake?.();
  }

  onError(error: Error): void {
    this.#finish();
    const failure = this.aborted ? this.reason : error;
    if (!this.#started) {
      this.#settle.reject(upstreamFailure(this.target, error, this, this.timeoutMs));
      return;
    }
    this.#failed = true;
    this.#error = failure;
    this.#wake?.();
  }

  /** Every header of the answer, for an error's details (`retry-after`, request ids). */
  allHeaders(): Headers {
    const headers = new Headers();
    const raw = this.#rawHeaders;
    for (let index = 0; index + 1 < raw.length; index += 2) {
      try {
        headers.append(raw[index]!.toString('latin1'), raw[index + 1]!.toString('latin1'));
      } catch {
        // A header the Fetch API refuses is not one an error's details use.
      }
    }
    return headers;
  }

  #claim(): void {
    if (this.#read) throw new Error("an upstream answer's body is read once");
    this.#read = true;
  }

  /** Waits until something happened: a chunk, the end, an error. */
  #changed(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = () => {
        this.#wake = undefined;
        resolve();
      };
    });
  }

  async text(): Promise<string> {
    this.#claim();
    // Never paused from here: the whole answer is wanted.
    this.#whole = true;
    if (this.#paused) {
      this.#paused = false;
      this.#resume?.();
    }
    while (!this.#ended) {
      if (this.#failed) throw this.#error;
      await this.#changed();
    }
    const chunks = this.#chunks;
    this.#chunks = [];
    return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#claim();
    return {
      next: async (): Promise<IteratorResult<Uint8Array>> => {
        for (;;) {
          const chunks = this.#chunks;
          if (chunks.length > 0) {
            // Everything that arrived since the last read, as one piece: an answer that came in one socket read
            // (undici hands it over chunk by chunk of its transfer encoding) is relayed in one piece too.
            this.#chunks = [];
            this.#buffered = 0;
            if (this.#paused) {
              this.#paused = false;
              this.#resume?.();
            }
            return { value: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), done: false };
          }
          if (this.#failed) throw this.#error;
          if (this.#ended) return { value: undefined, done: true };
          await this.#changed();
        }
      },
      return: async (): Promise<IteratorResult<Uint8Array>> => {
        // The reader stopped early: the rest of the answer is not wanted.
        if (!this.#ended && !this.#failed) this.#stop(new Error('the answer was not read to its end'));
        return { value: undefined, done: true };
      },
    };
  }
}

/** A failed send as a ProviderError (timeouts and dropped connections are retryable), or the abort reason. */
export function upstreamFailure(
  target: Pick<UpstreamTarget, 'provider'>,
  error: unknown,
  cancel: { readonly aborted: boolean; readonly reason: unknown },
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
