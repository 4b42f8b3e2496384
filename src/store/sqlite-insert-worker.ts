import { parentPort, workerData } from 'node:worker_threads';
import type { Span } from '../core/spans/span.js';
import { spanFromJsonLine } from '../core/spans/span-json.js';
import { openSqliteStore } from './sqlite-store.js';

/** Messages to the worker: a batch to insert (spans, or their JSON lines), or the request to close. */
export type InsertRequest =
  | { readonly id: number; readonly spans: readonly Span[] }
  | { readonly id: number; readonly lines: readonly string[] };

type WorkerMessage = InsertRequest | { readonly close: true };

/** The spans of `spanToJsonLine` lines; a line that is not a span refuses the batch (a RangeError). */
function spansOfLines(lines: readonly string[]): Span[] {
  return lines.map((line) => {
    const span = spanFromJsonLine(line);
    if (span === undefined) throw new RangeError(`not a span: ${line.slice(0, 80)}`);
    return span;
  });
}

/** Its answers: how many were new, or why the batch failed (`rejected`: the data, not the store). */
export type InsertAnswer =
  | { readonly id: number; readonly count: number }
  | { readonly id: number; readonly error: { readonly message: string; readonly rejected: boolean } }
  | { readonly ready: true }
  | { readonly closed: true }
  | { readonly failed: string };

const rejectedData = (error: unknown): boolean => {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof RangeError) return true;
    current = current.cause;
  }
  return false;
};

// The worker side of `openThreadedSpanInserter`: its own connection to the SQLite file (WAL allows a reader
// and this writer beside the main thread's), inserting batches one at a time in arrival order.
const port = parentPort;
if (port !== null) {
  const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };
  try {
    // 8 MiB of page cache, not the 64 a querying connection gets: inserting 50k spans into a 1M-span file (the
    // random id and trace index pages) was no slower with it (15-20 µs a span against 25-26), and a long-running
    // gateway's RSS stays ~55 MB lower once its ledger is large.
    const store = await openSqliteStore({ path, busyTimeoutMs, cacheKib: 8_192 });
    port.on('message', async (message: WorkerMessage) => {
      if ('close' in message) {
        await store.close();
        port.postMessage({ closed: true } satisfies InsertAnswer);
        return;
      }
      try {
        const count = await store.insertSpans(
          'spans' in message ? message.spans : spansOfLines(message.lines),
        );
        port.postMessage({ id: message.id, count } satisfies InsertAnswer);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        port.postMessage({
          id: message.id,
          error: { message: text, rejected: rejectedData(error) },
        } satisfies InsertAnswer);
      }
    });
    port.postMessage({ ready: true } satisfies InsertAnswer);
  } catch (error) {
    port.postMessage({
      failed: error instanceof Error ? error.message : String(error),
    } satisfies InsertAnswer);
  }
}
