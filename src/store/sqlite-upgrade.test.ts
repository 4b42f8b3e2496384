import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../core/alerts/alert.js';
import type { Budget } from '../core/budgets/budget.js';
import { StoreError } from '../core/errors.js';
import { generateSpans } from './generate-spans.js';
import { openStore } from './open-store.js';
import { referenceSpend } from './reference-spend.js';
import { writeSqliteAtVersion } from './sqlite-at-version.js';
import { sqliteMigrations } from './sqlite-schema.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-upgrade-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const latest = sqliteMigrations.at(-1)!.version;
const t0 = Date.UTC(2026, 2, 1);
const spans = generateSpans({ count: 400, seed: 11, start: t0, days: 4 });
const budget: Budget = {
  id: 'feature:feature-1/day',
  scope: { kind: 'feature', value: 'feature-1' },
  period: 'day',
  timeZone: 'UTC',
  limit: 5n * 10n ** 12n,
  hard: false,
  thresholds: [50, 100],
};
const alert: Alert = {
  id: 'budget:feature:feature-1/day:50',
  kind: 'budget-threshold',
  severity: 'warning',
  time: t0 + 3_600_000,
  message: 'feature-1 spent half its day',
  details: { spent: '2.5' },
};

/** The tables and indexes of a database as SQLite keeps them, and its recorded schema versions. */
function schemaOf(path: string) {
  const database = new Database(path, { readonly: true });
  try {
    return {
      objects: database
        .prepare(
          "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .all(),
      versions: database
        .prepare('SELECT version, description FROM frugal_schema_version ORDER BY version')
        .all(),
    };
  } finally {
    database.close();
  }
}

describe('SQLite store: a database from every older schema version', () => {
  const fresh = join(root, 'fresh.db');

  it.each(sqliteMigrations.slice(0, -1).map((migration) => migration.version))(
    'is migrated from version %i to the same schema a new store gets, its rows kept',
    async (version) => {
      await (await openStore(fresh)).close();
      const path = join(root, `at-${version}.db`);
      writeSqliteAtVersion(path, version, { spans, budget, alert });
      expect(schemaOf(path).versions).toHaveLength(version);

      const store = await openStore(path);
      try {
        for (const span of spans) expect(await store.getSpan(span.traceId, span.id)).toStrictEqual(span);
        const traced = spans[spans.length - 1]!;
        expect((await store.getTrace(traced.traceId)).map((span) => span.id)).toEqual(
          spans.filter((span) => span.traceId === traced.traceId).map((span) => span.id),
        );
        for (const query of [
          { groupBy: ['feature'], bucket: 'day' },
          { groupBy: ['model'], from: t0 + 1_234_567, to: t0 + 3 * 86_400_000 },
        ] as const) {
          expect(await store.querySpend(query)).toEqual(referenceSpend(spans, query));
        }
        expect(await store.insertSpans(spans)).toBe(0);
        expect(await store.listBudgets()).toEqual(version >= 2 ? [budget] : []);
        expect(await store.listAlerts()).toEqual(version >= 2 ? [alert] : []);
        expect(await store.listRuns()).toEqual([]);
        expect(await store.listVirtualKeys()).toEqual([]);
      } finally {
        await store.close();
      }
      const migrated = schemaOf(path);
      expect(migrated.objects).toEqual(schemaOf(fresh).objects);
      expect(migrated.versions.map((row) => (row as { version: number }).version)).toEqual(
        sqliteMigrations.map((migration) => migration.version),
      );
    },
  );

  it('refuses a database from a newer frugal without changing it, naming the file and both versions', async () => {
    const path = join(root, 'newer.db');
    writeSqliteAtVersion(path, latest, { spans, budget, alert });
    const database = new Database(path);
    database.prepare('INSERT INTO frugal_schema_version VALUES (?, ?, 0)').run(latest + 1, 'from the future');
    database.exec('CREATE TABLE from_the_future (x INTEGER)');
    database.close();
    const before = schemaOf(path);

    const error = await openStore(path).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).location).toBe(path);
    expect((error as StoreError).message).toBe(
      `${path}: database schema version ${latest + 1}, this frugal knows up to ${latest}; upgrade frugal to open it`,
    );
    expect(schemaOf(path)).toEqual(before);
  });
});
