import { type RollupDelta, rollupMeasures, rollupValues } from './rollup-deltas.js';
import { spanDaysSql, startDaySql } from './span-days-sql.js';
import type { SpendDialect } from './spend-sql.js';

/** PostgreSQL's spend SQL: `$n` parameters, arrays for lists, tags as a text[] column. */
export const postgresDialect: SpendDialect = {
  placeholder: (index) => `$${index}`,
  inList: (parameters, expression, values) => `${expression} = ANY(${parameters.add(values)}::text[])`,
  tagJoin: 'LEFT JOIN LATERAL (SELECT DISTINCT unnest(s.tags) AS value) AS t ON true',
  hasAnyTag: (parameters, tags) => `s.tags && ${parameters.add(tags)}::text[]`,
  hasNoTags: 'coalesce(cardinality(s.tags), 0) = 0',
  byteOrder: ' COLLATE "C"',
  attributeText: (name) => `(s.attributes::json ->> '${name}')`,
  dailyByValue: '',
  savingsIndex: () => '',
};

/**
 * Adds rollup deltas sent as one JSON array of rows (as spans are: cheaper to send and to read than one array
 * per column), in the array's order: sorted by key, so that concurrent writers lock rollup rows in one order.
 */
function rollupUpsertSql(table: string, timeColumn: string): string {
  const columns = ['dimension', timeColumn, 'has_value', 'value', ...rollupMeasures];
  const types = ['text', 'integer', 'smallint', 'text', ...rollupMeasures.map(() => 'bigint')];
  const updates = rollupMeasures.map((column) => `${column} = ${table}.${column} + excluded.${column}`);
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) ` +
    `SELECT ${types.map((type, index) => `(r->>${index})::${type}`).join(', ')} ` +
    'FROM jsonb_array_elements($1::jsonb) AS r ' +
    `ON CONFLICT (dimension, ${timeColumn}, has_value, value) DO UPDATE SET ${updates.join(', ')}`
  );
}
export const upsertHourSql = rollupUpsertSql('spend_by_hour', 'hour');
export const upsertDaySql = rollupUpsertSql('spend_by_day', 'day');

/** Deltas (sorted by key, as `rollupDeltas` returns them) as the JSON array `upsertHourSql` / `upsertDaySql` take. */
export function rollupJson(deltas: readonly RollupDelta[]): string {
  const rows = deltas.map((delta) =>
    JSON.stringify([
      delta.dimension,
      delta.time,
      delta.hasValue,
      delta.value,
      ...rollupValues(delta).map((value) => (typeof value === 'bigint' ? String(value) : value)),
    ]),
  );
  return `[${rows.join(',')}]`;
}

/** A trace's spans: one lookup of (day, trace id) per day that holds spans (`spanDaysSql`). */
export const selectTraceSql =
  `${spanDaysSql} SELECT s.* FROM days CROSS JOIN LATERAL ` +
  `(SELECT * FROM spans WHERE ${startDaySql('start_time')} = days.day AND trace_id = $1) AS s`;

/** A span by trace id ($1) and span id ($2): one lookup of (day, trace id, span id) per day that holds spans. */
export const selectSpanSql =
  `${spanDaysSql} SELECT s.* FROM days CROSS JOIN LATERAL ` +
  `(SELECT * FROM spans WHERE ${startDaySql('start_time')} = days.day AND trace_id = $1 AND id = $2) AS s`;
