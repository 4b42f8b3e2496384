import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
// The insert worker runs the built package (npm test builds before it runs).
import { openThreadedSpanInserter } from '../../dist/store/threaded-span-inserter.js';
import type { Span } from '../core/spans/span.js';
import { spanToJsonLine } from '../core/spans/span-json.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import { createTracer } from './create-tracer.js';
import { readSegment } from './span-journal.js';
import { openSpanWriter, type SpanWriter, type SpanWriterOptions } from './span-writer.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh directory with a real SQLite file and a journal directory. */
function place() {
  const root = mkdtempSync(join(tmpdir(), 'frugal-writer-'));
  return { database: join(root, 'spans.db'), journal: join(root, 'journal') };
}

async function openStore(path: string, busyTimeoutMs = 5_000): Promise<Store> {
  const store = await openSqliteStore({ path, busyTimeoutMs });
  cleanups.push(() => store.close());
  return store;
}

async function openInserter(path: string) {
  const inserter = await openThreadedSpanInserter({ path });
  cleanups.push(() => inserter.close());
  return inserter;
}

async function openWriter(options: SpanWriterOptions): Promise<SpanWriter> {
  const writer = await openSpanWriter({ flushOnExit: false, flushIntervalMs: 60_000, ...options });
  cleanups.push(() => writer.close());
  return writer;
}

/** Records `count` priced LLM calls through a tracer into `writer`; returns the spans. */
function record(writer: SpanWriter, count: number): Span[] {
  const tracer = createTracer({ sink: writer });
  return Array.from({ length: count }, (_, index) =>
    tracer
      .startLlmSpan({ operation: 'chat', provider: 'openai', requestModel: 'gpt-4o' })
      .end({ usage: { input: 1_000 + index, output: 10 } }),
  );
}

async function storedCount(store: Store, spans: readonly Span[]): Promise<number> {
  const found = await Promise.all(spans.map((span) => store.getSpan(span.traceId, span.id)));
  return found.filter((span) => span !== undefined).length;
}

