import type pg from 'pg';
import { pendingMigrations } from './migration.js';
import { postgresMigrations } from './postgres-schema.js';

/**
 * Brings a PostgreSQL schema (created if missing) to the newest version: pending migrations in one transaction,
 * serialised between replicas by an advisory lock.
 */
export async function migratePostgres(
  pool: pg.Pool,
  schema: string | undefined,
  location: string,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`frugal-migrations:${schema ?? ''}`]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS frugal_schema_version (version integer PRIMARY KEY, ' +
        'description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query('SELECT max(version) AS version FROM frugal_schema_version');
    const current = Number((rows[0] as { version: number | null }).version ?? 0);
    for (const migration of pendingMigrations(postgresMigrations, current, location)) {
      for (const statement of migration.statements) await client.query(statement);
      await client.query('INSERT INTO frugal_schema_version (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
