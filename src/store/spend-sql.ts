import type { SpendDimension } from '../core/spans/spend-query.js';
import { DAY_MS, HOUR_MS } from '../core/time/zone-calendar.js';
import { type BucketKey, bucketKeySql } from './bucket-key.js';
import type { PartialSpend } from './combine-spend.js';
import { rollupMeasures } from './rollup-deltas.js';
import { PICOS_PER_MICRO } from './span-columns.js';
import type { SpendFilter, SpendPiece } from './spend-plan.js';

/** What differs between the engines' SQL for spend questions; everything else is shared. */
export type SpendDialect = {
  /** The placeholder of the n-th parameter (1-based): `?` or `$n`. */
  readonly placeholder: (index: number) => string;
  /** `expression` is one of `values` (strings, bound as parameters). */
  readonly inList: (parameters: SqlParameters, expression: string, values: readonly string[]) => string;
  /** A join that expands span `s` into one row per DISTINCT tag as `t.value`, or one row with NULL when none. */
  readonly tagJoin: string;
  /** Span `s` has at least one of `tags`. */
  readonly hasAnyTag: (parameters: SqlParameters, tags: readonly string[]) => string;
  /** Span `s` has no tags (none recorded, or an empty list). */
  readonly hasNoTags: string;
  /** Appended to a text expression in ORDER BY to sort it by bytes (as SQLite does), whatever the collation. */
  readonly byteOrder: string;
  /**
   * The text value of span `s`'s attribute `name` (a constant of ours, written into the SQL so that it matches
   * the partial indexes' expressions), NULL when the span has none.
   */
  readonly attributeText: (name: string) => string;
  /**
   * Written after `spend_by_day AS r` when the daily rollup is to be read by value (its `spend_by_day_by_value`
   * index, see `SpendShape.byValue`): SQLite's planner is told (`INDEXED BY`), since without up-to-date
   * statistics it ranges over the days by the primary key and sorts every row; PostgreSQL's is left to choose.
   */
  readonly dailyByValue: string;
  /**
   * Written after `spans AS s` in the gateway savings' reads: SQLite is told to read the partial covering index
   * of hits or routed calls (migration 6), which a filter on feature would otherwise trade for migration 7's
   * index by feature (and then read every call's row for its attributes); PostgreSQL's planner is left to choose.
   */
  readonly savingsIndex: (index: 'spans_cache_hits' | 'spans_routed') => string;
};

/** Collects bound values and hands out their placeholders. */
export class SqlParameters {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SpendDialect) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }
}

/** The shape every piece of one spend answer returns: groups (g0, g1, ...), the bucket key when bucketed, sums. */
export type SpendShape = {
  readonly groupBy: readonly SpendDimension[];
  readonly filters: readonly SpendFilter[];
  /** The rollup that rollup pieces read (the grouped or filtered dimension, or `model`). */
  readonly rollupDimension: SpendDimension;
  /** Bucketed queries: how each piece computes its rows' calendar bucket. */
  readonly bucketKey?: BucketKey | undefined;
  /** Only cost and calls (to rank groups before reading every sum of the top ones). */
  readonly costOnly?: boolean | undefined;
  /**
   * Read the daily rollup by value (migration 6's `spend_by_day_by_value` index) even unfiltered: a ranking over
   * most of the stored days then sums each value's days as they come instead of sorting them all. A filtered
   * read always goes by value: one seek per value.
   */
  readonly byValue?: boolean | undefined;
};

const rawExpressions: Record<SpendDimension, string> = {
  model: 'coalesce(s.response_model, s.request_model)',
  provider: 's.provider',
  feature: 's.feature',
  user: 's.user_id',
  key: 's.api_key_id',
  run: 's.run_id',
  tag: 't.value',
};

const rawSums = [
  'SUM(s.cost_micros) AS cost_micros',
  'SUM(s.cost_picos) AS cost_picos',
  'COUNT(*) AS calls',
  "SUM(CASE WHEN s.cost_status = 'priced' THEN 1 ELSE 0 END) AS priced_calls",
  "SUM(CASE WHEN s.cost_status = 'unpriced' THEN 1 ELSE 0 END) AS unpriced_calls",
  "SUM(CASE WHEN s.status = 'error' THEN 1 ELSE 0 END) AS error_calls",
  'SUM(s.input_tokens) AS input_tokens',
  'SUM(s.cached_input_tokens) AS cached_input_tokens',
  'SUM(coalesce(s.cache_write_tokens, 0) + coalesce(s.cache_write_1h_tokens, 0)) AS cache_write_tokens',
  'SUM(s.output_tokens) AS output_tokens',
  'SUM(s.reasoning_tokens) AS reasoning_tokens',
].join(', ');

