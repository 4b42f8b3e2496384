import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../core/errors.js';
import type { InspectableStore } from './inspectable-store.js';
import { openStore } from './open-store.js';
import { openPostgresStore } from './postgres-store.js';
import { describeStoreContract, fullSpan } from './store-contract.js';

// CI exports FRUGAL_TEST_PG_URL (see ../shared/services.sh). Without it this file FAILS rather than skips, so
// that a green run always means the PostgreSQL store was really tested.
const url = process.env['FRUGAL_TEST_PG_URL'];
const run = `${process.pid}_${Math.floor(Math.random() * 1e9).toString(36)}`;
let counter = 0;

/** Runs a statement on its own connection (to set up a case or drop a test schema). */
async function administer(connectionString: string, text: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

async function failureOf(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

if (url === undefined) {
  describe('PostgreSQL store', () => {
    it('needs FRUGAL_TEST_PG_URL', () => {
      throw new Error(
        'FRUGAL_TEST_PG_URL is not set: start PostgreSQL with `eval "$(bash ../shared/services.sh)"` and rerun',
      );
    });
  });
} else {
  describeStoreContract('PostgreSQL', {
    async createDatabase() {
      // Every test gets its own schema, dropped afterwards: parallel files and reruns never collide.
      const schema = `frugal_test_${run}_${counter++}`;
      const opened: InspectableStore[] = [];
      return {
        async open() {
          const store = await openPostgresStore({ connectionString: url, schema });
          opened.push(store);
          return store;
        },
        async dispose() {
          await Promise.all(opened.map((store) => store.close()));
          await administer(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        },
      };
    },
  });

  describe('PostgreSQL store: connections', () => {
    it('names host:port, never the password, when PostgreSQL is unreachable', async () => {
      const error = await failureOf(openStore('postgres://frugal:s3cret-pw@127.0.0.1:1/ledger'));
      expect(error.message).toMatch(/^127\.0\.0\.1:1\/ledger: cannot reach PostgreSQL at 127\.0\.0\.1:1/);
      expect(error.message).not.toContain('s3cret-pw');
      expect(error.location).not.toContain('s3cret-pw');
    });

    it('refuses a schema written by a newer frugal, and keeps ?schema= out of the connection string', async () => {
      const schema = `frugal_test_${run}_newer`;
      try {
        const location = `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;
        const store = await openStore(location);
        expect(await store.insertSpans([fullSpan])).toBe(1);
        await store.close();
        await administer(
          url,
          `INSERT INTO ${schema}.frugal_schema_version (version, description) VALUES (9, 'x')`,
        );
        const error = await failureOf(openStore(location));
        expect(error.message).toMatch(/database schema version 9, this frugal knows up to 1/);
      } finally {
        await administer(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    });

    it('refuses a schema name it would have to quote', async () => {
      const error = await failureOf(openPostgresStore({ connectionString: url, schema: 'Robert"; DROP' }));
      expect(error.message).toMatch(/schema name .* must be lowercase letters, digits and _/);
    });
  });
}
