import { evalTablesMigration } from './eval-schema.js';
import { virtualKeysMigration } from './key-schema.js';
import type { Migration } from './migration.js';
import { savingsRollupTableSql } from './savings-rollup.js';
import { startDaySql } from './span-days-sql.js';

const rollupTable = (name: string, timeColumn: string) => `CREATE TABLE ${name} (
  dimension TEXT NOT NULL,
  ${timeColumn} INTEGER NOT NULL,
  has_value INTEGER NOT NULL,
  value TEXT NOT NULL,
  cost_micros INTEGER NOT NULL,
  cost_picos INTEGER NOT NULL,
  calls INTEGER NOT NULL,
  priced_calls INTEGER NOT NULL,
  unpriced_calls INTEGER NOT NULL,
  error_calls INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  cached_input_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  PRIMARY KEY (dimension, ${timeColumn}, has_value, value)
) WITHOUT ROWID`;

/**
 * The compact index key of an id (one-to-one, so a unique index on it is a unique index on the id): the bytes of
 * a lowercase hex id (OpenTelemetry's, 8 or 16 bytes instead of 16 or 32 characters), else the text itself (a
 * blob never equals a text). Random ids make every insert land on a random index page; small keys mean fewer.
 * Migration 2 generates columns with it: frozen.
 */
export const compactKeySql = (text: string) =>
  `iif(lower(hex(unhex(${text}))) = ${text}, unhex(${text}), ${text})`;

/** Migration 6: attributes of the gateway's savings, and the columns the spend filters read (frozen). */
const cacheStatusSql = `json_extract(attributes, '$."frugal.cache.status"')`;
const requestedModelSql = `json_extract(attributes, '$."frugal.route.requested_model"')`;
const savingsFilterColumns =
  'kind, response_model, request_model, provider, feature, user_id, api_key_id, run_id, tags';

/** The columns of migration 1's spans table (frozen: migration 2 copies them). */
const version1Columns = [
  'id, trace_id, parent_id, name, kind, start_time, duration_ms, time_to_first_token_ms, status, error_type',
  'error_message, operation, provider, request_model, response_model, has_usage, input_tokens',
  'cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens',
  'usage_estimated, cost_status, cost_micros, cost_picos, price_id, price_source, unpriced_reason',
  'unpriced_message, simulated, feature, user_id, api_key_id, run_id, tags, attributes',
].join(', ');

