import type Database from 'better-sqlite3';
import { pendingMigrations } from './migration.js';
import { sqliteMigrations } from './sqlite-schema.js';

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
        record.run(migration.version, migration.description, Date.now());
      }
    })
    .immediate();
}
