import Database from 'better-sqlite3';
import type { Alert } from '../core/alerts/alert.js';
import type { Budget } from '../core/budgets/budget.js';
import type { Span } from '../core/spans/span.js';
import { alertValues, recordAlertSql } from './alert-rows.js';
import { budgetValues, putBudgetSql } from './budget-rows.js';
import { rollupDeltas, rollupValues } from './rollup-deltas.js';
import { savingsDeltas, savingsUpsertSql } from './savings-rollup.js';
import { spanColumns, spanToValues } from './span-columns.js';
import { sqliteMigrations } from './sqlite-schema.js';
import { rollupUpsertSql, sqliteDialect } from './sqlite-statements.js';

/** What an old database holds: spans (with their rollups), and a budget and an alert where it had their tables. */
export type OldDatabaseContent = {
  readonly spans: readonly Span[];
  readonly budget?: Budget | undefined;
  readonly alert?: Alert | undefined;
};

const tableExists = (database: Database.Database, name: string) =>
  database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/**
 * For tests of upgrades: writes a SQLite database exactly as a frugal whose newest migration was `version` did —
 * migrations 1 to `version` as written (the old DDL), recorded in frugal_schema_version as `migrateSqlite`
 * records them, then the content in the columns the spans table had then.
 */
export function writeSqliteAtVersion(path: string, version: number, content: OldDatabaseContent): void {
  const database = new Database(path);
  try {
    database.exec(
      'CREATE TABLE IF NOT EXISTS frugal_schema_version ' +
        '(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    for (const migration of sqliteMigrations.filter((each) => each.version <= version)) {
      for (const statement of migration.statements) database.exec(statement);
      database
        .prepare('INSERT INTO frugal_schema_version VALUES (?, ?, 0)')
        .run(migration.version, migration.description);
    }
    const present = new Set(
      database
        .prepare("SELECT name FROM pragma_table_info('spans')")
        .all()
        .map((row) => (row as { name: string }).name),
    );
    const columns = spanColumns.filter((column) => present.has(column));
    const insert = database.prepare(
      `INSERT INTO spans (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    database.transaction(() => {
      for (const span of content.spans) {
        const values = spanToValues(span);
        insert.run(...columns.map((column) => values[spanColumns.indexOf(column)]));
      }
      const { hourly, daily } = rollupDeltas(content.spans);
      for (const [table, time, deltas] of [
        ['spend_by_hour', 'hour', hourly],
        ['spend_by_day', 'day', daily],
      ] as const) {
        const upsert = database.prepare(rollupUpsertSql(table, time));
        for (const delta of deltas)
          upsert.run(delta.dimension, delta.time, delta.hasValue, delta.value, ...rollupValues(delta));
      }
      if (tableExists(database, 'savings_by_day')) {
        const upsert = database.prepare(savingsUpsertSql);
        for (const values of savingsDeltas(content.spans)) upsert.run(...values);
      }
      if (content.budget !== undefined && tableExists(database, 'budgets'))
        database.prepare(putBudgetSql(['?', '?', '?'])).run(...budgetValues(content.budget), 0);
      if (content.alert !== undefined && tableExists(database, 'alerts'))
        database.prepare(recordAlertSql(sqliteDialect)).run(...alertValues(content.alert));
    })();
  } finally {
    database.close();
  }
}
