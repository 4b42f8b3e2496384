import { parseUsd } from '../core/money.js';
import { cacheHitStatuses, type SavingsQuery, savingsAttributes } from '../core/spans/gateway-savings.js';
import type { Span } from '../core/spans/span.js';
import type { SpendDimension } from '../core/spans/spend-query.js';
import { DAY_MS } from '../core/time/zone-calendar.js';
import { dimensionValues } from './dimension-values.js';
import { splitCost } from './span-columns.js';
import { rollupDimensionOf } from './spend-plan.js';

/**
 * The daily rollup of the gateway's savings (SQLite, migration 8): per value of `savingsDimensions` and UTC day, cache hits
 * per status (`kind` 'hit', `label` the status: calls, the exact saved amount split as money is, and the hits
 * with no readable saved amount) and routed calls per asked and answering model (`kind` 'route', `label` the
 * asked model, `model` the answering one: calls, exact spend, unpriced calls). No value is (0, ''), as in the
 * spend rollups; a routed call with no model is `has_model` 0.
 */
export const savingsRollupTableSql = `CREATE TABLE savings_by_day (
  dimension TEXT NOT NULL,
  has_value INTEGER NOT NULL,
  value TEXT NOT NULL,
  day INTEGER NOT NULL,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  has_model INTEGER NOT NULL,
  model TEXT NOT NULL,
  calls INTEGER NOT NULL,
  saved_micros INTEGER NOT NULL,
  saved_picos INTEGER NOT NULL,
  unknown_saved_calls INTEGER NOT NULL,
  cost_micros INTEGER NOT NULL,
  cost_picos INTEGER NOT NULL,
  unpriced_calls INTEGER NOT NULL,
  PRIMARY KEY (dimension, has_value, value, day, kind, label, has_model, model)
) WITHOUT ROWID`;

const keyColumns = ['dimension', 'has_value', 'value', 'day', 'kind', 'label', 'has_model', 'model'] as const;
const measureColumns = [
  'calls',
  'saved_micros',
  'saved_picos',
  'unknown_saved_calls',
  'cost_micros',
  'cost_picos',
  'unpriced_calls',
] as const;

/** Adds one delta row (key columns, then measures, in `savingsDeltas`' order). */
export const savingsUpsertSql =
  `INSERT INTO savings_by_day (${[...keyColumns, ...measureColumns].join(', ')}) ` +
  `VALUES (${[...keyColumns, ...measureColumns].map(() => '?').join(', ')}) ` +
  `ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ` +
  measureColumns.map((column) => `${column} = ${column} + excluded.${column}`).join(', ');

/** What SQLite's json_extract makes of an attribute value, as text (see `gatewaySavingsFromRows`'s String()). */
function attributeText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** An exact saved amount, or undefined when the attribute is missing or not a decimal dollar string. */
export function savedPicos(value: unknown): bigint | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parseUsd(value);
  } catch {
    return undefined;
  }
}

/**
 * The dimensions the savings rollup keeps: not user or run, whose many values made a row per value and day of
 * most hits (ingest ~15% slower at 1M spans, 2,000 users, one call in ten a hit); filtered by those, the savings
 * are read from the spans (migration 6's covering indexes of hits and routed calls).
 */
export const savingsDimensions: readonly SpendDimension[] = ['model', 'provider', 'feature', 'key', 'tag'];

type Sums = { calls: number; saved: bigint; unknownSaved: number; cost: bigint; unpriced: number };

/**
 * Accumulates the savings rollup's deltas of spans really inserted: the same calls, values and sums as the scan
 * of `gatewaySavingsSql` (calls, not step spans; hits by their status attribute; routed by their asked model).
 */
export class SavingsDeltas {
  readonly #rows = new Map<string, { key: (string | number)[]; sums: Sums }>();