const journalFiles = (directory: string) => (existsSync(directory) ? readdirSync(directory).sort() : []);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('openSpanWriter with a real SQLite store', () => {
  it('journals each span at once, stores on a full batch and on flush, then deletes the journal', async () => {
    const where = place();
    const store = await openStore(where.database);
    const writer = await openWriter({ store, journalDirectory: where.journal, batchSize: 3 });
    const small = record(writer, 2);
    await tick();
    expect(await storedCount(store, small)).toBe(0);
    const [segment] = journalFiles(where.journal);
    expect(readSegment(join(where.journal, segment!)).spans).toEqual(small);

    const full = record(writer, 1);
    await tick();
    await tick();
    expect(await storedCount(store, [...small, ...full])).toBe(3);
    expect(await store.getSpan(full[0]!.traceId, full[0]!.id)).toEqual(full[0]);
    expect(journalFiles(where.journal)).toEqual([]);

    const rest = record(writer, 1);
    await writer.flush();
    expect(await storedCount(store, rest)).toBe(1);
    expect(writer.stats).toMatchObject({ written: 4, delivered: 4, pending: 0, errors: 0, dropped: 0 });
  });

  it('flushes on its interval without being asked', async () => {
    const where = place();
    const store = await openStore(where.database);
    const writer = await openWriter({ store, journalDirectory: where.journal, flushIntervalMs: 20 });
    const spans = record(writer, 5);
    for (let waited = 0; writer.stats.delivered < 5 && waited < 5_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await storedCount(store, spans)).toBe(5);
    expect(writer.stats.storeErrors).toBe(0);
  });

  it('survives a locked database: the traced calls go on, failures are counted and reported, a retry stores all', async () => {
    const where = place();
    const store = await openStore(where.database, 20);
    const errors: string[] = [];
    const writer = await openWriter({
      store,
      journalDirectory: where.journal,
      maxBufferedSpans: 4,
      onError: (error) => errors.push(error.message),
    });
    const locker = new Database(where.database);
    locker.exec('BEGIN EXCLUSIVE');
    const spans: Span[] = [];
    for (let round = 0; round < 3; round++) {
      spans.push(...record(writer, 4));
      await writer.flush();
    }
    expect(writer.stats).toMatchObject({
      written: 12,
      delivered: 0,
      pending: 12,
      storeErrors: 3,
      dropped: 0,
    });
    expect(errors[0]).toMatch(/could not store 4 span\(s\): .*locked/);
    // Memory is bounded (4 spans); the older ones are read back from the journal when the store is back.
    const journaled = journalFiles(where.journal).flatMap(
      (name) => readSegment(join(where.journal, name)).spans,
    );
    expect(journaled.map((span) => span.id).sort()).toEqual(spans.map((span) => span.id).sort());
    locker.exec('ROLLBACK');
    locker.close();
    await writer.flush();
    expect(await storedCount(store, spans)).toBe(12);
    expect(writer.stats).toMatchObject({ delivered: 12, pending: 0 });
    expect(journalFiles(where.journal)).toEqual([]);
  });

  it('replays on the next open what a writer could not store, exactly once', async () => {
    const where = place();
    const first = await openSqliteStore({ path: where.database });
    const writer = await openSpanWriter({
      store: first,
      journalDirectory: where.journal,
      flushOnExit: false,
      onError: () => {},
    });
    await first.close();
    const spans = record(writer, 7);
    await writer.close();
    expect(writer.stats).toMatchObject({ written: 7, delivered: 0, storeErrors: 1 });
    expect(journalFiles(where.journal)).toHaveLength(1);

    const store = await openStore(where.database);
    const again = await openWriter({ store, journalDirectory: where.journal });
    expect(again.stats).toMatchObject({ replayed: 7, delivered: 7, pending: 0, written: 0 });
    expect(await storedCount(store, spans)).toBe(7);
    expect(await store.getSpan(spans[6]!.traceId, spans[6]!.id)).toEqual(spans[6]);
    expect(journalFiles(where.journal)).toEqual([]);
    const spend = await store.querySpend({ groupBy: ['model'] });
    expect(spend.map((row) => row.calls)).toEqual([7]);
  });

  for (const through of ['the store', 'the threaded inserter (journal lines)'] as const) {
    it(`sets aside a span the store refuses and stores the rest of its batch, through ${through}`, async () => {
      const where = place();
      const store = await openStore(where.database);
      const errors: string[] = [];
      const writer = await openWriter({
        store: through === 'the store' ? store : await openInserter(where.database),
        journalDirectory: where.journal,
        onError: (e) => errors.push(e.message),
      });
      const good = record(writer, 3);
      const bad = createTracer({ sink: writer })
        .startLlmSpan({ operation: 'chat', provider: 'openai', requestModel: 'gpt-4o' })
        .end({ usage: { input: -5, output: 1.5 } });
      const later = record(writer, 2);
      await writer.flush();
      expect(await storedCount(store, [...good, ...later])).toBe(5);
      expect(await store.getSpan(bad.traceId, bad.id)).toBeUndefined();
      expect(writer.stats).toMatchObject({ delivered: 5, rejected: 1, dropped: 1, pending: 0 });
      const rejectedFile = join(where.journal, `rejected-${process.pid}.jsonl`);
      expect(errors).toEqual([`the store refused 1 span(s) (kept in ${rejectedFile})`]);
      const rejectedIds = readFileSync(rejectedFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id);
      expect(rejectedIds).toEqual([bad.id]);
      expect(journalFiles(where.journal)).toEqual([`rejected-${process.pid}.jsonl`]);
    });
  }

  it('groups journal writes per event-loop turn: one write for the turn, then whatever waits on it', async () => {
    const where = place();
    const store = await openStore(where.database);
    const writer = await openWriter({ store, journalDirectory: where.journal, groupJournalWrites: true });
    const journaled = () =>
      journalFiles(where.journal)
        .map((name) => readFileSync(join(where.journal, name), 'utf8'))
        .join('');
    const spans = record(writer, 3);
    expect(writer.journal.holding()).toBe(true);
    expect(journaled()).toBe('');
    const seen = await new Promise<string>((resolve) =>
      writer.journal.whenJournaled(() => resolve(journaled())),
    );
    expect(seen).toBe(spans.map(spanToJsonLine).join(''));
    expect(writer.journal.holding()).toBe(false);
    let ranAtOnce = false;
    writer.journal.whenJournaled(() => {
      ranAtOnce = true;
    });
    expect(ranAtOnce).toBe(true);
    // A flush in the very turn spans were recorded writes them first: the store gets them, the journal empties.
    const more = record(writer, 2);
    await writer.flush();
    expect(await storedCount(store, [...spans, ...more])).toBe(5);
    expect(journalFiles(where.journal)).toEqual([]);
    expect(writer.stats).toMatchObject({ written: 5, delivered: 5, pending: 0, errors: 0 });
  });

  it('with writeJournalSoon, writes grouped spans once the code that recorded them yields, not at the end of the turn', async () => {
    const where = place();
    const store = await openStore(where.database);
    let soon = true;
    const writer = await openWriter({
      store,
      journalDirectory: where.journal,
      groupJournalWrites: true,
      writeJournalSoon: () => soon,
    });
    const journaled = () =>
      journalFiles(where.journal)
        .map((name) => readFileSync(join(where.journal, name), 'utf8'))
        .join('');
    const order: string[] = [];
    const first = record(writer, 2);
    writer.journal.whenJournaled(() => order.push('first'));
    expect(journaled()).toBe('');
    await Promise.resolve();
    // A microtask later, in the same turn: both spans in the journal, in one write, and the waiter has run.
    expect(order).toEqual(['first']);
    expect(journaled()).toBe(first.map(spanToJsonLine).join(''));
    // Answered false: held to the end of the turn, as without the option.
    soon = false;
    const later = record(writer, 1);
    writer.journal.whenJournaled(() => order.push('later'));
    for (let hop = 0; hop < 20; hop++) await Promise.resolve();
    expect(writer.journal.holding()).toBe(true);
    expect(order).toEqual(['first']);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(order).toEqual(['first', 'later']);
    expect(journaled()).toBe([...first, ...later].map(spanToJsonLine).join(''));
    await writer.close();
    expect(await storedCount(store, [...first, ...later])).toBe(3);
  });

  for (const grouped of [false, true]) {
    it(`keeps spans it cannot journal in memory, reports them and stores them (${grouped ? 'grouped writes' : 'a write per span'})`, async () => {
      const where = place();
      const store = await openStore(where.database);
      const errors: string[] = [];
      const writer = await openWriter({
        store,
        journalDirectory: where.journal,
        groupJournalWrites: grouped,
        onError: (error) => errors.push(error.message),
      });
      rmSync(where.journal, { recursive: true });
      writeFileSync(where.journal, 'a file where the journal directory was');
      const spans = record(writer, 2);
      // What waits on the journal is let go even though the write failed (a reply must not hang on it).
      await new Promise<void>((resolve) => writer.journal.whenJournaled(resolve));
      expect(writer.stats.journalErrors).toBe(grouped ? 1 : 2);
      expect(errors[0]).toMatch(grouped ? /^could not journal 2 span\(s\)/ : /^could not journal span /);
      await writer.flush();
      expect(await storedCount(store, spans)).toBe(2);
      expect(writer.stats).toMatchObject({ delivered: 2, pending: 0 });
    });
  }

  for (const fsync of ['per-batch', 'per-span'] as const) {
    it(`stores everything with fsync ${fsync}`, async () => {
      const where = place();
      const store = await openStore(where.database);
      const writer = await openWriter({ store, journalDirectory: where.journal, fsync });
      const spans = record(writer, 3);
      await writer.close();
      expect(await storedCount(store, spans)).toBe(3);
    });
  }

  it('drops and counts spans written after close', async () => {
    const where = place();
    const store = await openStore(where.database);
    const writer = await openWriter({ store, journalDirectory: where.journal });
    await writer.close();
    record(writer, 2);
    expect(writer.stats).toMatchObject({ written: 2, dropped: 2, pending: 0 });
  });
});

