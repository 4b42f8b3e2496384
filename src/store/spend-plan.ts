import { UsageError } from '../core/errors.js';
import {
  type SpendDimension,
  type SpendQuery,
  spendDimensions,
  timeBuckets,
} from '../core/spans/spend-query.js';
import { DAY_MS, HOUR_MS } from '../core/time/zone-calendar.js';

/** Where part of a spend answer is read from: the spans themselves, or the hourly / daily rollup tables. */
export const spendSources = ['raw', 'hourly', 'daily'] as const;
export type SpendSource = (typeof spendSources)[number];

/** One part of an answer: a source and the stretch [from, to) of start times it covers (undefined = open). */
export type SpendPiece = {
  readonly source: SpendSource;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
};

/** A filter of a spend query: keep spans whose value in `dimension` is one of `values` (null = no value). */
export type SpendFilter = { readonly dimension: SpendDimension; readonly values: readonly (string | null)[] };

/** The filters a query really sets, in a fixed order. */
export function filtersOf(query: SpendQuery): SpendFilter[] {
  const filters = query.filters ?? {};
  return spendDimensions.flatMap((dimension) => {
    const values = filters[dimension];
    return values === undefined ? [] : [{ dimension, values }];
  });
}

/** Throws a UsageError for a query no store can answer (unknown names, repeated dimensions, bad numbers). */
export function checkSpendQuery(query: SpendQuery): void {
  const groupBy = query.groupBy ?? [];
  for (const dimension of groupBy) {
    if (!spendDimensions.includes(dimension)) {
      throw new UsageError(`cannot group spend by '${dimension}' (one of: ${spendDimensions.join(', ')})`);
    }
  }
  if (new Set(groupBy).size !== groupBy.length) {
    throw new UsageError(`a spend query groups by each dimension once, got ${groupBy.join(', ')}`);
  }
  for (const dimension of Object.keys(query.filters ?? {})) {
    if (!(spendDimensions as readonly string[]).includes(dimension)) {
      throw new UsageError(`cannot filter spend by '${dimension}' (one of: ${spendDimensions.join(', ')})`);
    }
  }
  if (query.bucket !== undefined && !timeBuckets.includes(query.bucket)) {
    throw new UsageError(`unknown time bucket '${query.bucket}' (one of: ${timeBuckets.join(', ')})`);
  }
  for (const [name, value] of [
    ['from', query.from],
    ['to', query.to],
  ] as const) {
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new UsageError(`spend query '${name}' must be an integer of epoch milliseconds, got ${value}`);
    }
  }
  if (query.limit !== undefined && !(Number.isSafeInteger(query.limit) && query.limit >= 0)) {
    throw new UsageError(`spend query limit must be a non-negative integer, got ${query.limit}`);
  }
}

/**
 * The dimension whose rollup can answer a query exactly, or undefined when only the spans can. A rollup holds
 * one dimension, so at most one dimension may be grouped or filtered; an ungrouped, unfiltered query sums the
 * model rollup (every call has exactly one model value). Tags are the exception: a span with tags a and b is in
 * the tag rollup twice, so a tag filter without grouping by tag is answered from the rollup only for one value.
 */
export function rollupDimensionOf(query: SpendQuery): SpendDimension | undefined {
  const groupBy = query.groupBy ?? [];
  const filters = filtersOf(query);
  const dimensions = new Set([...groupBy, ...filters.map((filter) => filter.dimension)]);
  if (groupBy.length > 1 || dimensions.size > 1) return undefined;
  const [dimension] = dimensions;
  if (dimension === undefined) return 'model';
  if (dimension === 'tag' && groupBy.length === 0 && filters[0]!.values.length !== 1) return undefined;
  return dimension;
}

function ceilTo(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}

function floorTo(value: number, unit: number): number {
  return Math.floor(value / unit) * unit;
}

/**
 * Splits [from, to) into pieces read from the cheapest exact source: whole UTC days from the daily rollup, the
 * remaining whole hours from the hourly rollup, and the sub-hour edges from the spans. `unit` is the bucketed
 * query's aligned unit (see `ZoneCalendar.alignedUnit`): hourly rollups need at least an hour, daily ones a day.
 */
export function planSpend(query: SpendQuery, unit: number | undefined): SpendPiece[] {
  const { from, to } = query;
  const raw: SpendPiece[] = [{ source: 'raw', from, to }];
  if (rollupDimensionOf(query) === undefined) return raw;
  if (unit !== undefined && unit % HOUR_MS !== 0) return raw;
  const hourFrom = from === undefined ? undefined : ceilTo(from, HOUR_MS);
  const hourTo = to === undefined ? undefined : floorTo(to, HOUR_MS);
  if (hourFrom !== undefined && hourTo !== undefined && hourFrom >= hourTo) return raw;

  const pieces: SpendPiece[] = [];
  if (from !== undefined && from < hourFrom!) pieces.push({ source: 'raw', from, to: hourFrom });
  const dayFrom = hourFrom === undefined ? undefined : ceilTo(hourFrom, DAY_MS);
  const dayTo = hourTo === undefined ? undefined : floorTo(hourTo, DAY_MS);
  const daily = unit === undefined || unit % DAY_MS === 0;
  if (daily && (dayFrom === undefined || dayTo === undefined || dayFrom < dayTo)) {
    if (hourFrom !== undefined && hourFrom < dayFrom!)
      pieces.push({ source: 'hourly', from: hourFrom, to: dayFrom });
    pieces.push({ source: 'daily', from: dayFrom, to: dayTo });
    if (hourTo !== undefined && dayTo! < hourTo) pieces.push({ source: 'hourly', from: dayTo, to: hourTo });
  } else {
    pieces.push({ source: 'hourly', from: hourFrom, to: hourTo });
  }
  if (to !== undefined && hourTo! < to) pieces.push({ source: 'raw', from: hourTo, to });
  return pieces;
}
