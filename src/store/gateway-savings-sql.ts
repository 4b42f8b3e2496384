import {
  type CacheHitStatus,
  cacheHitStatuses,
  type GatewaySavings,
  type RoutedSpend,
  type SavingsQuery,
  savingsAttributes,
} from '../core/spans/gateway-savings.js';
import { savedPicos } from './savings-rollup.js';
import { checkSpendQuery, filtersOf } from './spend-plan.js';
import { costOfSums, countOf, rawConditions, type SpendDialect, SqlParameters } from './spend-sql.js';

type Sql = { readonly text: string; readonly values: unknown[] };

/**
 * The terms that select cache hits and routed requests. They are the predicates of the partial indexes
 * (migration 5's, covering in SQLite since migration 6), written the same way (constants, not parameters), so
 * that both engines read those indexes.
 */
export const cacheHitCondition = (dialect: SpendDialect) =>
  `${dialect.attributeText(savingsAttributes.cacheStatus)} IN (${cacheHitStatuses.map((status) => `'${status}'`).join(', ')})`;
export const routedCondition = (dialect: SpendDialect) =>
  `${dialect.attributeText(savingsAttributes.requestedModel)} IS NOT NULL`;

function conditions(query: SavingsQuery, dialect: SpendDialect, term: string) {
  checkSpendQuery(query);
  const parameters = new SqlParameters(dialect);
  const where = [...rawConditions(parameters, dialect, query, filtersOf(query)), term];
  return { parameters, where: where.join(' AND ') };
}

/**
 * The SQL of `Store.gatewaySavings`, in two statements: cache hits counted per status and saved amount (the
 * amounts are exact decimal strings, summed as pico-dollars by `gatewaySavingsFromRows`, never by the
 * database in floating point), and routed requests per asked and answering model with their exact spend.
 * Each first selects its calls' values (a materialized CTE), then groups them: SQLite reads those values from
 * migration 6's covering partial indexes, where grouping in the same SELECT would fetch every call's row and
 * parse its attributes again (about 4x slower at 100k hits).
 */
export function gatewaySavingsSql(
  query: SavingsQuery,
  dialect: SpendDialect,
): { readonly cacheHits: Sql; readonly routed: Sql } {
  const hits = conditions(query, dialect, cacheHitCondition(dialect));
  const routed = conditions(query, dialect, routedCondition(dialect));
  return {
    cacheHits: {
      text:
        'WITH hits AS MATERIALIZED (' +
        `SELECT ${dialect.attributeText(savingsAttributes.cacheStatus)} AS status, ` +
        `${dialect.attributeText(savingsAttributes.cacheSavedUsd)} AS saved_usd ` +
        `FROM spans AS s${dialect.savingsIndex('spans_cache_hits')} WHERE ${hits.where}) ` +
        'SELECT status, saved_usd, COUNT(*) AS calls FROM hits GROUP BY 1, 2',
      values: hits.parameters.values,
    },
    routed: {
      text:
        'WITH routed AS MATERIALIZED (' +
        `SELECT ${dialect.attributeText(savingsAttributes.requestedModel)} AS requested_model, ` +
        'coalesce(s.response_model, s.request_model) AS model, s.cost_micros, s.cost_picos, s.cost_status ' +
        `FROM spans AS s${dialect.savingsIndex('spans_routed')} WHERE ${routed.where}) ` +
        'SELECT requested_model, model, COUNT(*) AS calls, SUM(cost_micros) AS cost_micros, ' +
        "SUM(cost_picos) AS cost_picos, SUM(CASE WHEN cost_status = 'unpriced' THEN 1 ELSE 0 END) AS unpriced_calls " +
        'FROM routed GROUP BY 1, 2',
      values: routed.parameters.values,
    },
  };
}

const compareText = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/** Folds the answers of `gatewaySavingsSql` (integers as bigint, number or numeric string) into exact sums. */
export function gatewaySavingsFromRows(
  cacheRows: readonly Readonly<Record<string, unknown>>[],
  routedRows: readonly Readonly<Record<string, unknown>>[],
): GatewaySavings {
  const hits = new Map<CacheHitStatus, { calls: number; saved: bigint; unknownSavedCalls: number }>(
    cacheHitStatuses.map((status) => [status, { calls: 0, saved: 0n, unknownSavedCalls: 0 }]),
  );
  for (const row of cacheRows) {
    const entry = hits.get(row['status'] as CacheHitStatus);
    if (entry === undefined) continue;
    const calls = countOf(row['calls']);
    entry.calls += calls;
    if ('saved_micros' in row) {
      // A row of the savings rollup: already summed.
      entry.saved += costOfSums(row['saved_micros'], row['saved_picos']);
      entry.unknownSavedCalls += countOf(row['unknown_saved_calls']);
      continue;
    }
    const saved = savedPicos(row['saved_usd']);
    if (saved === undefined) entry.unknownSavedCalls += calls;
    else entry.saved += saved * BigInt(calls);
  }
  // The same pair can come from several pieces (the rollup's days and the spans at the edges): summed.
  const byPair = new Map<string, RoutedSpend>();
  for (const row of routedRows) {
    const requestedModel = String(row['requested_model']);
    const model = row['model'] === null || row['model'] === undefined ? null : String(row['model']);
    const key = JSON.stringify([requestedModel, model]);
    const before = byPair.get(key);
    byPair.set(key, {
      requestedModel,
      model,
      calls: (before?.calls ?? 0) + countOf(row['calls']),
      cost: (before?.cost ?? 0n) + costOfSums(row['cost_micros'], row['cost_picos']),
      unpricedCalls: (before?.unpricedCalls ?? 0) + countOf(row['unpriced_calls']),
    });
  }
  const routed = [...byPair.values()];
  routed.sort(
    (a, b) =>
      (a.cost === b.cost ? 0 : a.cost > b.cost ? -1 : 1) ||
      compareText(a.requestedModel, b.requestedModel) ||
      compareText(a.model, b.model),
  );
  return {
    cacheHits: cacheHitStatuses.map((status) => ({ status, ...hits.get(status)! })),
    routed,
  };
}
