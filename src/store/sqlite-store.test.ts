import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../core/errors.js';
import type { Span } from '../core/spans/span.js';
import { zoneCalendar } from '../core/time/zone-calendar.js';
import { bucketKeyFor } from './bucket-key.js';
import { gatewaySavingsSql } from './gateway-savings-sql.js';
import { generateSpans } from './generate-spans.js';
import type { InspectableStore } from './inspectable-store.js';
import { selectKeySql } from './key-rows.js';
import { openStore } from './open-store.js';
import { type SpendShape, spendSql } from './spend-sql.js';
import { writeSqliteAtVersion } from './sqlite-at-version.js';
import { selectSpanSql, selectTraceSql, sqliteDialect } from './sqlite-statements.js';
import { openSqliteStore } from './sqlite-store.js';
import { describeStoreContract, fullSpan, type TestDatabase } from './store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-sqlite-'));
let counter = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function testDatabase(path: string): TestDatabase {
  const opened: InspectableStore[] = [];
  return {
    async open() {
      const store = await openSqliteStore({ path });
      opened.push(store);
      return store;
    },
    async execute(statement) {
      const database = new Database(path);
      try {
        database.exec(statement);
      } finally {
        database.close();
      }
    },
    async dispose() {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
}

/** Takes migration 9 away again: span ids unique on their own, the trace index by day not unique. */
const undoSpanKeys = [
  'DROP INDEX spans_by_trace',
  'CREATE UNIQUE INDEX spans_by_id ON spans (id_key)',
  'CREATE INDEX spans_by_trace ON spans (start_day, trace_key)',
  'DELETE FROM frugal_schema_version WHERE version = 9',
];

describeStoreContract('SQLite', {
  async createDatabase() {
    return testDatabase(join(root, `contract-${counter++}`, 'frugal.db'));
  },
  undoSpanKeys,
  async createVersion1Database(spans) {
    const path = join(root, `version-1-${counter++}`, 'frugal.db');
    mkdirSync(dirname(path), { recursive: true });
    writeSqliteAtVersion(path, 1, { spans });
    return testDatabase(path);
  },
});

async function failureOf(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe('SQLite store: files', () => {
  it('creates missing directories and a WAL-mode database from a sqlite: location', async () => {
    const path = join(root, 'nested', 'deeper', 'frugal.db');
    const store = await openStore(`sqlite:${path}`);
    await store.insertSpans([fullSpan]);
    await store.close();
    const database = new Database(path, { readonly: true });
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.prepare('SELECT version FROM frugal_schema_version').all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
      { version: 6 },
      { version: 7 },
      { version: 8 },
      { version: 9 },
    ]);
    database.close();
  });

  it('finds spans by id and by trace through the unique (day, trace, id) index, not by scanning', async () => {
    const path = join(root, 'plans.db');
    (await openStore(path)).close();
    const database = new Database(path, { readonly: true });
    const plan = (text: string) =>
      database
        .prepare(`EXPLAIN QUERY PLAN ${text}`)
        .all({ id: fullSpan.id, traceId: fullSpan.traceId })
        .map((row) => (row as { detail: string }).detail);
    const span = plan(selectSpanSql);
    expect(span).toContain('SEARCH s USING INDEX spans_by_trace (start_day=? AND trace_key=? AND id_key=?)');
    expect(span.filter((step) => step.startsWith('SCAN') && step !== 'SCAN days')).toEqual([]);
    const trace = plan(selectTraceSql);
    expect(trace).toContain('SEARCH s USING INDEX spans_by_trace (start_day=? AND trace_key=?)');
    expect(trace.filter((step) => step.startsWith('SCAN') && step !== 'SCAN days')).toEqual([]);
    // One index of spans by key (migration 9): none of span ids alone, whose random keys cost a page a span.
    const indexes = database
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans' AND sql LIKE '%UNIQUE%'",
      )
      .all();
    expect(indexes).toEqual([
      {
        name: 'spans_by_trace',
        sql: 'CREATE UNIQUE INDEX spans_by_trace ON spans (start_day, trace_key, id_key)',
      },
    ]);
    database.close();
  });

  it('reads the gateway savings through the partial indexes of hits and routed calls, not by scanning', async () => {
    const path = join(root, 'savings-plans.db');
    (await openStore(path)).close();
    const database = new Database(path, { readonly: true });
    const { cacheHits, routed } = gatewaySavingsSql(
      { from: 0, to: 1, filters: { feature: ['faq'], tag: ['prod'] } },
      sqliteDialect,
    );
    const plan = (sql: { text: string; values: unknown[] }) =>
      database
        .prepare(`EXPLAIN QUERY PLAN ${sql.text}`)
        .all(...sql.values)
        .map((row) => (row as { detail: string }).detail);
    // Covering (migration 6): no call's row is fetched, filters included.
    expect(plan(cacheHits)).toContain(
      'SEARCH s USING COVERING INDEX spans_cache_hits (start_time>? AND start_time<?)',
    );
    expect(plan(routed)).toContain(
      'SEARCH s USING COVERING INDEX spans_routed (start_time>? AND start_time<?)',
    );
    database.close();
  });

  it('sums spend filtered by feature and grouped otherwise from the covering index by feature alone', async () => {
    const path = join(root, 'feature-plans.db');
    (await openStore(path)).close();
    const database = new Database(path, { readonly: true });
    const plan = (shape: SpendShape) => {
      const sql = spendSql({ source: 'raw', from: 0, to: 1 }, shape, sqliteDialect);
      return database
        .prepare(`EXPLAIN QUERY PLAN ${sql.text}`)
        .all(...sql.values)
        .map((row) => (row as { detail: string }).detail);
    };
    const covered =
      'SEARCH s USING COVERING INDEX spans_by_feature (feature=? AND start_time>? AND start_time<?)';
    const filters = [{ dimension: 'feature', values: ['faq'] }] as const;
    // Migration 7: the ranking, the top groups' every sum, and per day; grouped by user, key, model, provider.
    for (const groupBy of ['user', 'key', 'model', 'provider'] as const) {
      const shape = { groupBy: [groupBy], filters, rollupDimension: 'model' } as const;
      expect(plan({ ...shape, costOnly: true })).toContain(covered);
      expect(plan(shape)).toContain(covered);
      expect(plan({ ...shape, filters: [...filters, { dimension: groupBy, values: ['a', 'b'] }] })).toContain(
        covered,
      );
    }
    expect(
      plan({
        groupBy: ['user'],
        filters,
        rollupDimension: 'model',
        bucketKey: bucketKeyFor(zoneCalendar('UTC'), 'day', 0, 10 * 86_400_000),
      }),
    ).toContain(covered);
    database.close();
  });

  it('fills the savings rollup from stored spans when migrating to version 8, as inserts fill it', async () => {
    const path = join(root, 'savings-backfill.db');
    const start = Date.UTC(2026, 4, 1, 5);
    const spans: Span[] = generateSpans({ count: 900, seed: 8, start, days: 6 }).map((span, index) =>
      span.kind !== 'llm' || index % 3 === 2
        ? span
        : {
            ...span,
            attributes: {
              ...span.attributes,
              ...(index % 3 === 0
                ? { 'frugal.cache.status': index % 2 ? 'hit' : 'semantic-hit' }
                : { 'frugal.route.requested_model': `frugal/${index % 4}` }),
              ...(index % 9 === 0 ? { 'frugal.cache.saved_usd': `0.${index}` } : {}),
            },
          },
    );
    const queries = [
      { from: start - 3_600_000, to: start + 7 * 86_400_000 },
      { from: start, to: start + 5 * 86_400_000, filters: { feature: ['feature-1', 'feature-2'] } },
      { filters: { user: ['user-0'] } },
    ];
    const rollupRows = (database: Database.Database) =>
      database.prepare('SELECT * FROM savings_by_day ORDER BY 1, 2, 3, 4, 5, 6, 7, 8').all();
    const store = await openStore(path);
    await store.insertSpans(spans);
    const answers = await Promise.all(queries.map((query) => store.gatewaySavings(query)));
    await store.close();
    expect(answers[0]!.cacheHits.every((entry) => entry.calls > 0 && entry.saved > 0n)).toBe(true);
    expect(new Set(answers[0]!.routed.map((entry) => entry.requestedModel)).size).toBe(4);
    const database = new Database(path);
    const inserted = rollupRows(database);
    expect(inserted.length).toBeGreaterThan(100);
    for (const statement of undoSpanKeys) database.exec(statement);
    database.exec('DROP TABLE savings_by_day; DELETE FROM frugal_schema_version WHERE version = 8');
    database.close();

    const migrated = await openStore(path);
    expect(await Promise.all(queries.map((query) => migrated.gatewaySavings(query)))).toStrictEqual(answers);
    await migrated.close();
    const after = new Database(path, { readonly: true });
    expect(rollupRows(after)).toEqual(inserted);
    after.close();
  });

  it('finds a virtual key by hash through its unique index, not by scanning', async () => {
    const path = join(root, 'key-plans.db');
    (await openStore(path)).close();
    const database = new Database(path, { readonly: true });
    const detail = database
      .prepare(`EXPLAIN QUERY PLAN ${selectKeySql(sqliteDialect, 'hash')}`)
      .all('f'.repeat(64))
      .map((row) => (row as { detail: string }).detail);
    expect(detail).toEqual(['SEARCH virtual_keys USING INDEX virtual_keys_by_hash (hash=?)']);
    database.close();
  });

  it('names the file when it is not a database', async () => {
    const path = join(root, 'corrupt.db');
    writeFileSync(path, 'this is a spreadsheet, not a database '.repeat(200));
    const error = await failureOf(openStore(path));
    expect(error.location).toBe(path);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not a SQLite database/);
  });

  it('names the file when another connection holds the write lock too long', async () => {
    const path = join(root, 'locked.db');
    (await openStore(path)).close();
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const error = await failureOf(openSqliteStore({ path, busyTimeoutMs: 50 }));
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/locked by another connection \(waited 50 ms\)/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('refuses a database written by a newer frugal, saying both versions', async () => {
    const path = join(root, 'newer.db');
    (await openStore(path)).close();
    const database = new Database(path);
    database.prepare('INSERT INTO frugal_schema_version VALUES (?, ?, ?)').run(10, 'from the future', 0);
    database.close();
    const error = await failureOf(openStore(path));
    expect(error.message).toBe(
      `${path}: database schema version 10, this frugal knows up to 9; upgrade frugal to open it`,
    );
  });

  it('reports use after close as a StoreError, and keeps an in-memory store to itself', async () => {
    const store = await openStore(':memory:');
    expect(existsSync(':memory:')).toBe(false);
    await store.close();
    await failureOf(store.getSpan('t', 'x'));
  });

  it('shows why money is split: SQLite cannot SUM pico-dollars past int64', () => {
    const database = new Database(':memory:');
    database.exec('CREATE TABLE t (picos INTEGER)');
    const insert = database.prepare('INSERT INTO t VALUES (?)');
    for (let index = 0; index < 2; index++) insert.run(2n ** 62n);
    expect(() => database.prepare('SELECT SUM(picos) FROM t').get()).toThrow(/integer overflow/);
    database.close();
  });
});