/**
 * The SQLite schema, one migration per change; never edit a released one, add the next number. Money is two
 * INTEGER columns (see `span-columns.ts`), never REAL. Rollups: one row per dimension value and UTC hour/day.
 *
 * Since version 2, spans are found through generated (virtual) keys rather than the ids' text; since version 9
 * through one unique index on (`start_day`, `trace_key`, `id_key`): it keeps inserts idempotent (a span is its
 * trace id and span id, as in OpenTelemetry; a replay also has the same start time) and finds a trace with one
 * lookup per stored day. Split by day, a batch of inserts only touches the part of the day it falls in; within
 * it, the trace ids frugal makes are ordered by time (tracing/span-ids), so inserts land at its end. Versions 2
 * to 8 kept span ids unique on their own, in an index of random keys: every span inserted dirtied a random page
 * of it (~10 µs a span of a 150k-span ledger's ~30, and a page of write-ahead log each).
 */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    description: 'spans, hourly and daily spend rollups',
    statements: [
      `CREATE TABLE spans (
        id TEXT NOT NULL PRIMARY KEY,
        trace_id TEXT NOT NULL,
        parent_id TEXT,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        start_time INTEGER NOT NULL,
        duration_ms REAL NOT NULL,
        time_to_first_token_ms REAL,
        status TEXT NOT NULL,
        error_type TEXT,
        error_message TEXT,
        operation TEXT,
        provider TEXT,
        request_model TEXT,
        response_model TEXT,
        has_usage INTEGER NOT NULL,
        input_tokens INTEGER,
        cached_input_tokens INTEGER,
        cache_write_tokens INTEGER,
        cache_write_1h_tokens INTEGER,
        output_tokens INTEGER,
        reasoning_tokens INTEGER,
        usage_estimated INTEGER,
        cost_status TEXT,
        cost_micros INTEGER,
        cost_picos INTEGER,
        price_id TEXT,
        price_source TEXT,
        unpriced_reason TEXT,
        unpriced_message TEXT,
        simulated INTEGER,
        feature TEXT,
        user_id TEXT,
        api_key_id TEXT,
        run_id TEXT,
        tags TEXT,
        attributes TEXT NOT NULL
      )`,
      'CREATE INDEX spans_by_trace ON spans (trace_id)',
      'CREATE INDEX spans_by_start ON spans (start_time)',
      rollupTable('spend_by_hour', 'hour'),
      rollupTable('spend_by_day', 'day'),
    ],
  },
  {
    version: 2,
    description: 'request hashes, compact id and trace keys, budgets, alerts',
    statements: [
      `CREATE TABLE spans_v2 (
        id TEXT NOT NULL,
        trace_id TEXT NOT NULL,
        parent_id TEXT,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        start_time INTEGER NOT NULL,
        duration_ms REAL NOT NULL,
        time_to_first_token_ms REAL,
        status TEXT NOT NULL,
        error_type TEXT,
        error_message TEXT,
        operation TEXT,
        provider TEXT,
        request_model TEXT,
        response_model TEXT,
        has_usage INTEGER NOT NULL,
        input_tokens INTEGER,
        cached_input_tokens INTEGER,
        cache_write_tokens INTEGER,
        cache_write_1h_tokens INTEGER,
        output_tokens INTEGER,
        reasoning_tokens INTEGER,
        usage_estimated INTEGER,
        cost_status TEXT,
        cost_micros INTEGER,
        cost_picos INTEGER,
        price_id TEXT,
        price_source TEXT,
        unpriced_reason TEXT,
        unpriced_message TEXT,
        simulated INTEGER,
        feature TEXT,
        user_id TEXT,
        api_key_id TEXT,
        run_id TEXT,
        tags TEXT,
        attributes TEXT NOT NULL,
        request_hash TEXT,
        id_key GENERATED ALWAYS AS (${compactKeySql('id')}) VIRTUAL,
        trace_key GENERATED ALWAYS AS (${compactKeySql('trace_id')}) VIRTUAL,
        start_day GENERATED ALWAYS AS (${startDaySql('start_time')}) VIRTUAL
      )`,
      `INSERT INTO spans_v2 (${version1Columns}) SELECT ${version1Columns} FROM spans ORDER BY rowid`,
      'DROP TABLE spans',
      'ALTER TABLE spans_v2 RENAME TO spans',
      'CREATE UNIQUE INDEX spans_by_id ON spans (id_key)',
      'CREATE INDEX spans_by_trace ON spans (start_day, trace_key)',
      'CREATE INDEX spans_by_start ON spans (start_time)',
      'CREATE TABLE budgets (id TEXT NOT NULL PRIMARY KEY, definition TEXT NOT NULL, updated_at INTEGER NOT NULL)',
      `CREATE TABLE alerts (
        id TEXT NOT NULL PRIMARY KEY,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        time INTEGER NOT NULL,
        message TEXT NOT NULL,
        details TEXT NOT NULL
      )`,
      'CREATE INDEX alerts_by_time ON alerts (time)',
    ],
  },
  evalTablesMigration({
    key: 'TEXT',
    text: 'TEXT',
    integer: 'INTEGER',
    real: 'REAL',
    flag: 'INTEGER',
    json: 'TEXT',
  }),
  virtualKeysMigration({ key: 'TEXT', text: 'TEXT', integer: 'INTEGER', json: 'TEXT' }),
  {
    version: 5,
    description: 'partial indexes of cache hits and routed requests, by start time',
    // The gateway's savings, read by the dashboard without scanning every span: few calls are hits or routed.
    statements: [
      `CREATE INDEX spans_cache_hits ON spans (start_time) WHERE json_extract(attributes, '$."frugal.cache.status"') IN ('hit', 'semantic-hit')`,
      `CREATE INDEX spans_routed ON spans (start_time) WHERE json_extract(attributes, '$."frugal.route.requested_model"') IS NOT NULL`,
    ],
  },
  {
    version: 6,
    description: 'daily spend rollup indexed by value; covering indexes of cache hits and routed requests',
    statements: [
      // The top users by cost over 90 days: summing each value's days in value order spares sorting every
      // (value, day) row; the cost and call columns ride along so that ranking never reads the table.
      'CREATE INDEX spend_by_day_by_value ON spend_by_day ' +
        '(dimension, has_value, value, day, cost_micros, cost_picos, calls)',
      // Migration 5's indexes again, now holding every column the savings and their filters read: summing
      // 100k hits no longer fetches 100k spans and parses their attributes.
      'DROP INDEX spans_cache_hits',
      `CREATE INDEX spans_cache_hits ON spans (start_time, ${cacheStatusSql}, ` +
        `json_extract(attributes, '$."frugal.cache.saved_usd"'), ${savingsFilterColumns}) ` +
        `WHERE ${cacheStatusSql} IN ('hit', 'semantic-hit')`,
      'DROP INDEX spans_routed',
      `CREATE INDEX spans_routed ON spans (start_time, ${requestedModelSql}, ${savingsFilterColumns}, ` +
        `cost_status, cost_micros, cost_picos) WHERE ${requestedModelSql} IS NOT NULL`,
    ],
  },
  {
    version: 7,
    description: 'covering index of calls by feature and start time',
    // Spend filtered by one feature and grouped by another dimension (no rollup holds two dimensions): one
    // range of this index holds every column those sums, their groups (all but run and tag) and the ranking
    // read, where the spans table was read over the whole range (1M spans, 90 days: ~0.4 s a read, four a page).
    statements: [
      'CREATE INDEX spans_by_feature ON spans (feature, start_time, kind, user_id, api_key_id, response_model, ' +
        'request_model, provider, status, cost_status, cost_micros, cost_picos, input_tokens, cached_input_tokens, ' +
        'cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens)',
    ],
  },
  {
    version: 8,
    description: 'daily rollup of the gateway savings',
    // Filled from the stored spans by `migrateSqlite` (see `backfillSavings`): exact sums need parseUsd.
    statements: [savingsRollupTableSql],
  },
  {
    version: 9,
    description: 'spans keyed by day, trace and span id in one unique index',
    // See above: the unique index of span ids alone goes; the trace index becomes the unique one.
    statements: [
      'DROP INDEX spans_by_id',
      'DROP INDEX spans_by_trace',
      'CREATE UNIQUE INDEX spans_by_trace ON spans (start_day, trace_key, id_key)',
    ],
  },
];