  add(span: Span): void {
    if (span.kind === 'step') return;
    const attributes = span.attributes;
    const status = attributes[savingsAttributes.cacheStatus];
    const isHit = (cacheHitStatuses as readonly unknown[]).includes(status);
    const requested = attributeText(attributes[savingsAttributes.requestedModel]);
    if (!isHit && requested === undefined) return;
    const day = Math.floor(span.startTime / DAY_MS);
    const saved = isHit ? savedPicos(attributes[savingsAttributes.cacheSavedUsd]) : undefined;
    const model = span.responseModel ?? span.requestModel;
    const cost = span.cost?.status === 'priced' ? span.cost.total : 0n;
    const unpriced = span.cost?.status === 'unpriced' ? 1 : 0;
    // Keys are joined with a separator no value here holds in practice; JSON would cost more per span.
    const hitSuffix = `\u0000${day}\u0000hit\u0000${status}`;
    const routeSuffix = `\u0000${day}\u0000route\u0000${requested}\u0000${model ?? ''}\u0000${model === undefined ? 0 : 1}`;
    for (const dimension of savingsDimensions) {
      for (const value of dimensionValues(span, dimension)) {
        const prefix = `${dimension}\u0000${value === undefined ? 0 : 1}\u0000${value ?? ''}`;
        if (isHit) {
          const row = this.#row(prefix + hitSuffix, () => [
            dimension,
            value === undefined ? 0 : 1,
            value ?? '',
            day,
            'hit',
            status as string,
            0,
            '',
          ]);
          row.calls += 1;
          if (saved === undefined) row.unknownSaved += 1;
          else if (saved !== 0n) row.saved += saved;
        }
        if (requested !== undefined) {
          const row = this.#row(prefix + routeSuffix, () => [
            dimension,
            value === undefined ? 0 : 1,
            value ?? '',
            day,
            'route',
            requested,
            model === undefined ? 0 : 1,
            model ?? '',
          ]);
          row.calls += 1;
          if (cost !== 0n) row.cost += cost;
          row.unpriced += unpriced;
        }
      }
    }
  }

  #row(text: string, key: () => (string | number)[]): Sums {
    let row = this.#rows.get(text);
    if (row === undefined) {
      row = { key: key(), sums: { calls: 0, saved: 0n, unknownSaved: 0, cost: 0n, unpriced: 0 } };
      this.#rows.set(text, row);
    }
    return row.sums;
  }

  /** The rows' values for `savingsUpsertSql`, sorted by key (concurrent writers lock rows in one order). */
  values(): (string | number | bigint)[][] {
    return [...this.#rows.keys()].sort().map((text) => {
      const { key, sums } = this.#rows.get(text)!;
      const saved = splitCost(sums.saved);
      const cost = splitCost(sums.cost);
      return [
        ...key,
        sums.calls,
        saved.micros,
        saved.picos,
        sums.unknownSaved,
        cost.micros,
        cost.picos,
        sums.unpriced,
      ];
    });
  }
}

/** The savings rollup's deltas of `spans`. */
export function savingsDeltas(spans: readonly Span[]): (string | number | bigint)[][] {
  const deltas = new SavingsDeltas();
  for (const span of spans) deltas.add(span);
  return deltas.values();
}

type Sql = { readonly text: string; readonly values: unknown[] };

/**
 * How to answer a savings query with the rollup: its whole UTC days from the rollup (two statements shaped like
 * `gatewaySavingsSql`'s, summed), the edges before and after them from the spans. Undefined when only the
 * spans can answer (filters on more than one dimension, on user or run, or on several tags), or when there is no
 * whole day.
 */
export function savingsRollupPlan(
  query: SavingsQuery,
): { readonly cacheHits: Sql; readonly routed: Sql; readonly edges: SavingsQuery[] } | undefined {
  const dimension = rollupDimensionOf({ filters: query.filters });
  if (dimension === undefined || !savingsDimensions.includes(dimension)) return undefined;
  const dayFrom = query.from === undefined ? undefined : Math.ceil(query.from / DAY_MS);
  const dayTo = query.to === undefined ? undefined : Math.floor(query.to / DAY_MS);
  if (dayFrom !== undefined && dayTo !== undefined && dayFrom >= dayTo) return undefined;
  const values: unknown[] = [dimension];
  const where = ['r.dimension = ?'];
  const filter = query.filters?.[dimension];
  if (filter !== undefined) {
    const strings = filter.filter((value): value is string => value !== null);
    const terms: string[] = [];
    if (strings.length > 0) {
      terms.push(`(r.has_value = 1 AND r.value IN (${strings.map(() => '?').join(', ')}))`);
      values.push(...strings);
    }
    if (strings.length < filter.length) terms.push("(r.has_value = 0 AND r.value = '')");
    where.push(terms.length === 0 ? '1 = 0' : `(${terms.join(' OR ')})`);
  }
  if (dayFrom !== undefined) {
    where.push('r.day >= ?');
    values.push(dayFrom);
  }
  if (dayTo !== undefined) {
    where.push('r.day < ?');
    values.push(dayTo);
  }
  const condition = where.join(' AND ');
  const edges: SavingsQuery[] = [];
  if (query.from !== undefined && query.from < dayFrom! * DAY_MS)
    edges.push({ ...query, to: dayFrom! * DAY_MS });
  if (query.to !== undefined && dayTo! * DAY_MS < query.to) edges.push({ ...query, from: dayTo! * DAY_MS });
  return {
    cacheHits: {
      text:
        'SELECT r.label AS status, SUM(r.calls) AS calls, SUM(r.saved_micros) AS saved_micros, ' +
        'SUM(r.saved_picos) AS saved_picos, SUM(r.unknown_saved_calls) AS unknown_saved_calls ' +
        `FROM savings_by_day AS r WHERE ${condition} AND r.kind = 'hit' GROUP BY r.label`,
      values,
    },
    routed: {
      text:
        'SELECT r.label AS requested_model, CASE WHEN r.has_model = 1 THEN r.model END AS model, ' +
        'SUM(r.calls) AS calls, SUM(r.cost_micros) AS cost_micros, SUM(r.cost_picos) AS cost_picos, ' +
        'SUM(r.unpriced_calls) AS unpriced_calls ' +
        `FROM savings_by_day AS r WHERE ${condition} AND r.kind = 'route' GROUP BY r.label, r.has_model, r.model`,
      values,
    },
    edges,
  };
}
