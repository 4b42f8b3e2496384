import type { Span } from '../core/spans/span.js';
import { postgresInsertTypes } from './postgres-schema.js';
import { type RollupDelta, rollupMeasures, rollupValues } from './rollup-deltas.js';
import { spanColumns, spanToValues } from './span-columns.js';
import type { SpendDialect } from './spend-sql.js';

/** PostgreSQL's spend SQL: `$n` parameters, arrays for lists, tags as a text[] column. */
export const postgresDialect: SpendDialect = {
  placeholder: (index) => `$${index}`,
  inList: (parameters, expression, values) => `${expression} = ANY(${parameters.add(values)}::text[])`,
  tagJoin: 'LEFT JOIN LATERAL (SELECT DISTINCT unnest(s.tags) AS value) AS t ON true',
  hasAnyTag: (parameters, tags) => `s.tags && ${parameters.add(tags)}::text[]`,
  hasNoTags: 'coalesce(cardinality(s.tags), 0) = 0',
};

/** Inserts a batch sent as one JSON array of rows (PostgreSQL parses it in one go), returning the new ids. */
export const insertSpansSql = (() => {
  const selected = spanColumns.map((column, index) => {
    if (column === 'tags') return `(r->>${index})::text[]`;
    const type = postgresInsertTypes[column] ?? 'text';
    return `(r->>${index})::${type === 'integer' ? 'integer::boolean' : type}`;
  });
  return (
    `INSERT INTO spans (${spanColumns.join(', ')}) SELECT ${selected.join(', ')} ` +
    'FROM jsonb_array_elements($1::jsonb) AS r ON CONFLICT (id) DO NOTHING RETURNING id'
  );
})();

const tagsIndex = spanColumns.indexOf('tags');

/** Tags as a PostgreSQL array literal (`{"a","b"}`), cast with ::text[] (cheaper than a subquery per row). */
function tagsLiteral(span: Span): string | null {
  const tags = span.attribution.tags;
  return tags === undefined ? null : `{${tags.map((tag) => `"${tag.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/** Spans as a JSON array of `spanToValues` rows (bigints as decimal strings, which PostgreSQL casts exactly). */
export function spansJson(spans: readonly Span[]): string {
  const rows = spans.map((span) => {
    const values = spanToValues(span).map((value) => (typeof value === 'bigint' ? String(value) : value));
    values[tagsIndex] = tagsLiteral(span);
    return JSON.stringify(values);
  });
  return `[${rows.join(',')}]`;
}

/** Adds rollup deltas sent as one array per column (sorted by key, so concurrent writers lock in one order). */
function rollupUpsertSql(table: string, timeColumn: string): string {
  const columns = ['dimension', timeColumn, 'has_value', 'value', ...rollupMeasures];
  const types = ['text', 'integer', 'smallint', 'text', ...rollupMeasures.map(() => 'bigint')];
  const updates = rollupMeasures.map((column) => `${column} = ${table}.${column} + excluded.${column}`);
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) ` +
    `SELECT * FROM unnest(${types.map((type, index) => `$${index + 1}::${type}[]`).join(', ')}) ` +
    `ON CONFLICT (dimension, ${timeColumn}, has_value, value) DO UPDATE SET ${updates.join(', ')}`
  );
}
export const upsertHourSql = rollupUpsertSql('spend_by_hour', 'hour');
export const upsertDaySql = rollupUpsertSql('spend_by_day', 'day');

/** The column arrays `upsertHourSql` / `upsertDaySql` take. */
export function rollupArrays(deltas: readonly RollupDelta[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 4 + rollupMeasures.length }, () => []);
  for (const delta of deltas) {
    [delta.dimension, delta.time, delta.hasValue, delta.value, ...rollupValues(delta)].forEach(
      (value, index) => {
        columns[index]!.push(value);
      },
    );
  }
  return columns;
}
