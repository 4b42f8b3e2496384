import type { RepeatedRequest, RepeatQuery } from '../core/spans/request-repeats.js';
import { costOfSums, countOf, type SpendDialect, SqlParameters } from './spend-sql.js';

/** How many repeated requests `repeatedRequests` returns when the query names no limit. */
export const defaultRepeatLimit = 100;

/**
 * The SQL of `Store.repeatedRequests` (both engines): LLM and embedding spans with a request hash in
 * [from, to), read through the start-time index (windows are short and recent), grouped by hash. Money is
 * summed as in spend queries, over priced spans only (an unpriced span has no cost columns).
 */
export function repeatedRequestsSql(query: RepeatQuery, dialect: SpendDialect) {
  const parameters = new SqlParameters(dialect);
  const text =
    'SELECT s.request_hash AS request_hash, COUNT(*) AS calls, ' +
    "SUM(CASE WHEN s.status = 'error' THEN 1 ELSE 0 END) AS error_calls, " +
    'MIN(s.start_time) AS first_time, MAX(s.start_time) AS last_time, ' +
    'SUM(s.cost_micros) AS cost_micros, SUM(s.cost_picos) AS cost_picos, ' +
    "SUM(CASE WHEN s.cost_status = 'unpriced' THEN 1 ELSE 0 END) AS unpriced_calls, " +
    'MAX(coalesce(s.response_model, s.request_model)) AS model, MAX(s.feature) AS feature ' +
    `FROM spans AS s WHERE s.start_time >= ${parameters.add(query.from)} ` +
    `AND s.start_time < ${parameters.add(query.to)} AND s.request_hash IS NOT NULL AND s.kind <> 'step' ` +
    `GROUP BY s.request_hash HAVING COUNT(*) >= ${parameters.add(query.minCalls)} ` +
    `ORDER BY calls DESC, s.request_hash${dialect.byteOrder} ` +
    `LIMIT ${parameters.add(query.limit ?? defaultRepeatLimit)}`;
  return { text, values: parameters.values };
}

function nullableText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Reads one row of `repeatedRequestsSql`'s answer (integers as bigint, number or numeric string). */
export function repeatedRequestFromRow(row: Readonly<Record<string, unknown>>): RepeatedRequest {
  return {
    requestHash: String(row['request_hash']),
    calls: countOf(row['calls']),
    errorCalls: countOf(row['error_calls']),
    firstTime: countOf(row['first_time']),
    lastTime: countOf(row['last_time']),
    cost: costOfSums(row['cost_micros'], row['cost_picos']),
    unpricedCalls: countOf(row['unpriced_calls']),
    model: nullableText(row['model']),
    feature: nullableText(row['feature']),
  };
}
