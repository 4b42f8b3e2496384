import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../core/errors.js';
import type { Span } from '../core/spans/span.js';
import { gatewaySavingsSql } from './gateway-savings-sql.js';
import { generateSpans } from './generate-spans.js';
import type { InspectableStore } from './inspectable-store.js';
import { openStore } from './open-store.js';
import { postgresMigrations } from './postgres-schema.js';
import { storedSpanKeysSql, storedSpanKeysValues } from './postgres-span-copy.js';
import { postgresDialect, rollupJson, upsertDaySql, upsertHourSql } from './postgres-statements.js';
import { openPostgresStore } from './postgres-store.js';
import { rollupDeltas } from './rollup-deltas.js';
import { spanColumns, spanToValues } from './span-columns.js';
import { describeStoreContract, fullSpan, type TestDatabase } from './store-contract.js';

// CI exports FRUGAL_TEST_PG_URL (see ../shared/services.sh). Without it this file FAILS rather than skips, so
// that a green run always means the PostgreSQL store was really tested.
const url = process.env['FRUGAL_TEST_PG_URL'];
const run = `${process.pid}_${Math.floor(Math.random() * 1e9).toString(36)}`;
let counter = 0;

/** Runs statements on their own connection (to set up a case or drop a test schema), in `schema` if given. */
async function administer(
  connectionString: string,
  text: string | readonly string[],
  values: unknown[] = [],
  schema?: string,
): Promise<void> {
  const client = new pg.Client({
    connectionString,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  await client.connect();
  try {
    for (const statement of typeof text === 'string' ? [text] : text) await client.query(statement, values);
  } finally {
    await client.end();
  }
}

const flagColumns = new Set(['has_usage', 'usage_estimated', 'simulated']);

/** Writes a schema as frugal did at schema version 1: migration 1 only, the spans and their rollups. */
async function writeVersion1Schema(connectionString: string, schema: string, spans: readonly Span[]) {
  const [first] = postgresMigrations;
  const columns = spanColumns.filter((column) => column !== 'request_hash');
  const client = new pg.Client({ connectionString, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(
      'CREATE TABLE frugal_schema_version (version integer PRIMARY KEY, description text NOT NULL, ' +
        'applied_at timestamptz NOT NULL DEFAULT now())',
    );
    for (const statement of first!.statements) await client.query(statement);
    await client.query('INSERT INTO frugal_schema_version (version, description) VALUES (1, $1)', [
      first!.description,
    ]);
    const insert = `INSERT INTO spans (${columns.join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})`;
    for (const span of spans) {
      const values = spanToValues(span);
      await client.query(
        insert,
        columns.map((column) => {
          const value = values[spanColumns.indexOf(column)];
          if (value === null || value === undefined) return null;
          if (flagColumns.has(column)) return value === 1;
          if (column === 'tags') return JSON.parse(String(value));
          return typeof value === 'bigint' ? String(value) : value;
        }),
      );
    }
    const { hourly, daily } = rollupDeltas(spans);
    await client.query(upsertHourSql, [rollupJson(hourly)]);
    await client.query(upsertDaySql, [rollupJson(daily)]);
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
  // Every test gets its own schema, dropped afterwards: parallel files and reruns never collide.
  const testDatabase = (schema: string): TestDatabase => {
    const opened: InspectableStore[] = [];
    return {
      async open() {
        const store = await openPostgresStore({ connectionString: url, schema });
        opened.push(store);
        return store;
      },
      async execute(statement) {
        await administer(url, statement, [], schema);
      },
      async dispose() {
        await Promise.all(opened.map((store) => store.close()));
        await administer(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      },
    };
  };

  describeStoreContract('PostgreSQL', {
    async createDatabase() {
      return testDatabase(`frugal_test_${run}_${counter++}`);
    },
    undoSpanKeys: [
      'DROP INDEX spans_by_trace',
      'ALTER TABLE spans ADD PRIMARY KEY (id)',
      'CREATE INDEX spans_by_trace ON spans ((start_time / 86400000), trace_id)',
      'DELETE FROM frugal_schema_version WHERE version = 8',
    ],
    async createVersion1Database(spans) {
      const schema = `frugal_test_${run}_${counter++}`;
      const database = testDatabase(schema);
      try {
        await writeVersion1Schema(url, schema, spans);
      } catch (error) {
        await database.dispose();
        throw error;
      }
      return database;
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
          `INSERT INTO ${schema}.frugal_schema_version (version, description) VALUES (10, 'x')`,
        );
        const error = await failureOf(openStore(location));
        expect(error.message).toMatch(/database schema version 10, this frugal knows up to 8/);
      } finally {
        await administer(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    });

    it('can read the gateway savings through the partial indexes of hits and routed calls', async () => {
      const schema = `frugal_test_${run}_plans`;
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      try {
        await (await openPostgresStore({ connectionString: url, schema })).close();
        await client.connect();
        await client.query('SET enable_seqscan = off');
        const { cacheHits, routed } = gatewaySavingsSql(
          { from: 0, to: 1, filters: { feature: ['faq'], tag: ['prod'] } },
          postgresDialect,
        );
        const plan = async (sql: { text: string; values: unknown[] }) =>
          (await client.query(`EXPLAIN ${sql.text}`, sql.values)).rows
            .map((row: Record<string, string>) => row['QUERY PLAN'])
            .join('\n');
        expect(await plan(cacheHits)).toMatch(/Index Scan using spans_cache_hits/);
        expect(await plan(routed)).toMatch(/Index Scan using spans_routed/);
      } finally {
        await client.end();
        await administer(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    });

    it('finds which spans are stored with one lookup of the unique index per span, never a scan', async () => {
      const schema = `frugal_test_${run}_stored`;
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      try {
        const store = await openPostgresStore({ connectionString: url, schema });
        const spans = generateSpans({ count: 3_000, seed: 9, days: 3 });
        await store.insertSpans(spans);
        await store.close();
        await client.connect();
        await client.query('ANALYZE spans');
        const asked = [...spans.slice(0, 400), { ...spans[0]!, traceId: 'elsewhere' }];
        const plan = (await client.query(`EXPLAIN ${storedSpanKeysSql}`, storedSpanKeysValues(asked))).rows
          .map((row: Record<string, string>) => row['QUERY PLAN'])
          .join('\n');
        expect(plan).toMatch(/Index (Only )?Scan using spans_by_trace/);
        expect(plan).not.toMatch(/Seq Scan on spans|Hash Join/);
        const { rows } = await client.query(storedSpanKeysSql, storedSpanKeysValues(asked));
        expect(rows).toHaveLength(400);
      } finally {
        await client.end();
        await administer(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    });

    it('refuses a schema name it would have to quote', async () => {
      const error = await failureOf(openPostgresStore({ connectionString: url, schema: 'Robert"; DROP' }));
      expect(error.message).toMatch(/schema name .* must be lowercase letters, digits and _/);
    });
  });
}
