import { Worker } from 'node:worker_threads';
import { StoreError } from '../core/errors.js';
import type { Span } from '../core/spans/span.js';
import type { InsertAnswer, InsertRequest } from './sqlite-insert-worker.js';
import type { Store } from './store.js';

/**
 * The one store method a span writer needs, the same for spans as JSON lines (`spanToJsonLine`'s, as the span
 * writer journals them), and closing what it opened.
 */
export type SpanInserter = Pick<Store, 'insertSpans'> & {
  insertSpanLines(lines: readonly string[]): Promise<number>;
  close(): Promise<void>;
};

/**
 * Inserts spans into a SQLite file from a worker thread, so a busy process (the gateway) does not spend its
 * event loop on SQLite. The span writer hands it each batch as the journal's lines: the main thread then copies
 * text instead of structured-cloning span objects, and keeps no span object past its request. Same contract as
 * `Store.insertSpans` (idempotent, the count of new spans); data the store refuses (a line that is not a span
 * included) comes back as a RangeError, anything else as a StoreError. Needs the built package (dist/): from
 * TypeScript sources (tests run by Vitest) it refuses, and callers use the store itself.
 */
export async function openThreadedSpanInserter(options: {
  readonly path: string;
  readonly busyTimeoutMs?: number | undefined;
}): Promise<SpanInserter> {
  const script = new URL('./sqlite-insert-worker.js', import.meta.url);
  if (import.meta.url.endsWith('.ts')) {
    throw new StoreError(options.path, 'the threaded inserter runs from the built package only');
  }
  const worker = new Worker(script, {
    workerData: { path: options.path, busyTimeoutMs: options.busyTimeoutMs ?? 5_000 },
    // Its heap holds one batch of spans at a time: a small young generation keeps the worker's memory low.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  const pending = new Map<number, { resolve: (count: number) => void; reject: (error: Error) => void }>();
  let closed: (() => void) | undefined;
  let next = 0;
  const failAll = (error: Error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    const first = (answer: InsertAnswer) => {
      worker.off('message', first);
      if ('ready' in answer) resolve();
      else
        reject(
          new StoreError(
            options.path,
            'failed' in answer ? answer.failed : 'the insert worker did not start',
          ),
        );
    };
    worker.on('message', first);
    worker.once('error', reject);
  });
  worker.on('message', (answer: InsertAnswer) => {
    if ('closed' in answer) {
      closed?.();
      return;
    }
    if (!('id' in answer)) return;
    const waiting = pending.get(answer.id);
    pending.delete(answer.id);
    if (pending.size === 0) worker.unref();
    if (waiting === undefined) return;
    if ('count' in answer) waiting.resolve(answer.count);
    else {
      const { message, rejected } = answer.error;
      waiting.reject(rejected ? new RangeError(message) : new StoreError(options.path, message));
    }
  });
  worker.on('error', (error) =>
    failAll(new StoreError(options.path, `the insert worker failed: ${error.message}`, { cause: error })),
  );
  worker.on('exit', () => failAll(new StoreError(options.path, 'the insert worker stopped')));
  // An idle worker must not keep the process alive; one with batches in flight must (ref'd while pending).
  worker.unref();
  let stopped: Error | undefined;
  worker.once('exit', () => {
    stopped = new StoreError(options.path, 'the insert worker stopped');
  });
  const send = (request: InsertRequest): Promise<number> =>
    new Promise((resolve, reject) => {
      // After close (or a crash), at once: a message to a worker that is gone is never answered.
      if (stopped !== undefined) {
        reject(stopped);
        return;
      }
      if (pending.size === 0) worker.ref();
      pending.set(request.id, { resolve, reject });
      worker.postMessage(request);
    });
  return {
    insertSpans: (spans: readonly Span[]) => send({ id: next++, spans }),
    // The array as it is: structured-cloning 175 lines costs ~0.5 µs a line, joining them first ~2.3 (the joined
    // string is a large object, allocated and copied twice).
    insertSpanLines: (lines: readonly string[]) => send({ id: next++, lines }),
    async close() {
      await new Promise<void>((resolve) => {
        worker.ref();
        closed = resolve;
        worker.postMessage({ close: true });
        setTimeout(resolve, 5_000).unref();
      });
      await worker.terminate();
    },
  };
}
