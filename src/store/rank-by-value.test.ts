import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { SpendQuery } from '../core/spans/spend-query.js';
import { DAY_MS } from '../core/time/zone-calendar.js';
import { generateSpans } from './generate-spans.js';
import { openStore } from './open-store.js';
import { referenceSpend } from './reference-spend.js';
import { planSpendQuery, ranksByValue, type SpendReader } from './run-spend-query.js';
import type { SpendPiece } from './spend-plan.js';
import { type SpendShape, spendSql } from './spend-sql.js';
import { sqliteDialect } from './sqlite-statements.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-rank-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const day0 = Date.UTC(2026, 0, 1);
/** 60 days of stored spans; the plans below never read them. */
const reader: SpendReader = {
  ranksBeforeReading: true,
  startTimeRange: async () => ({ first: day0, last: day0 + 60 * DAY_MS - 1 }),
  aggregate: async () => [],
};

describe('ranksByValue: ranking reads the daily rollup in value order when it covers a third of the stored days', () => {
  it.each<[string, SpendQuery, boolean]>([
    ['all of it', { groupBy: ['user'], limit: 10 }, true],
    ['the last 30 of 60 days', { groupBy: ['user'], limit: 10, from: day0 + 30 * DAY_MS }, true],
    ['20 days, ragged', { groupBy: ['user'], limit: 10, from: day0 + 40 * DAY_MS - 7 }, true],
    ['the last 7 days', { groupBy: ['user'], limit: 10, from: day0 + 53 * DAY_MS }, false],
    ['19 days', { groupBy: ['user'], limit: 10, from: day0 + 41 * DAY_MS }, false],
    [
      'a range reaching past both ends',
      { groupBy: ['user'], from: day0 - 900 * DAY_MS, to: day0 + 999 * DAY_MS },
      true,
    ],
    ['hours only: no daily piece', { groupBy: ['user'], bucket: 'hour', from: day0 }, false],
  ])('%s', async (_, query, expected) => {
    const plan = await planSpendQuery(reader, query);
    expect(plan).toBeDefined();
    expect(ranksByValue(plan!)).toBe(expected);
  });
});

describe('SQLite: ranking a dimension over most of its days', () => {
  const path = join(root, 'frugal.db');
  const spans = generateSpans({ count: 6_000, seed: 8, start: day0, days: 30, users: 300 });
  const piece: SpendPiece = { source: 'daily', from: day0 + DAY_MS, to: day0 + 29 * DAY_MS };
  const ranking: SpendShape = { groupBy: ['user'], filters: [], rollupDimension: 'user', costOnly: true };
  const planOf = (database: Database.Database, shape: SpendShape) => {
    const { text, values } = spendSql(piece, shape, sqliteDialect);
    return database
      .prepare(`EXPLAIN QUERY PLAN ${text}`)
      .all(...values)
      .map((row) => (row as { detail: string }).detail);
  };

  it('answers exactly, ranking through the value index', async () => {
    const store = await openStore(path);
    await store.insertSpans(spans);
    for (const query of [
      { groupBy: ['user'], limit: 7 },
      { groupBy: ['user'], bucket: 'day', limit: 4, from: day0 + 3 * DAY_MS + 999, to: day0 + 30 * DAY_MS },
      { groupBy: ['feature'], limit: 3, filters: { feature: ['feature-1', 'feature-2', 'feature-3', null] } },
    ] as const) {
      expect(await store.querySpend(query)).toEqual(referenceSpend(spans, query));
      expect(await store.querySpendFromSpans(query)).toEqual(referenceSpend(spans, query));
    }
    await store.close();
  });

  it('ranks again once this connection or another one has added spans', async () => {
    const memo = join(root, 'rankings.db');
    const reader = await openStore(memo);
    const writer = await openStore(memo);
    const bigSpender = (user: string, seed: number) =>
      generateSpans({ count: 2_000, seed, start: day0 + DAY_MS, days: 5, users: 1 }).map((span) => ({
        ...span,
        attribution: { ...span.attribution, user },
      }));
    const queries = [
      { groupBy: ['user'], limit: 3 },
      { groupBy: ['user'], bucket: 'day', limit: 2 },
    ] as const;
    let stored = spans;
    const check = async () => {
      for (const query of queries) {
        expect(await reader.querySpend(query)).toEqual(referenceSpend(stored, query));
        expect(await reader.querySpend(query)).toEqual(referenceSpend(stored, query));
      }
    };
    try {
      await writer.insertSpans(stored);
      await check();
      const whale = bigSpender('whale', 21);
      await writer.insertSpans(whale);
      stored = [...stored, ...whale];
      await check();
      expect((await reader.querySpend(queries[0]))[0]!.group).toEqual(['whale']);
      const orca = [...bigSpender('orca', 22), ...bigSpender('orca', 23)];
      await reader.insertSpans(orca);
      stored = [...stored, ...orca];
      await check();
      expect((await reader.querySpend(queries[0]))[0]!.group).toEqual(['orca']);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('sums each value as the index gives it, with no sort, and seeks filtered values, whatever the statistics say', () => {
    const database = new Database(path);
    const filtered: SpendShape = {
      ...ranking,
      costOnly: false,
      filters: [{ dimension: 'user', values: ['user-1', 'user-2', null] }],
    };
    try {
      database.exec('DROP TABLE IF EXISTS sqlite_stat1');
      database.exec('DROP TABLE IF EXISTS sqlite_stat4');
      // Without statistics SQLite would range over the days by the primary key and sort every row.
      expect(planOf(database, ranking)).toEqual([
        'SEARCH r USING PRIMARY KEY (dimension=? AND day>? AND day<?)',
        'USE TEMP B-TREE FOR GROUP BY',
      ]);
      for (const analysed of [false, true]) {
        if (analysed) database.exec('ANALYZE');
        expect(planOf(database, { ...ranking, byValue: true })).toEqual([
          'SEARCH r USING COVERING INDEX spend_by_day_by_value (dimension=?)',
        ]);
        expect(planOf(database, filtered)).toEqual([
          'SEARCH r USING INDEX spend_by_day_by_value (dimension=? AND has_value=? AND value=? AND day>? AND day<?)',
        ]);
      }
    } finally {
      database.close();
    }
  });
});