const rawCostSums = 'SUM(s.cost_micros) AS cost_micros, SUM(s.cost_picos) AS cost_picos, COUNT(*) AS calls';
const rollupCostSums =
  'SUM(r.cost_micros) AS cost_micros, SUM(r.cost_picos) AS cost_picos, SUM(r.calls) AS calls';

const rollupSums = rollupMeasures.map((column) => `SUM(r.${column}) AS ${column}`).join(', ');

/** A bucket key that is the same for every row (one month): grouping by it would read as a column number. */
function isConstant(expression: string): boolean {
  return /^\d+$/.test(expression);
}

/** `expression` matches one of the filter values, where null matches NULL. */
function matches(
  parameters: SqlParameters,
  dialect: SpendDialect,
  expression: string,
  values: readonly (string | null)[],
) {
  const strings = values.filter((value): value is string => value !== null);
  const conditions: string[] = [];
  if (strings.length > 0) conditions.push(dialect.inList(parameters, expression, strings));
  if (strings.length < values.length) conditions.push(`${expression} IS NULL`);
  return conditions.length === 0 ? '1 = 0' : `(${conditions.join(' OR ')})`;
}

/**
 * The WHERE terms that keep the calls (not step spans) of span `s` in [from, to) passing `filters`. A tag
 * filter keeps spans with any of its tags, unless the query groups by tag (then the joined `t.value` is matched).
 */
export function rawConditions(
  parameters: SqlParameters,
  dialect: SpendDialect,
  range: { readonly from?: number | undefined; readonly to?: number | undefined },
  filters: readonly SpendFilter[],
  tagGrouped = false,
): string[] {
  const where = ["s.kind <> 'step'"];
  if (range.from !== undefined) where.push(`s.start_time >= ${parameters.add(range.from)}`);
  if (range.to !== undefined) where.push(`s.start_time < ${parameters.add(range.to)}`);
  for (const { dimension, values } of filters) {
    if (dimension === 'tag' && !tagGrouped) {
      const strings = values.filter((value): value is string => value !== null);
      const conditions: string[] = [];
      if (strings.length > 0) conditions.push(dialect.hasAnyTag(parameters, strings));
      if (strings.length < values.length) conditions.push(dialect.hasNoTags);
      where.push(conditions.length === 0 ? '1 = 0' : `(${conditions.join(' OR ')})`);
    } else {
      where.push(matches(parameters, dialect, rawExpressions[dimension], values));
    }
  }
  return where;
}

function rawSql(piece: SpendPiece, shape: SpendShape, dialect: SpendDialect) {
  const parameters = new SqlParameters(dialect);
  const columns = shape.groupBy.map((dimension, index) => `${rawExpressions[dimension]} AS g${index}`);
  const grouped = shape.groupBy.map((_, index) => index + 1);
  if (shape.bucketKey !== undefined) {
    const bucket = bucketKeySql(shape.bucketKey, 'instant', 's.start_time');
    columns.push(`${bucket} AS bucket`);
    if (!isConstant(bucket)) grouped.push(columns.length);
  }
  const tagGrouped = shape.groupBy.includes('tag');
  const where = rawConditions(parameters, dialect, piece, shape.filters, tagGrouped);
  const from = tagGrouped ? `spans AS s ${dialect.tagJoin}` : 'spans AS s';
  const groupBy = grouped.length === 0 ? '' : ` GROUP BY ${grouped.join(', ')}`;
  const select = [...columns, shape.costOnly ? rawCostSums : rawSums].join(', ');
  return {
    text: `SELECT ${select} FROM ${from} WHERE ${where.join(' AND ')}${groupBy}`,
    values: parameters.values,
  };
}

