import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../core/errors.js';
import type { Span } from '../core/spans/span.js';
import { describeControlContract } from './control-contract.js';
import { describeEvalContract } from './eval-contract.js';
import type { InspectableStore } from './inspectable-store.js';
import { describeKeyContract } from './key-contract.js';
import { describeMigrationContract } from './migration-contract.js';
import { describeSavingsContract } from './savings-contract.js';
import { describeSpendContract } from './spend-contract.js';

/** One empty database for one test; `open` may be called again to reopen (or share) the same database. */
export type TestDatabase = {
  open(): Promise<InspectableStore>;
  /** Runs one SQL statement on its own connection (to damage or inspect what a store wrote). */
  execute(statement: string): Promise<void>;
  /** Closes what `open` returned and removes the database. */
  dispose(): Promise<void>;
};

/** What an engine's test file gives the contract suite. */
export type StoreHarness = {
  createDatabase(): Promise<TestDatabase>;
  /**
   * A database at schema version 1 (migration 1 only) holding `spans` and their rollups as frugal wrote them
   * then; `open` migrates it.
   */
  createVersion1Database(spans: readonly Span[]): Promise<TestDatabase>;
  /**
   * Statements that take the span-key migration (SQLite's 9, PostgreSQL's 8) away again from a database at the
   * latest version: span ids unique on their own, the trace index by day not unique, the version row gone.
   */
  readonly undoSpanKeys: readonly string[];
};

/** Runs `work` against a fresh database of the harness, disposing of it afterwards. */
export type WithDatabase = <T>(work: (database: TestDatabase) => Promise<T>) => Promise<T>;

const hour = 3_600_000;
const t0 = Date.UTC(2026, 0, 5, 10);

/** A span with every optional field set, including the awkward values a store could lose. */
export const fullSpan: Span = {
  id: 'a1b2c3d4e5f60718',
  traceId: '0123456789abcdef0123456789abcdef',
  parentId: 'ffffffffffffffff',
  name: 'chat gpt-4o',
  kind: 'llm',
  startTime: t0,
  durationMs: 1234.5,
  timeToFirstTokenMs: 87.25,
  status: 'error',
  error: { type: 'timeout', message: 'upstream took > 30 s — “retried”' },
  operation: 'chat',
  provider: 'openai',
  requestModel: 'gpt-4o',
  responseModel: 'gpt-4o-2024-08-06',
  usage: { input: 1000, cachedInput: 0, cacheWrite: 50, cacheWrite1h: 0, output: 300, reasoning: 0 },
  usageEstimated: true,
  cost: { status: 'priced', total: 2n ** 62n + 123_456_789n, priceId: 'gpt-4o', source: 'litellm:gpt-4o' },
  requestHash: '9f86d081884c7d659a2feaa0c55ad015',
  simulated: false,
  attribution: {
    feature: 'search',
    user: 'ü-1',
    apiKeyId: 'key-1',
    runId: 'run-7',
    tags: ['prod', 'eval', 'prod', 'say "hi", {x}\\y', 'NULL', ''],
  },
  attributes: {
    'gen_ai.request.temperature': 0.2,
    'gen_ai.request.max_tokens': 512,
    'frugal.nan': Number.NaN,
    'frugal.infinity': Number.NEGATIVE_INFINITY,
    'frugal.negative_zero': -0,
    'frugal.flag': false,
    'frugal.list': ['a', '"quoted"', ''],
    'frugal.text': 'line\nbreak \u{1F600}',
  },
};

/** A span with nothing optional: every absent field must come back absent, not as null, 0 or false. */
export const bareSpan: Span = {
  id: 'bare-span',
  traceId: 'bare-trace',
  name: 'work',
  kind: 'step',
  startTime: 0,
  durationMs: 0,
  status: 'ok',
  attribution: {},
  attributes: {},
};

function span(id: string, traceId: string, startTime: number, parentId?: string): Span {
  return { ...bareSpan, id, traceId, startTime, ...(parentId === undefined ? {} : { parentId }) };
}

/**
 * The store contract: every `Store` implementation passes the same suite against a real database. Spend
 * semantics, calendar buckets, exact money and the rollup path versus the spans-table path are in
 * `spend-contract.ts`.
 */
