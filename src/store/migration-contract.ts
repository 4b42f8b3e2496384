import { describe, expect, it } from 'vitest';
import type { Span } from '../core/spans/span.js';
import { fullResult, fullRun } from './eval-fixtures.js';
import { generateSpans } from './generate-spans.js';
import { bareKey, fullKey } from './key-contract.js';
import { referenceSpend } from './reference-spend.js';
import type { TestDatabase, WithDatabase } from './store-contract.js';

/** Runs `work` against a database at schema version 1 holding `spans`, disposing of it afterwards. */
export type WithVersion1Database = <T>(
  spans: readonly Span[],
  work: (database: TestDatabase) => Promise<T>,
) => Promise<T>;

const t0 = Date.UTC(2026, 0, 10);

/** Spans a version-1 store held: generated traffic, and ids that are not lowercase hex (stored as text keys). */
const version1Spans: Span[] = [
  ...generateSpans({ count: 300, seed: 42, start: t0, days: 3 }),
  ...['not-hex', 'ABCDEF0123456789', 'abc', '0123456789abcdef0'].map(
    (id, index): Span => ({
      id,
      traceId: index < 2 ? 'Trace-Not-Hex' : 'ABCDEF0123456789ABCDEF0123456789',
      name: 'chat',
      kind: 'llm',
      startTime: t0 + index,
      durationMs: 1,
      status: 'ok',
      cost: { status: 'priced', total: BigInt(index + 1), priceId: 'p', source: 'test' },
      attribution: { user: 'odd-ids' },
      attributes: {},
    }),
  ),
];

/** The statements that take the span-key migration away again (`StoreHarness.undoSpanKeys`). */
type UndoSpanKeys = readonly string[];

/** Takes the span-key migration away again (SQLite's 9, PostgreSQL's 8), as a database written before it is. */
async function dropSpanKeys(database: TestDatabase, undo: UndoSpanKeys): Promise<void> {
  for (const statement of undo) await database.execute(statement);
}

/**
 * Takes migration 7's index of calls by feature away again, SQLite's migration 8 (the savings rollup, filled
 * again from the spans when migrated) and the span keys, as a database written at version 6 is.
 */
async function dropMigration7(database: TestDatabase, undo: UndoSpanKeys): Promise<void> {
  await dropSpanKeys(database, undo);
  await database.execute('DROP TABLE IF EXISTS savings_by_day');
  await database.execute('DROP INDEX spans_by_feature');
  await database.execute('DELETE FROM frugal_schema_version WHERE version >= 7');
}

/** Takes migrations 6 and 7 (indexes only) away again, as a database written at version 5 is. */
async function dropMigration6(database: TestDatabase, undo: UndoSpanKeys): Promise<void> {
  await dropMigration7(database, undo);
  await database.execute('DROP INDEX spend_by_day_by_value');
  await database.execute('DELETE FROM frugal_schema_version WHERE version = 6');
}

/** Takes migrations 5 to 7 (indexes only) away again, as a database written at schema version 4 is. */
async function dropMigration5(database: TestDatabase, undo: UndoSpanKeys): Promise<void> {
  await dropMigration6(database, undo);
  await database.execute('DROP INDEX spans_cache_hits');
  await database.execute('DROP INDEX spans_routed');
  await database.execute('DELETE FROM frugal_schema_version WHERE version = 5');
}

/**
 * A store opened on a database written by an earlier schema migrates it and loses nothing: from version 1 (a
 * database the harness writes as frugal did then), and from versions 2 to 5 (a new database with what the
 * later migrations added taken away again: migrations 3 and 4 only add tables, 5 to 7 only indexes).
 */
