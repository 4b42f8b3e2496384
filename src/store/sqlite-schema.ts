import type { Migration } from './migration.js';

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
 * The SQLite schema, one migration per change; never edit a released one, add the next number. Money is two
 * INTEGER columns (see `span-columns.ts`), never REAL. Rollups: one row per dimension value and UTC hour/day.
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
];
