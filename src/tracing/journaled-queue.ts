import type { Span } from '../core/spans/span.js';
import { spanToJsonLine } from '../core/spans/span-json.js';
import type { Store } from '../store/store.js';
import { insertIsolating } from './insert-isolating.js';
import {
  keepRejected,
  orphanSegments,
  readSegment,
  removeSegment,
  type SpanJournal,
} from './span-journal.js';

/** The counters the queue keeps (the writer reads them into its stats). */
export type QueueCounts = {
  written: number;
  delivered: number;
  dropped: number;
  rejected: number;
  replayed: number;
  journalErrors: number;
  storeErrors: number;
};

/**
 * Where spans go: a Store's `insertSpans`, or a destination that also takes the journal's lines as they are
 * (`insertSpanLines`, store/threaded-span-inserter): the queue then keeps each span's line rather than the span, so
 * the object dies young and crosses to the inserting thread as text.
 */
export type SpanDestination = Pick<Store, 'insertSpans'> & {
  insertSpanLines?(lines: readonly string[]): Promise<number>;
};

/** What the queue keeps of a span: its journal line when the destination takes lines, else the span. */
type Item = Span | string;

type Segment = {
  readonly path: string | undefined;
  /** Undefined once dropped from memory (it is in its journal file): read back when its turn comes. */
  spans: Item[] | undefined;
  readonly count: number;
  /** Every span of it reached its journal file. */
  readonly journaled: boolean;
  readonly replayed: boolean;
};

/** What the queue needs: where spans are journaled, where they go, and where failures are told. */
export type JournaledQueueOptions = {
  readonly journal: SpanJournal;
  readonly store: SpanDestination;
  readonly batchSize: number;
  readonly maxBuffered: number;
  /** Journal lines are written once per event-loop turn, together (see `SpanWriterOptions.groupJournalWrites`). */
  readonly groupWrites?: boolean | undefined;
  /** With `groupWrites`: asked when a span is held and none was; true writes the held lines a microtask later. */
  readonly writeSoon?: (() => boolean) | undefined;
  readonly counts: QueueCounts;
  readonly report: (error: Error) => void;
};

/**
 * The writer's queue: spans are journaled as they are added (or, with `groupWrites`, at the end of the event-loop
 * turn that added them, in one write, before anything waiting on `whenJournaled`); a pass seals the open journal
 * segment (writing held lines first) and stores
 * segments oldest first, deleting each file once the store has all of it, stopping at the first store failure
 * (what is left waits for the next pass). Segments left by dead processes are adopted at creation (replay).
 */
