import type Database from 'better-sqlite3';
import { cacheHitCondition, routedCondition } from './gateway-savings-sql.js';
import { pendingMigrations } from './migration.js';
import { SavingsDeltas, savingsUpsertSql } from './savings-rollup.js';
import { spanColumns } from './span-columns.js';
import { type SpanRow, spanFromRow } from './span-from-row.js';
import { sqliteMigrations } from './sqlite-schema.js';
import { sqliteDialect } from './sqlite-statements.js';

/**
 * Migration 8's rollup of the gateway savings, filled from the spans already stored: every cache hit and routed
 * call (read through migration 6's partial indexes), summed by the code that sums new spans as they are inserted.
 */
function backfillSavings(database: Database.Database): void {
  const deltas = new SavingsDeltas();
  const hit = cacheHitCondition(sqliteDialect);
  const reads = [
    `SELECT ${spanColumns.join(', ')} FROM spans AS s INDEXED BY spans_cache_hits WHERE ${hit}`,
    `SELECT ${spanColumns.join(', ')} FROM spans AS s INDEXED BY spans_routed ` +
      `WHERE ${routedCondition(sqliteDialect)} AND NOT coalesce(${hit}, 0)`,
  ];
  for (const text of reads) {
    for (const row of database.prepare(text).safeIntegers(true).iterate())
      deltas.add(spanFromRow(row as SpanRow));
  }
  const upsert = database.prepare(savingsUpsertSql);
  for (const values of deltas.values()) upsert.run(...values);
}

/** Brings a SQLite database to the newest schema: pending migrations in one immediate (write-locked) transaction. */
export function migrateSqlite(database: Database.Database, location: string): void {
  database
    .transaction(() => {
      database.exec(
        'CREATE TABLE IF NOT EXISTS frugal_schema_version ' +
          '(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)',
      );
      const row = database.prepare('SELECT max(version) AS version FROM frugal_schema_version').get() as {
        version: number | null;
      };
      const record = database.prepare(
        'INSERT INTO frugal_schema_version (version, description, applied_at) VALUES (?, ?, ?)',
      );
      for (const migration of pendingMigrations(sqliteMigrations, row.version ?? 0, location)) {
        for (const statement of migration.statements) database.exec(statement);
        if (migration.version === 8) backfillSavings(database);
        record.run(migration.version, migration.description, Date.now());
      }
    })
    .immediate();
}