export function describeMigrationContract(
  name: string,
  withVersion1Database: WithVersion1Database,
  withDatabase: WithDatabase,
  undoSpanKeys: UndoSpanKeys,
): void {
  describe(`${name}: migration from schema version 1`, () => {
    it('keeps every span, trace and rollup, still refuses duplicates, and adds the new tables', async () => {
      await withVersion1Database(version1Spans, async (database) => {
        const store = await database.open();
        for (const span of version1Spans)
          expect(await store.getSpan(span.traceId, span.id)).toStrictEqual(span);
        const odd = await store.getTrace('Trace-Not-Hex');
        expect(odd.map((span) => span.id)).toEqual(['not-hex', 'ABCDEF0123456789']);
        const traceId = version1Spans[0]!.traceId;
        expect((await store.getTrace(traceId)).map((span) => span.id)).toEqual(
          version1Spans.filter((span) => span.traceId === traceId).map((span) => span.id),
        );
        const query = { groupBy: ['user'], bucket: 'day' } as const;
        expect(await store.querySpend(query)).toEqual(referenceSpend(version1Spans, query));
        expect(await store.querySpendFromSpans(query)).toEqual(await store.querySpend(query));
        expect(await store.insertSpans(version1Spans)).toBe(0);

        const call = version1Spans.find((span) => span.kind === 'llm')!;
        const retried = [1, 2, 3].map(
          (attempt): Span => ({ ...call, id: `retry-${attempt}`, requestHash: 'cafe' }),
        );
        expect(await store.insertSpans([...retried, version1Spans[1]!])).toBe(3);
        expect(await store.getSpan(call.traceId, 'retry-2')).toStrictEqual(retried[1]);
        const window = { from: t0, to: t0 + 3 * 86_400_000, minCalls: 3 };
        expect((await store.repeatedRequests(window)).map((each) => [each.requestHash, each.calls])).toEqual([
          ['cafe', 3],
        ]);
        const alert = {
          id: 'x',
          kind: 'spend-spike',
          severity: 'info',
          time: t0,
          message: 'm',
          details: {},
        } as const;
        expect(await store.recordAlert(alert)).toBe(true);
        await store.close();

        const reopened = await database.open();
        expect(await reopened.listAlerts()).toEqual([alert]);
        expect(await reopened.insertSpans(retried)).toBe(0);
        const all = [...version1Spans, ...retried];
        expect(await reopened.querySpend(query)).toEqual(referenceSpend(all, query));
        await reopened.putRun(fullRun);
        expect(await reopened.listRuns()).toStrictEqual([fullRun]);
        await reopened.putVirtualKey(fullKey);
        expect(await reopened.findVirtualKeyByHash(fullKey.hash)).toStrictEqual(fullKey);
      });
    });
  });

  describe(`${name}: migration from schema version 2`, () => {
    it('adds the evaluation tables and keeps spans, budgets and alerts', async () => {
      await withDatabase(async (database) => {
        const budget = {
          id: 'global/day',
          scope: { kind: 'global' },
          period: 'day',
          timeZone: 'UTC',
          limit: 10n ** 12n,
          hard: true,
          thresholds: [80],
        } as const;
        const alert = {
          id: 'a',
          kind: 'spend-spike',
          severity: 'info',
          time: t0,
          message: 'm',
          details: {},
        } as const;
        const spans = generateSpans({ count: 200, seed: 3, start: t0, days: 2 });
        const before = await database.open();
        await before.insertSpans(spans);
        await before.putBudget(budget);
        await before.recordAlert(alert);
        const spend = await before.querySpend({ groupBy: ['user'], bucket: 'day' });
        await before.close();
        // What migrations 3 to 5 added, taken away again: the database frugal wrote at schema version 2.
        await dropMigration5(database, undoSpanKeys);
        await database.execute('DROP TABLE virtual_keys');
        await database.execute('DROP TABLE eval_results');
        await database.execute('DROP TABLE eval_runs');
        await database.execute('DELETE FROM frugal_schema_version WHERE version >= 3');

        const after = await database.open();
        for (const span of spans) expect(await after.getSpan(span.traceId, span.id)).toStrictEqual(span);
        expect(await after.insertSpans(spans)).toBe(0);
        expect(await after.querySpend({ groupBy: ['user'], bucket: 'day' })).toEqual(spend);
        expect(await after.listBudgets()).toEqual([budget]);
        expect(await after.listAlerts()).toEqual([alert]);
        expect(await after.listRuns()).toEqual([]);
        await after.putRun(fullRun);
        await after.putResults([fullResult]);
        expect(await after.getRun(fullRun.id)).toStrictEqual(fullRun);
        expect(await after.listResults(fullRun.id)).toStrictEqual([fullResult]);
        expect(await after.listVirtualKeys()).toEqual([]);
      });
    });
  });

  describe(`${name}: migration from schema version 3`, () => {
    it('adds the virtual keys table, its unique hash index, and keeps runs, results and budgets', async () => {
      await withDatabase(async (database) => {
        const budget = {
          id: 'key:key_bare/month',
          scope: { kind: 'key', value: bareKey.id },
          period: 'month',
          timeZone: 'UTC',
          limit: 1n,
          hard: true,
          thresholds: [50, 80, 90, 100],
        } as const;
        const spans = generateSpans({ count: 50, seed: 4, start: t0, days: 1 });
        const before = await database.open();
        await before.insertSpans(spans);
        await before.putBudget(budget);
        await before.putRun(fullRun);
        await before.putResults([fullResult]);
        await before.close();
        // What migrations 4 and 5 added, taken away again: the database frugal wrote at schema version 3.
        await dropMigration5(database, undoSpanKeys);
        await database.execute('DROP TABLE virtual_keys');
        await database.execute('DELETE FROM frugal_schema_version WHERE version = 4');

        const after = await database.open();
        expect(await after.insertSpans(spans)).toBe(0);
        expect(await after.listBudgets()).toEqual([budget]);
        expect(await after.getRun(fullRun.id)).toStrictEqual(fullRun);
        expect(await after.listResults(fullRun.id)).toStrictEqual([fullResult]);
        expect(await after.listVirtualKeys()).toEqual([]);
        await after.putVirtualKey(fullKey);
        await after.putVirtualKey(bareKey);
        expect(await after.listVirtualKeys()).toStrictEqual([bareKey, fullKey]);
        await expect(after.putVirtualKey({ ...bareKey, id: 'key_twin' })).rejects.toThrow(
          /unique|duplicate/i,
        );
      });
    });
  });
  describe(`${name}: migration from schema version 4`, () => {
    it('indexes the cache hits and routed requests already stored', async () => {
      await withDatabase(async (database) => {
        const at = t0 + 3_600_000;
        const hit: Span = {
          ...version1Spans[0]!,
          id: 'cache-hit',
          kind: 'llm',
          startTime: at,
          attributes: { 'frugal.cache.status': 'hit', 'frugal.cache.saved_usd': '0.000000000003' },
        };
        const routed: Span = {
          ...hit,
          id: 'routed',
          responseModel: 'small',
          cost: { status: 'priced', total: 11n, priceId: 'p', source: 'test' },
          attributes: { 'frugal.route.requested_model': 'frugal/auto' },
        };
        const before = await database.open();
        await before.insertSpans([hit, routed]);
        await before.close();
        await dropMigration5(database, undoSpanKeys);

        const after = await database.open();
        const savings = await after.gatewaySavings({ from: at, to: at + 1 });
        expect(savings.cacheHits[0]).toStrictEqual({
          status: 'hit',
          calls: 1,
          saved: 3n,
          unknownSavedCalls: 0,
        });
        expect(savings.routed).toStrictEqual([
          { requestedModel: 'frugal/auto', model: 'small', calls: 1, cost: 11n, unpricedCalls: 0 },
        ]);
        expect(await after.insertSpans([hit, routed])).toBe(0);
      });
    });
  });
  describe(`${name}: migration from schema version 5`, () => {
    it('indexes the daily rollup by value, and top groups and filtered spend come out the same', async () => {
      await withDatabase(async (database) => {
        const spans = generateSpans({ count: 600, seed: 6, start: t0, days: 9, users: 40 });
        const queries = [
          { groupBy: ['user'], limit: 5 },
          { groupBy: ['user'], bucket: 'day', limit: 3, from: t0 + 5_000_000, to: t0 + 8 * 86_400_000 },
          { groupBy: ['feature'], filters: { feature: ['feature-2', 'feature-7'] }, bucket: 'day' },
        ] as const;
        const before = await database.open();
        await before.insertSpans(spans);
        await before.close();
        await dropMigration6(database, undoSpanKeys);

        const after = await database.open();
        for (const query of queries)
          expect(await after.querySpend(query)).toEqual(referenceSpend(spans, query));
        await after.close();
        // Migrated: dropping the index again works only if the migration created it.
        await dropMigration6(database, undoSpanKeys);
      });
    });
  });
  describe(`${name}: migration from schema version 6`, () => {
    it('indexes calls by feature, and spend filtered by feature and grouped otherwise comes out the same', async () => {
      await withDatabase(async (database) => {
        const spans = generateSpans({ count: 600, seed: 7, start: t0, days: 9, users: 40, features: 4 });
        const queries = [
          { groupBy: ['user'], filters: { feature: ['feature-1'] }, limit: 5 },
          {
            groupBy: ['key'],
            filters: { feature: ['feature-2', 'feature-3'] },
            bucket: 'day',
            limit: 3,
            from: t0 + 5_000_000,
            to: t0 + 8 * 86_400_000,
          },
          { groupBy: ['model'], filters: { feature: ['feature-0'], user: ['user-1', 'user-2'] } },
        ] as const;
        const before = await database.open();
        await before.insertSpans(spans);
        await before.close();
        await dropMigration7(database, undoSpanKeys);

        const after = await database.open();
        for (const query of queries) {
          const expected = referenceSpend(spans, query);
          expect(expected.length).toBeGreaterThan(0);
          expect(await after.querySpend(query)).toEqual(expected);
        }
        await after.close();
        // Migrated: dropping the index again works only if the migration created it.
        await dropMigration7(database, undoSpanKeys);
      });
    });
  });
  describe(`${name}: migration to spans keyed by trace and span id`, () => {
    it('keeps every span and trace, refuses the same spans again, and takes a span id again in another trace', async () => {
      await withDatabase(async (database) => {
        const spans = [...version1Spans, ...generateSpans({ count: 300, seed: 8, start: t0, days: 3 })];
        const query = { groupBy: ['user'], bucket: 'day' } as const;
        const before = await database.open();
        expect(await before.insertSpans(spans)).toBe(spans.length);
        const spend = await before.querySpend(query);
        await before.close();
        await dropSpanKeys(database, undoSpanKeys);

        const after = await database.open();
        for (const span of spans) expect(await after.getSpan(span.traceId, span.id)).toStrictEqual(span);
        const traceId = spans[0]!.traceId;
        expect((await after.getTrace(traceId)).map((span) => span.id).sort()).toEqual(
          spans
            .filter((span) => span.traceId === traceId)
            .map((span) => span.id)
            .sort(),
        );
        expect(await after.insertSpans(spans)).toBe(0);
        expect(await after.querySpend(query)).toEqual(spend);
        const elsewhere = { ...spans[0]!, traceId: 'another-trace' };
        expect(await after.insertSpans([elsewhere, spans[0]!])).toBe(1);
        expect(await after.getSpan('another-trace', elsewhere.id)).toStrictEqual(elsewhere);
        expect(await after.querySpendFromSpans(query)).toEqual(await after.querySpend(query));
        const [total] = await after.querySpend({});
        expect(total?.calls).toBe(spans.filter((span) => span.kind !== 'step').length + 1);
        await after.close();
        // Migrated: taking the keys away again (with span ids unique again) works only if the migration dropped
        // the index of span ids.
        await database.execute("DELETE FROM spans WHERE trace_id = 'another-trace'");
        await dropSpanKeys(database, undoSpanKeys);
      });
    });
  });
}
