import { setTimeout as sleepFor } from 'node:timers/promises';
import type { AttributeValue, Span } from '../core/spans/span.js';
import { backoffMs, retryAfterMs } from '../core/time/retry-delay.js';
import { registerExitFlush } from './exit-flush.js';
import { otlpTraceRequest } from './otlp-trace-request.js';
import { serialFlush } from './serial-flush.js';
import type { SinkStats, SpanSink } from './span-sink.js';

/** Where and how `createOtlpExporter` sends spans. Only `endpoint` is required. */
export type OtlpExporterOptions = {
  /** The collector's base URL (`http://localhost:4318`): spans are POSTed to `{endpoint}/v1/traces`. */
  readonly endpoint: string;
  /** Extra request headers (authentication). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** `service.name` of the resource (default `unknown_service:node`, OpenTelemetry's fallback). */
  readonly serviceName?: string | undefined;
  readonly resourceAttributes?: Readonly<Record<string, AttributeValue>> | undefined;
  /** Spans per request; reaching it triggers an export (default 512). */
  readonly batchSize?: number | undefined;
  /** An export at least this often while spans wait (default 5,000 ms). */
  readonly flushIntervalMs?: number | undefined;
  /** Spans waiting beyond this are dropped and counted (default 10,000). */
  readonly maxQueueSize?: number | undefined;
  /** Tries per batch, the first included, before it is given up (default 5). */
  readonly maxAttempts?: number | undefined;
  /** First backoff; doubles per retry, with jitter (default 500 ms). */
  readonly initialBackoffMs?: number | undefined;
  /** Longest wait between tries, `Retry-After` included (default 30,000 ms). */
  readonly maxBackoffMs?: number | undefined;
  /** Per request (default 10,000 ms). */
  readonly timeoutMs?: number | undefined;
  readonly flushOnExit?: boolean | undefined;
  readonly exitFlushTimeoutMs?: number | undefined;
  /** Told about every failed try and every batch given up (default: stderr). */
  readonly onError?: ((error: Error) => void) | undefined;
  /** How to wait between tries (default: a timer). */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
};

/** HTTP statuses OTLP/HTTP says to retry; any other non-2xx status is final. */
const retryableStatuses = new Set([429, 502, 503, 504]);

type Attempt =
  | { ok: true; rejected: number; message: string }
  | { ok: false; retryable: boolean; waitMs?: number | undefined; error: Error };

/**
 * A sink that exports spans to an OpenTelemetry collector over OTLP/HTTP with the JSON encoding. Spans are
 * queued in memory and sent in batches, one request at a time; 429/502/503/504 and network failures are
 * retried with capped exponential backoff honouring `Retry-After`; a batch is given up after `maxAttempts`
 * (counted as dropped and reported). Not durable: compose it with the span writer (`combineSinks`).
 */
export function createOtlpExporter(options: OtlpExporterOptions): SpanSink {
  const url = `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const batchSize = Math.max(1, options.batchSize ?? 512);
  const maxQueue = options.maxQueueSize ?? 10_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const initialBackoff = options.initialBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const resource = {
    serviceName: options.serviceName ?? 'unknown_service:node',
    attributes: options.resourceAttributes,
    scope: { name: 'frugal' },
  };
  const report = (error: Error) => {
    try {
      (options.onError ?? ((e) => console.error(`frugal OTLP exporter: ${e.message}`)))(error);
    } catch {}
  };
  const counts = { written: 0, delivered: 0, dropped: 0, errors: 0 };
  let queue: Span[] = [];
  let closed = false;
  let scheduled = false;
  let droppingSince = -1;

  const attempt = async (body: string): Promise<Attempt> => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { ...options.headers, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return {
        ok: false,
        retryable: true,
        error: new Error(`POST ${url} failed: ${messageOf(error)}`, { cause: error }),
      };
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      const partial = partialSuccessOf(text);
      return { ok: true, rejected: partial.rejected, message: partial.message };
    }
    return {
      ok: false,
      retryable: retryableStatuses.has(response.status),
      waitMs: retryAfterMs(response.headers.get('retry-after'), Date.now()),
      error: new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 200)}`),
    };
  };

  const send = async (batch: Span[]) => {
    const body = JSON.stringify(otlpTraceRequest(batch, resource));
    for (let tries = 1; ; tries++) {
      const result = await attempt(body);
      if (result.ok) {
        counts.delivered += batch.length - result.rejected;
        counts.dropped += result.rejected;
        if (result.rejected > 0)
          report(new Error(`collector rejected ${result.rejected} span(s): ${result.message}`));
        return;
      }
      counts.errors++;
      report(result.error);
      if (!result.retryable || tries >= maxAttempts) {
        counts.dropped += batch.length;
        report(
          new Error(`gave up exporting ${batch.length} span(s) after ${tries} attempt(s)`, {
            cause: result.error,
          }),
        );
        return;
      }
      await sleep(Math.min(maxBackoff, result.waitMs ?? backoffMs(tries, initialBackoff, maxBackoff)));
    }
  };

  const pass = async () => {
    while (queue.length > 0) {
      const batch = queue.slice(0, batchSize);
      queue = queue.slice(batch.length);
      await send(batch);
    }
  };

  const { flush, running } = serialFlush(pass);

  const timer = setInterval(() => {
    if (queue.length > 0 && !running()) void flush();
  }, options.flushIntervalMs ?? 5_000);
  timer.unref();
  const exitTimeoutMs = options.exitFlushTimeoutMs ?? 5_000;
  const unregister =
    options.flushOnExit === false
      ? () => {}
      : registerExitFlush(async () => {
          if (queue.length === 0 && !running()) return;
          let timeout: NodeJS.Timeout | undefined;
          await Promise.race([
            flush(),
            new Promise((resolve) => (timeout = setTimeout(resolve, exitTimeoutMs))),
          ]);
          clearTimeout(timeout);
        });

  return {
    write(span) {
      counts.written++;
      if (closed || queue.length >= maxQueue) {
        counts.dropped++;
        if (!closed && droppingSince < counts.delivered) {
          droppingSince = counts.delivered;
          report(
            new Error(`export queue full (${maxQueue} spans): dropping spans until the collector catches up`),
          );
        }
        return;
      }
      queue.push(span);
      if (queue.length >= batchSize && !scheduled && !running()) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          void flush();
        });
      }
    },
    flush,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      unregister();
      await flush();
    },
    get stats(): SinkStats {
      return { ...counts };
    },
  };
}

function partialSuccessOf(text: string): { rejected: number; message: string } {
  try {
    const body = JSON.parse(text) as {
      partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string };
    };
    const rejected = Number(body.partialSuccess?.rejectedSpans ?? 0);
    return {
      rejected: Number.isSafeInteger(rejected) ? rejected : 0,
      message: body.partialSuccess?.errorMessage ?? '',
    };
  } catch {
    return { rejected: 0, message: '' };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