function rollupSql(piece: SpendPiece, shape: SpendShape, dialect: SpendDialect) {
  const parameters = new SqlParameters(dialect);
  const [table, timeColumn, scale] =
    piece.source === 'daily'
      ? (['spend_by_day', 'day', DAY_MS] as const)
      : (['spend_by_hour', 'hour', HOUR_MS] as const);
  const columns: string[] = [];
  const groupBy: string[] = [];
  if (shape.groupBy.length === 1) {
    columns.push('CASE WHEN r.has_value = 1 THEN r.value END AS g0');
    groupBy.push('r.has_value', 'r.value');
  }
  if (shape.bucketKey !== undefined) {
    const bucket = bucketKeySql(shape.bucketKey, timeColumn, `r.${timeColumn}`);
    columns.push(`${bucket} AS bucket`);
    if (!isConstant(bucket)) groupBy.push(bucket);
  }
  const where = [`r.dimension = ${parameters.add(shape.rollupDimension)}`];
  if (piece.from !== undefined) where.push(`r.${timeColumn} >= ${parameters.add(piece.from / scale)}`);
  if (piece.to !== undefined) where.push(`r.${timeColumn} < ${parameters.add(piece.to / scale)}`);
  for (const { values } of shape.filters) {
    const strings = values.filter((value): value is string => value !== null);
    if (strings.length === values.length) {
      where.push(
        strings.length === 0
          ? '1 = 0'
          : `r.has_value = 1 AND ${dialect.inList(parameters, 'r.value', strings)}`,
      );
    } else if (strings.length === 0) {
      where.push('r.has_value = 0');
    } else {
      // No value is stored as (0, ''): with '' in the list, one IN per column is a seek per value, where an OR
      // of (1, v…) and (0) would be a pass over the whole dimension. (1, '') is kept only when asked for.
      where.push(
        `r.has_value IN (0, 1) AND ${dialect.inList(parameters, 'r.value', [...new Set([...strings, ''])])}`,
      );
      if (!strings.includes('')) where.push("(r.has_value = 0 OR r.value <> '')");
    }
  }
  const byValue = piece.source === 'daily' && (shape.byValue === true || shape.filters.length > 0);
  const from = byValue ? `${table} AS r ${dialect.dailyByValue}` : `${table} AS r`;
  const grouping = groupBy.length === 0 ? '' : ` GROUP BY ${groupBy.join(', ')}`;
  const select = [...columns, shape.costOnly ? rollupCostSums : rollupSums].join(', ');
  return {
    text: `SELECT ${select} FROM ${from.trimEnd()} WHERE ${where.join(' AND ')}${grouping}`,
    values: parameters.values,
  };
}

/**
 * The SQL that aggregates one piece of a spend answer. Every piece returns the same columns: `g0`.. (group
 * values), `bucket` (the bucket key, when bucketed), then the sums (money split in micros and picos, counts, tokens).
 */
export function spendSql(
  piece: SpendPiece,
  shape: SpendShape,
  dialect: SpendDialect,
): { readonly text: string; readonly values: unknown[] } {
  return piece.source === 'raw' ? rawSql(piece, shape, dialect) : rollupSql(piece, shape, dialect);
}

/** A SUM read exactly (bigint, number or numeric string); NULL, a sum of nothing, is 0. */
export function exactSum(value: unknown): bigint {
  return value === null || value === undefined ? 0n : BigInt(value as bigint | number | string);
}

/** A count or token SUM as a number; NULL is 0. */
export function countOf(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** Exact pico-dollars from SUMs of the two money columns. */
export function costOfSums(micros: unknown, picos: unknown): bigint {
  return exactSum(micros) * PICOS_PER_MICRO + exactSum(picos);
}

/** Reads one row of `spendSql`'s answer (integers as bigint, number or numeric string) into exact sums. */
export function partialSpendFromRow(
  row: Readonly<Record<string, unknown>>,
  groupCount: number,
): PartialSpend {
  const group: (string | null)[] = [];
  for (let index = 0; index < groupCount; index++) {
    const value = row[`g${index}`];
    group.push(value === null || value === undefined ? null : String(value));
  }
  const bucket = row['bucket'];
  return {
    group,
    bucket: bucket === null || bucket === undefined ? undefined : Number(bucket),
    cost: costOfSums(row['cost_micros'], row['cost_picos']),
    calls: countOf(row['calls']),
    pricedCalls: countOf(row['priced_calls']),
    unpricedCalls: countOf(row['unpriced_calls']),
    errorCalls: countOf(row['error_calls']),
    tokens: {
      input: countOf(row['input_tokens']),
      cachedInput: countOf(row['cached_input_tokens']),
      cacheWrite: countOf(row['cache_write_tokens']),
      output: countOf(row['output_tokens']),
      reasoning: countOf(row['reasoning_tokens']),
    },
  };
}
