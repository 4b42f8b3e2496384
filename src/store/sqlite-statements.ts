import { rollupMeasures } from './rollup-deltas.js';
import { spanColumns } from './span-columns.js';
import { spanDaysSql } from './span-days-sql.js';
import type { SpendDialect } from './spend-sql.js';
import { compactKeySql } from './sqlite-schema.js';

/** SQLite's spend SQL: `?` parameters, tags as a JSON array read with json_each. */
export const sqliteDialect: SpendDialect = {
  placeholder: () => '?',
  inList: (parameters, expression, values) =>
    `${expression} IN (${values.map((value) => parameters.add(value)).join(', ')})`,
  tagJoin:
    'LEFT JOIN json_each(s.tags) AS t ON NOT EXISTS ' +
    '(SELECT 1 FROM json_each(s.tags) AS e WHERE e.key < t.key AND e.value = t.value)',
  hasAnyTag: (parameters, tags) =>
    `EXISTS (SELECT 1 FROM json_each(s.tags) AS e WHERE e.value IN (${tags.map((tag) => parameters.add(tag)).join(', ')}))`,
  hasNoTags: '(s.tags IS NULL OR json_array_length(s.tags) = 0)',
  byteOrder: '',
  attributeText: (name) => `json_extract(s.attributes, '$."${name}"')`,
  dailyByValue: 'INDEXED BY spend_by_day_by_value',
  savingsIndex: (index) => ` INDEXED BY ${index}`,
};

/** A readable reason for a SQLite failure (the driver's own message is kept as the cause). */
export function describeSqliteError(error: unknown, busyTimeoutMs: number): string {
  const code = String((error as { code?: unknown }).code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB') return `not a SQLite database (corrupt, or another kind of file): ${message}`;
  if (code.startsWith('SQLITE_CORRUPT')) return `the database file is corrupt: ${message}`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `the database is locked by another connection (waited ${busyTimeoutMs} ms): ${message}`;
  }
  if (code.startsWith('SQLITE_CANTOPEN')) return `cannot open the database file: ${message}`;
  if (code.startsWith('SQLITE_READONLY')) return `the database file is read-only: ${message}`;
  if (code === 'SQLITE_FULL') return `the disk is full: ${message}`;
  return message;
}

/** Adds one rollup delta to its row (creating it when new). */
export const rollupUpsertSql = (table: string, timeColumn: string) => {
  const columns = ['dimension', timeColumn, 'has_value', 'value', ...rollupMeasures];
  const updates = rollupMeasures.map((column) => `${column} = ${column} + excluded.${column}`).join(', ');
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (dimension, ${timeColumn}, has_value, value) DO UPDATE SET ${updates}`
  );
};

/** A span by trace id and span id: one lookup of (day, trace key, id key) per day that holds spans (`spanDaysSql`). */
export const selectSpanSql =
  `${spanDaysSql} SELECT ${spanColumns.map((column) => `s.${column}`).join(', ')} FROM days CROSS JOIN spans AS s ` +
  `ON s.start_day = days.day AND s.trace_key = ${compactKeySql('@traceId')} AND s.id_key = ${compactKeySql('@id')} ` +
  'AND s.trace_id = @traceId AND s.id = @id';

/** A trace's spans: one lookup of (day, trace key) per day that holds spans (`spanDaysSql`). */
export const selectTraceSql =
  `${spanDaysSql} SELECT ${spanColumns.map((column) => `s.${column}`).join(', ')} FROM days CROSS JOIN spans AS s ` +
  `ON s.start_day = days.day AND s.trace_key = ${compactKeySql('@traceId')} AND s.trace_id = @traceId`;
