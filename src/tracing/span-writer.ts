import { join } from 'node:path';
import { registerExitFlush } from './exit-flush.js';
import {
  createJournaledQueue,
  messageOf,
  type QueueCounts,
  type SpanDestination,
} from './journaled-queue.js';
import { serialFlush } from './serial-flush.js';
import { type JournalSyncMode, openSpanJournal } from './span-journal.js';
import type { SinkStats, SpanSink } from './span-sink.js';

/** How `openSpanWriter` batches, journals and reports. Every field but `store` has a default. */
export type SpanWriterOptions = {
  /**
   * Where spans go: a Store, or anything with its `insertSpans`; one that also has `insertSpanLines`
   * (store/threaded-span-inserter) is handed the journal's lines instead of span objects.
   */
  readonly store: SpanDestination;
  /** Where the journal's segment files live (default `.frugal/journal` under the working directory). */
  readonly journalDirectory?: string | undefined;
  /** Spans per store transaction; reaching it also triggers a flush (default 1,000). */
  readonly batchSize?: number | undefined;
  /** A flush at least this often while spans wait (default 1,000 ms). */
  readonly flushIntervalMs?: number | undefined;
  /** fsync of the journal: `never` (default), `per-batch` (each flush), `per-span` (each span; slow). */
  readonly fsync?: JournalSyncMode | undefined;
  /** Spans kept in memory while the store is failing; older ones are re-read from the journal (default 100k). */
  readonly maxBufferedSpans?: number | undefined;
  /**
   * Write journal lines once per event-loop turn, all the spans that turn recorded in one write, instead of one
   * write per span (default false). A span is then journaled only at the end of the turn: whatever tells a caller
   * it was recorded must wait for `journal.whenJournaled` (the gateway holds each reply's last bytes so). Without
   * such a gate, do not set it: a crash before the end of the turn would lose spans already reported.
   */
  readonly groupJournalWrites?: boolean | undefined;
  /**
   * With `groupJournalWrites`, asked when a span is recorded and none waits for the journal: true writes that span
   * (and any recorded with it before the code yields) a microtask later instead of at the end of the turn, so what
   * waits for it does not wait for the rest of the turn. The gateway answers true when the request is the only one
   * in flight: there is nothing to group it with, and its reply leaves sooner.
   */
  readonly writeJournalSoon?: (() => boolean) | undefined;
  /** Flush on beforeExit, SIGINT and SIGTERM (default true). */
  readonly flushOnExit?: boolean | undefined;
  /** How long an exit flush may take before the process is let go (default 5,000 ms; the journal keeps the rest). */
  readonly exitFlushTimeoutMs?: number | undefined;
  /** Told about every failure: journal writes, store inserts, unreadable journal lines (default: stderr). */
  readonly onError?: ((error: Error) => void) | undefined;
};

/** The writer's counters: a sink's, plus what waits, what was replayed, and failures by kind. */
export type SpanWriterStats = SinkStats & {
  /** Spans written but not yet confirmed by the store. */
  readonly pending: number;
  /** Spans found in journals of earlier processes and confirmed by the store. */
  readonly replayed: number;
  /** Spans the store refused for good (kept in `rejected-<pid>.jsonl` beside the journal); also in `dropped`. */
  readonly rejected: number;
  readonly journalErrors: number;
  readonly storeErrors: number;
};

/** What may wait on the journal: spans held for a grouped write (`groupJournalWrites`), and what waits for them. */
export type JournalGate = {
  /** True while spans recorded this turn wait for their grouped write. */
  holding(): boolean;
  /** Runs `callback` once every span written so far is in the journal: at once unless some are held. */
  whenJournaled(callback: () => void): void;
};

/** A batched, journaled sink into a `Store`. */
export type SpanWriter = SpanSink & { readonly stats: SpanWriterStats; readonly journal: JournalGate };