export function describeStoreContract(name: string, harness: StoreHarness): void {
  const databases: TestDatabase[] = [];
  const withDatabase: WithDatabase = async (work) => {
    const database = await harness.createDatabase();
    databases.push(database);
    return work(database);
  };
  const withStore = <T>(work: (store: InspectableStore) => Promise<T>) =>
    withDatabase(async (database) => work(await database.open()));

  afterEach(async () => {
    await Promise.all(databases.splice(0).map((database) => database.dispose()));
  });

  describe(`${name}: spans`, () => {
    it('round-trips every field of a span exactly, and absent fields stay absent', async () => {
      await withStore(async (store) => {
        const unpriced: Span = {
          ...bareSpan,
          id: 'unpriced',
          kind: 'llm',
          usage: {},
          simulated: true,
          usageEstimated: false,
          cost: { status: 'unpriced', reason: 'unknown-model', message: "no price for 'sim/x'" },
          attribution: { tags: [] },
        };
        expect(await store.insertSpans([fullSpan, bareSpan, unpriced])).toBe(3);
        expect(await store.getSpan(fullSpan.traceId, fullSpan.id)).toStrictEqual(fullSpan);
        expect(await store.getSpan(bareSpan.traceId, bareSpan.id)).toStrictEqual(bareSpan);
        expect(await store.getSpan(unpriced.traceId, unpriced.id)).toStrictEqual(unpriced);
        expect(await store.getSpan(fullSpan.traceId, 'missing')).toBeUndefined();
        expect(await store.getSpan('another-trace', fullSpan.id)).toBeUndefined();
      });
    });

    it('is idempotent by trace and span id: replays and duplicates within a batch count once', async () => {
      await withStore(async (store) => {
        const first = { ...fullSpan, id: 'one' };
        const second = { ...fullSpan, id: 'two', attribution: { user: 'other' } };
        expect(await store.insertSpans([first, first, second])).toBe(2);
        expect(await store.insertSpans([first, second])).toBe(0);
        expect(await store.insertSpans([])).toBe(0);
        const third = { ...fullSpan, id: 'three' };
        expect(await store.insertSpans([second, third, first])).toBe(1);
        expect(await store.getSpan(third.traceId, 'three')).toStrictEqual(third);
        // A span id is unique within its trace (OpenTelemetry's span identity): in another trace, another span.
        const elsewhere = { ...first, traceId: 'another-trace', attribution: { user: 'elsewhere' } };
        expect(await store.insertSpans([elsewhere, first])).toBe(1);
        expect(await store.insertSpans([elsewhere])).toBe(0);
        expect(await store.getSpan('another-trace', 'one')).toStrictEqual(elsewhere);
        expect(await store.getSpan(first.traceId, 'one')).toStrictEqual(first);
        const [total] = await store.querySpend({});
        expect(total?.calls).toBe(4);
        expect(total?.cost).toBe(4n * (fullSpan.cost?.status === 'priced' ? fullSpan.cost.total : 0n));
        expect(await store.querySpendFromSpans({})).toEqual(await store.querySpend({}));
      });
    });

    it('returns a trace parents first, by start time, even when a child started before its parent', async () => {
      await withStore(async (store) => {
        const spans = [
          span('late-child', 'trace', t0 + 5, 'root'),
          span('root', 'trace', t0 + 1),
          span('skewed', 'trace', t0, 'second'),
          span('second', 'trace', t0 + 3, 'root'),
          span('grandchild', 'trace', t0 + 4, 'second'),
          span('orphan', 'trace', t0 + 2, 'not-stored'),
          span('elsewhere', 'other-trace', t0),
        ];
        await store.insertSpans(spans);
        const trace = await store.getTrace('trace');
        expect(trace.map((each) => each.id)).toEqual([
          'root',
          'orphan',
          'second',
          'skewed',
          'grandchild',
          'late-child',
        ]);
        expect(await store.getTrace('unknown')).toEqual([]);
      });
    });

    it('orders spans started in the same millisecond by when they ended, a parent still before its children', async () => {
      await withStore(async (store) => {
        const timed = (id: string, durationMs: number, parentId?: string): Span => ({
          ...span(id, 'same-ms', t0, parentId),
          durationMs,
        });
        // Ids against the expected order: a tie broken by id would put them the other way round.
        await store.insertSpans([
          timed('z-stage-1', 0.4),
          timed('a-stage-2', 2.5),
          timed('m-request', 3),
          timed('b-inside-stage-2', 1.2, 'a-stage-2'),
        ]);
        expect((await store.getTrace('same-ms')).map((each) => each.id)).toEqual([
          'z-stage-1',
          'a-stage-2',
          'b-inside-stage-2',
          'm-request',
        ]);
      });
    });

    it('finds every span of a trace however many days lie between them', async () => {
      await withStore(async (store) => {
        const day = 24 * hour;
        const midnight = Date.UTC(2026, 0, 7);
        const spans = [
          span('epoch', 'long', 0),
          span('before-midnight', 'long', midnight - 1, 'epoch'),
          span('at-midnight', 'long', midnight, 'epoch'),
          span('weeks-later', 'long', midnight + 40 * day + 5, 'at-midnight'),
          span('other', 'short', midnight + 3 * day),
          span('other-2', 'long-but-not', midnight),
        ];
        await store.insertSpans(spans);
        expect((await store.getTrace('long')).map((each) => each.id)).toEqual([
          'epoch',
          'before-midnight',
          'at-midnight',
          'weeks-later',
        ]);
        expect((await store.getTrace('short')).map((each) => each.id)).toEqual(['other']);
      });
    });

    it('refuses a span it cannot store faithfully, naming it, and stores nothing of that batch', async () => {
      await withStore(async (store) => {
        const broken = { ...fullSpan, id: 'broken', startTime: 1.5 };
        const error = await store
          .insertSpans([{ ...fullSpan, id: 'fine' }, broken])
          .catch((caught) => caught);
        expect(error).toBeInstanceOf(StoreError);
        expect(String(error.message)).toMatch(/span 'broken': startTime must be a non-negative integer/);
        expect(await store.getSpan(fullSpan.traceId, 'fine')).toBeUndefined();
      });
    });

    it('keeps spans and rollups across close and reopen, and migrates only once', async () => {
      await withDatabase(async (database) => {
        const first = await database.open();
        await first.insertSpans([fullSpan, { ...fullSpan, id: 'later', startTime: t0 + 30 * hour }]);
        const before = await first.querySpend({ groupBy: ['user'], bucket: 'day' });
        await first.close();
        const reopened = await database.open();
        expect(await reopened.getSpan(fullSpan.traceId, fullSpan.id)).toStrictEqual(fullSpan);
        expect(await reopened.querySpend({ groupBy: ['user'], bucket: 'day' })).toEqual(before);
        expect(await reopened.spendSources({ groupBy: ['user'], bucket: 'day' })).toEqual(['daily']);
      });
    });

    it('counts each span once when two connections insert overlapping batches at the same time', async () => {
      await withDatabase(async (database) => {
        const [left, right] = [await database.open(), await database.open()];
        const spans = Array.from({ length: 400 }, (_, index) => ({
          ...fullSpan,
          id: `shared-${index}`,
          startTime: t0 + index * 60_000,
          attribution: { user: `user-${index % 7}`, tags: ['a', 'b'] },
        }));
        const inserted = await Promise.all([
          left.insertSpans(spans.slice(0, 300)),
          right.insertSpans(spans.slice(100)),
          left.insertSpans(spans.slice(50, 250)),
        ]);
        expect(inserted.reduce((sum, count) => sum + count, 0)).toBe(400);
        const byUser = await left.querySpend({ groupBy: ['user'] });
        expect(byUser.reduce((sum, row) => sum + row.calls, 0)).toBe(400);
        expect(await right.querySpend({ groupBy: ['tag'] })).toEqual(
          await right.querySpendFromSpans({ groupBy: ['tag'] }),
        );
      });
    });
  });

  describeSpendContract(name, withDatabase);
  describeControlContract(name, withDatabase);
  describeSavingsContract(name, withDatabase);
  describeEvalContract(name, withDatabase);
  describeKeyContract(name, withDatabase);
  describeMigrationContract(
    name,
    async (spans, work) => {
      const database = await harness.createVersion1Database(spans);
      databases.push(database);
      return work(database);
    },
    withDatabase,
    harness.undoSpanKeys,
  );
}
