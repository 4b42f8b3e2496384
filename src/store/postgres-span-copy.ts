import type pg from 'pg';
import type { Span } from '../core/spans/span.js';
import { copyFrom, copyText } from './postgres-copy.js';
import { spanColumns, spanToValues } from './span-columns.js';
import { startDaySql } from './span-days-sql.js';

/** The UTC day a span started, as `startDaySql` computes it (start times are non-negative integers). */
const startDay = (span: Pick<Span, 'startTime'>): string => String(Math.floor(span.startTime / 86_400_000));
const keyOf = (day: string, traceId: string, id: string): string => JSON.stringify([day, traceId, id]);

/** What a span is stored under (migration 8's unique index): the day it started, its trace id and span id. */
export const storedSpanKey = (span: Pick<Span, 'startTime' | 'traceId' | 'id'>): string =>
  keyOf(startDay(span), span.traceId, span.id);

/**
 * Which of (day $1, trace id $2, span id $3), arrays of keys, are stored. LIMIT 1 (one row at most: the key is
 * unique) keeps the subquery one lookup of the unique index per key: pulled up into a join, the planner hashed
 * the whole spans table for a few hundred keys.
 */
export const storedSpanKeysSql =
  'SELECT s.day::text AS day, s.trace_id, s.id FROM unnest($1::bigint[], $2::text[], $3::text[]) AS k (day, trace_id, id) ' +
  `JOIN LATERAL (SELECT ${startDaySql('start_time')} AS day, trace_id, id FROM spans ` +
  `WHERE ${startDaySql('start_time')} = k.day AND trace_id = k.trace_id AND id = k.id LIMIT 1) AS s ON true`;

/** The values of `storedSpanKeysSql` for these spans. */
export const storedSpanKeysValues = (spans: readonly Span[]): unknown[] => [
  spans.map(startDay),
  spans.map((span) => span.traceId),
  spans.map((span) => span.id),
];

/** Which of these spans are already stored (to be left out of a COPY), as their `storedSpanKey`s. */
export async function storedSpanKeys(client: pg.ClientBase, spans: readonly Span[]): Promise<Set<string>> {
  const { rows } = await client.query<{ day: string; trace_id: string; id: string }>(
    storedSpanKeysSql,
    storedSpanKeysValues(spans),
  );
  return new Set(rows.map((row) => keyOf(row.day, row.trace_id, row.id)));
}

/** Copies spans in COPY's text format (`spansCopyText`): no conflict handling, so only spans not yet stored. */
export const copySpansSql = `COPY spans (${spanColumns.join(', ')}) FROM STDIN`;

const tagsIndex = spanColumns.indexOf('tags');
/** Columns bound as 0/1 that are boolean in PostgreSQL. */
const flagIndexes = new Set(
  (['has_usage', 'usage_estimated', 'simulated'] as const).map((column) => spanColumns.indexOf(column)),
);

/** Tags as a PostgreSQL array literal (`{"a","b"}`). */
function tagsLiteral(span: Span): string | null {
  const tags = span.attribution.tags;
  return tags === undefined ? null : `{${tags.map((tag) => `"${tag.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/** Spans as lines of COPY's text format, in `spanColumns` order (`\N` for null, t/f for flags, exact integers). */
export function spansCopyText(spans: readonly Span[]): string {
  let text = '';
  for (const span of spans) {
    const values = spanToValues(span);
    values[tagsIndex] = tagsLiteral(span);
    let line = '';
    for (let index = 0; index < values.length; index++) {
      const value = values[index];
      const field =
        value === null || value === undefined
          ? '\\N'
          : typeof value === 'string'
            ? copyText(value)
            : flagIndexes.has(index)
              ? value === 1
                ? 't'
                : 'f'
              : String(value);
      line += index === 0 ? field : `\t${field}`;
    }
    text += `${line}\n`;
  }
  return text;
}

/** Spans per COPY: the next chunk is encoded while PostgreSQL stores this one, so both cores work. */
const spansPerCopy = 1_000;

/**
 * Copies spans chunk by chunk inside the caller's transaction, encoding each chunk while PostgreSQL stores the
 * one before, and running `meanwhile` while it stores the last; returns what `meanwhile` returned. Fails with
 * a unique violation when a span is stored already.
 */
export async function copySpansInChunks<T>(
  client: pg.ClientBase,
  spans: readonly Span[],
  meanwhile: () => T,
): Promise<T> {
  let text = spansCopyText(spans.slice(0, spansPerCopy));
  let prepared: { value: T } | undefined;
  for (let start = 0; start < spans.length; start += spansPerCopy) {
    const copying = copyFrom(client, copySpansSql, text);
    // Awaited below; this only keeps a throw in the work between from leaving its failure unhandled.
    copying.catch(() => undefined);
    const next = start + spansPerCopy;
    if (next < spans.length) text = spansCopyText(spans.slice(next, next + spansPerCopy));
    else prepared = { value: meanwhile() };
    await copying;
  }
  return prepared!.value;
}