export function createJournaledQueue(options: JournaledQueueOptions) {
  const { journal, store, counts, report } = options;
  const segments: Segment[] = [];
  const asLines = typeof store.insertSpanLines === 'function';
  const insert = asLines
    ? (part: readonly Item[]) => store.insertSpanLines!(part as readonly string[])
    : (part: readonly Item[]) => store.insertSpans(part as readonly Span[]);
  let current: Item[] = [];
  let currentJournaled = true;
  let inMemory = 0;
  // Grouped writes: the lines of this turn, and who waits for them to be in the journal.
  let held = '';
  let heldCount = 0;
  let waiters: (() => void)[] = [];
  let releasing = false;

  /** Writes the held lines to the journal (they belong to the open segment). */
  const writeHeld = () => {
    if (heldCount === 0) return;
    const lines = held;
    const count = heldCount;
    held = '';
    heldCount = 0;
    try {
      journal.append(lines, count);
    } catch (error) {
      counts.journalErrors++;
      currentJournaled = false;
      report(new Error(`could not journal ${count} span(s): ${messageOf(error)}`, { cause: error }));
    }
  };
  const release = () => {
    releasing = false;
    writeHeld();
    const ready = waiters;
    waiters = [];
    for (const waiter of ready) {
      try {
        waiter();
      } catch (error) {
        report(new Error(`a reply held for the journal failed: ${messageOf(error)}`, { cause: error }));
      }
    }
  };

  for (const path of orphanSegments(journal.directory)) {
    try {
      const { spans, lines, unreadableLines } = readSegment(path);
      if (unreadableLines > 0)
        report(new Error(`${path}: skipped ${unreadableLines} unreadable journal line(s)`));
      segments.push({
        path,
        spans: asLines ? lines : spans,
        count: spans.length,
        journaled: true,
        replayed: true,
      });
      inMemory += spans.length;
    } catch (error) {
      counts.journalErrors++;
      report(new Error(`could not read journal segment ${path}: ${messageOf(error)}`, { cause: error }));
    }
  }

  const rotate = () => {
    writeHeld();
    if (current.length === 0) return;
    let path: string | undefined;
    try {
      path = journal.seal()?.path;
    } catch (error) {
      counts.journalErrors++;
      report(new Error(`could not close a journal segment: ${messageOf(error)}`, { cause: error }));
    }
    segments.push({
      path,
      spans: current,
      count: current.length,
      journaled: currentJournaled,
      replayed: false,
    });
    current = [];
    currentJournaled = true;
  };

  /** Bounds memory while the store fails: journaled spans leave memory; others, with nowhere to go, are dropped. */
  const limitMemory = () => {
    if (inMemory <= options.maxBuffered) return;
    rotate();
    for (const segment of segments) {
      if (inMemory <= options.maxBuffered) return;
      if (segment.spans && segment.journaled && segment.path) {
        inMemory -= segment.spans.length;
        segment.spans = undefined;
      }
    }
    while (inMemory > options.maxBuffered) {
      const index = segments.findIndex((segment) => segment.spans !== undefined);
      if (index < 0) return;
      const dropped = segments.splice(index, 1)[0]?.spans ?? [];
      inMemory -= dropped.length;
      counts.dropped += dropped.length;
      report(new Error(`dropped ${dropped.length} span(s): neither the journal nor the store takes them`));
    }
  };

  const storeSegment = async (segment: Segment): Promise<void> => {
    let spans = segment.spans;
    if (!spans) {
      const contents = readSegment(segment.path!);
      if (contents.unreadableLines > 0) {
        report(new Error(`${segment.path}: skipped ${contents.unreadableLines} unreadable journal line(s)`));
      }
      spans = asLines ? contents.lines : contents.spans;
    }
    const rejected = await insertIsolating(insert, spans, options.batchSize);
    if (rejected.length > 0) {
      counts.rejected += rejected.length;
      counts.dropped += rejected.length;
      let kept = 'not kept';
      try {
        kept = `kept in ${keepRejected(journal.directory, rejected)}`;
      } catch (error) {
        counts.journalErrors++;
        kept = `not kept: ${messageOf(error)}`;
      }
      report(new Error(`the store refused ${rejected.length} span(s) (${kept})`));
    }
    counts.delivered += spans.length - rejected.length;
    if (segment.replayed) counts.replayed += spans.length - rejected.length;
  };

  return {
    add(span: Span): void {
      const line = spanToJsonLine(span);
      if (options.groupWrites) {
        held += line;
        heldCount++;
        if (!releasing) {
          releasing = true;
          if (options.writeSoon?.()) queueMicrotask(release);
          else setImmediate(release);
        }
      } else {
        try {
          journal.append(line);
        } catch (error) {
          counts.journalErrors++;
          currentJournaled = false;
          report(new Error(`could not journal span ${span.id}: ${messageOf(error)}`, { cause: error }));
        }
      }
      current.push(asLines ? line : span);
      inMemory++;
      limitMemory();
    },
    /** True while spans added this turn wait for their grouped journal write. */
    holding: () => releasing,
    /** Runs `callback` once every span added so far is in the journal: at once, or after the grouped write. */
    whenJournaled(callback: () => void): void {
      if (releasing) waiters.push(callback);
      else callback();
    },
    /** Spans in the open segment (not yet sealed). */
    openCount: () => current.length,
    /** Spans added (or adopted) and not yet stored. */
    pending: () => current.length + segments.reduce((sum, segment) => sum + segment.count, 0),
    /** Stores everything added so far; false when the store failed (the rest waits for the next pass). */
    async pass(): Promise<boolean> {
      rotate();
      while (segments.length > 0) {
        const segment = segments[0]!;
        try {
          await storeSegment(segment);
        } catch (error) {
          counts.storeErrors++;
          report(
            new Error(`could not store ${segment.count} span(s): ${messageOf(error)}`, { cause: error }),
          );
          return false;
        }
        segments.shift();
        if (segment.spans) inMemory -= segment.spans.length;
        if (segment.path) {
          try {
            removeSegment(segment.path);
          } catch (error) {
            counts.journalErrors++;
            report(
              new Error(`could not delete a stored journal segment: ${messageOf(error)}`, { cause: error }),
            );
          }
        }
      }
      return true;
    },
  };
}

/** The queue `createJournaledQueue` returns. */
export type JournaledQueue = ReturnType<typeof createJournaledQueue>;

/** An error's message, or the thrown value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