/**
 * Opens the batched durable writer: the sink that puts spans into a `Store` without the traced call ever
 * waiting on it. It first replays what earlier processes left in the journal, then returns.
 *
 * What a crash can lose. Each finished span is appended to a local journal file (`.frugal/journal/*.jsonl`)
 * with a synchronous write before the traced call gets its result back (with `groupJournalWrites`, at the end of
 * the event-loop turn, or a microtask later with `writeJournalSoon`, before anything waiting on
 * `journal.whenJournaled`); spans reach the store in batches
 * (every `flushIntervalMs`, every `batchSize` spans, and on exit: beforeExit, SIGINT, SIGTERM), and a journal
 * file is deleted only after the store has committed every span in it. The next process that opens a writer
 * on the same journal directory stores what is left (the store skips spans it already has, so nothing counts
 * twice).
 * - The process crashes, throws, runs out of memory or is killed (even with SIGKILL): nothing already recorded
 *   is lost. It is in the journal (the operating system has it) and is stored on the next open.
 * - The store is down or the database is locked: nothing is lost. Spans stay in the journal, retries back off,
 *   failures are counted in `stats` and reported, and the traced calls never see an error.
 * - The machine loses power or the OS crashes: what the OS had not yet written to the disk is lost. With the
 *   default `fsync: 'never'` that is typically the spans of the last few seconds (the OS's writeback delay,
 *   up to about 30 s on Linux); with `fsync: 'per-batch'`, at most the spans recorded since the last flush (one
 *   `flushIntervalMs` or `batchSize`); with `fsync: 'per-span'`, nothing the traced call got back, at the cost
 *   of one disk sync (about a millisecond) per call. The store's own durability also counts: the SQLite store
 *   syncs its write-ahead log at checkpoints rather than at every commit, so its last commits before a power
 *   loss can be lost too, and their journal files are already gone.
 * - The journal cannot be written (disk full, read-only directory): those spans are kept in memory only and
 *   reach the store on the next flush; a crash before then loses them. Such failures are counted and reported.
 * - The store refuses a span for good (data it cannot represent): that span alone is set aside in
 *   `rejected-<pid>.jsonl` beside the journal, counted and reported; the rest of its batch is stored.
 * - A call still in flight when the process dies was never recorded, so it has no span to lose.
 */
export async function openSpanWriter(options: SpanWriterOptions): Promise<SpanWriter> {
  const directory = options.journalDirectory ?? join(process.cwd(), '.frugal', 'journal');
  const batchSize = Math.max(1, options.batchSize ?? 1_000);
  const intervalMs = options.flushIntervalMs ?? 1_000;
  const exitTimeoutMs = options.exitFlushTimeoutMs ?? 5_000;
  const report = (error: Error) => {
    try {
      (options.onError ?? ((e) => console.error(`frugal span writer: ${e.message}`)))(error);
    } catch {}
  };
  const counts: QueueCounts = {
    written: 0,
    delivered: 0,
    dropped: 0,
    rejected: 0,
    replayed: 0,
    journalErrors: 0,
    storeErrors: 0,
  };
  const journal = openSpanJournal(directory, options.fsync ?? 'never');
  const queue = createJournaledQueue({
    journal,
    store: options.store,
    batchSize,
    maxBuffered: options.maxBufferedSpans ?? 100_000,
    groupWrites: options.groupJournalWrites,
    writeSoon: options.writeJournalSoon,
    counts,
    report,
  });

  // After a store failure, timer- and size-triggered passes back off (1, 2, 4 … 60 s); explicit flushes do not.
  let failures = 0;
  let retryAt = 0;
  const { flush } = serialFlush(async () => {
    if (await queue.pass()) {
      failures = 0;
      retryAt = 0;
    } else {
      failures++;
      retryAt = Date.now() + Math.min(60_000, intervalMs * 2 ** Math.min(failures - 1, 16));
    }
  });

  const timer = setInterval(() => {
    if (queue.pending() > 0 && Date.now() >= retryAt) void flush();
  }, intervalMs);
  timer.unref();

  // On beforeExit a failed flush would start another loop turn, hence another beforeExit: try once per state.
  let exitFailedAt = -1;
  const exitFlush = async () => {
    if (queue.pending() === 0 || exitFailedAt === counts.written) return;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([flush(), new Promise((resolve) => (timeout = setTimeout(resolve, exitTimeoutMs)))]);
    clearTimeout(timeout);
    if (queue.pending() > 0) exitFailedAt = counts.written;
  };
  const unregister = options.flushOnExit === false ? () => {} : registerExitFlush(exitFlush);

  let closed = false;
  let scheduled = false;
  const writer: SpanWriter = {
    write(span) {
      counts.written++;
      if (closed) {
        counts.dropped++;
        return;
      }
      queue.add(span);
      if (queue.openCount() >= batchSize && !scheduled && Date.now() >= retryAt) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          void flush();
        });
      }
    },
    flush,
    journal: { holding: queue.holding, whenJournaled: queue.whenJournaled },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      unregister();
      await flush();
      try {
        journal.close();
      } catch (error) {
        counts.journalErrors++;
        report(new Error(`could not close the journal: ${messageOf(error)}`, { cause: error }));
      }
    },
    get stats(): SpanWriterStats {
      return { ...counts, errors: counts.journalErrors + counts.storeErrors, pending: queue.pending() };
    },
  };
  await flush();
  return writer;
}
