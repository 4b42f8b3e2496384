import { evalTablesMigration } from './eval-schema.js';
import { virtualKeysMigration } from './key-schema.js';
import type { Migration } from './migration.js';
import { startDaySql } from './span-days-sql.js';

const rollupTable = (name: string, timeColumn: string) => `CREATE TABLE ${name} (
  dimension text NOT NULL,
  ${timeColumn} integer NOT NULL,
  has_value smallint NOT NULL,
  value text NOT NULL,
  cost_micros bigint NOT NULL,
  cost_picos bigint NOT NULL,
  calls bigint NOT NULL,
  priced_calls bigint NOT NULL,
  unpriced_calls bigint NOT NULL,
  error_calls bigint NOT NULL,
  input_tokens bigint NOT NULL,
  cached_input_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL,
  PRIMARY KEY (dimension, ${timeColumn}, has_value, value)
) WITH (fillfactor = 70)`;

/**
 * The PostgreSQL schema, one migration per change; never edit a released one, add the next number. Money is
 * two bigint columns (see `span-columns.ts`) whose SUMs PostgreSQL returns as exact numeric. Rollup tables
 * leave room in each page (fillfactor 70) so that adding to a row is a HOT update, without index writes.
 */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'spans, hourly and daily spend rollups',
    statements: [
      `CREATE TABLE spans (
        id text PRIMARY KEY,
        trace_id text NOT NULL,
        parent_id text,
        name text NOT NULL,
        kind text NOT NULL,
        start_time bigint NOT NULL,
        duration_ms double precision NOT NULL,
        time_to_first_token_ms double precision,
        status text NOT NULL,
        error_type text,
        error_message text,
        operation text,
        provider text,
        request_model text,
        response_model text,
        has_usage boolean NOT NULL,
        input_tokens bigint,
        cached_input_tokens bigint,
        cache_write_tokens bigint,
        cache_write_1h_tokens bigint,
        output_tokens bigint,
        reasoning_tokens bigint,
        usage_estimated boolean,
        cost_status text,
        cost_micros bigint,
        cost_picos bigint,
        price_id text,
        price_source text,
        unpriced_reason text,
        unpriced_message text,
        simulated boolean,
        feature text,
        user_id text,
        api_key_id text,
        run_id text,
        tags text[],
        attributes text NOT NULL
      )`,
      'CREATE INDEX spans_by_trace ON spans (trace_id)',
      'CREATE INDEX spans_by_start ON spans (start_time)',
      rollupTable('spend_by_hour', 'hour'),
      rollupTable('spend_by_day', 'day'),
    ],
  },
  {
    version: 2,
    description: 'request hashes, byte-ordered ids, a trace index split by day, budgets, alerts',
    statements: [
      'ALTER TABLE spans ADD COLUMN request_hash text',
      // Ids compare as bytes (memcmp) instead of through the database's collation, in every lookup and insert.
      'ALTER TABLE spans ALTER COLUMN id TYPE text COLLATE "C", ALTER COLUMN trace_id TYPE text COLLATE "C"',
      // Trace ids are random: keyed by day first, a batch's inserts stay in the part of the day they fall in.
      'DROP INDEX spans_by_trace',
      `CREATE INDEX spans_by_trace ON spans ((${startDaySql('start_time')}), trace_id)`,
      'CREATE TABLE budgets (id text PRIMARY KEY, definition text NOT NULL, updated_at timestamptz NOT NULL)',
      `CREATE TABLE alerts (
        id text PRIMARY KEY,
        kind text NOT NULL,
        severity text NOT NULL,
        time bigint NOT NULL,
        message text NOT NULL,
        details text NOT NULL
      )`,
      'CREATE INDEX alerts_by_time ON alerts (time)',
    ],
  },
  evalTablesMigration({
    key: 'text COLLATE "C"',
    text: 'text',
    integer: 'bigint',
    real: 'double precision',
    flag: 'boolean',
    json: 'text',
  }),
  virtualKeysMigration({ key: 'text COLLATE "C"', text: 'text', integer: 'bigint', json: 'text' }),
  {
    version: 5,
    description: 'partial indexes of cache hits and routed requests, by start time',
    // The gateway's savings, read by the dashboard without scanning every span: few calls are hits or routed.
    statements: [
      `CREATE INDEX spans_cache_hits ON spans (start_time) WHERE (attributes::json ->> 'frugal.cache.status') IN ('hit', 'semantic-hit')`,
      `CREATE INDEX spans_routed ON spans (start_time) WHERE (attributes::json ->> 'frugal.route.requested_model') IS NOT NULL`,
    ],
  },
  {
    version: 6,
    description: 'daily spend rollup indexed by value',
    // The top groups' sums, read value by value. Only key columns: adding to a row stays a HOT update.
    statements: ['CREATE INDEX spend_by_day_by_value ON spend_by_day (dimension, has_value, value, day)'],
  },
  {
    version: 7,
    description: 'index of calls by feature and start time',
    // Spend filtered by one feature and grouped by another dimension reads that feature's calls in range, not
    // every call in range (SQLite's is covering; here index-only scans would depend on the visibility map).
    statements: ['CREATE INDEX spans_by_feature ON spans (feature, start_time)'],
  },
  {
    version: 8,
    description: 'spans keyed by day, trace and span id in one unique index',
    // A span is its trace id and span id (as in OpenTelemetry), on the day it started: the primary key on span
    // ids alone goes (an index of random keys, a random page written for every span inserted), and the trace
    // index split by day becomes the unique one (sqlite-schema.ts, migration 9).
    statements: [
      'ALTER TABLE spans DROP CONSTRAINT spans_pkey',
      'DROP INDEX spans_by_trace',
      `CREATE UNIQUE INDEX spans_by_trace ON spans ((${startDaySql('start_time')}), trace_id, id)`,
    ],
  },
];