describe('openSpanWriter over the threaded SQLite inserter (the journal lines cross to its worker)', () => {
  it('stores every span exactly, also when memory is bounded and batches are read back from the journal', async () => {
    const where = place();
    const store = await openStore(where.database);
    const inserter = await openInserter(where.database);
    const writer = await openWriter({
      store: inserter,
      journalDirectory: where.journal,
      maxBufferedSpans: 2,
    });
    const spans = record(writer, 5);
    await writer.flush();
    expect(writer.stats).toMatchObject({ written: 5, delivered: 5, pending: 0, errors: 0 });
    for (const span of spans) expect(await store.getSpan(span.traceId, span.id)).toEqual(span);
    expect(journalFiles(where.journal)).toEqual([]);
  });

  it('replays through a new inserter what one that stopped could not store, exactly once', async () => {
    const where = place();
    const stopped = await openThreadedSpanInserter({ path: where.database });
    await stopped.close();
    const writer = await openSpanWriter({
      store: stopped,
      journalDirectory: where.journal,
      flushOnExit: false,
      onError: () => {},
    });
    const spans = record(writer, 4);
    await writer.close();
    expect(writer.stats).toMatchObject({ written: 4, delivered: 0 });
    const store = await openStore(where.database);
    const again = await openWriter({
      store: await openInserter(where.database),
      journalDirectory: where.journal,
    });
    expect(again.stats).toMatchObject({ replayed: 4, delivered: 4, pending: 0 });
    for (const span of spans) expect(await store.getSpan(span.traceId, span.id)).toEqual(span);
    expect((await store.querySpend({ groupBy: ['model'] })).map((row) => row.calls)).toEqual([4]);
  });
});
