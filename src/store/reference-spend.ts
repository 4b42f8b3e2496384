import type { Span } from '../core/spans/span.js';
import type { SpendQuery, SpendRow } from '../core/spans/spend-query.js';
import { zoneCalendar } from '../core/time/zone-calendar.js';
import { dimensionValues } from './dimension-values.js';
import { filtersOf } from './spend-plan.js';

type Sums = {
  group: (string | null)[];
  bucketStart: number | undefined;
  cost: bigint;
  calls: number;
  pricedCalls: number;
  unpricedCalls: number;
  errorCalls: number;
  tokens: { input: number; cachedInput: number; cacheWrite: number; output: number; reasoning: number };
};

function cartesian(lists: readonly (readonly (string | null)[])[]): (string | null)[][] {
  return lists.reduce<(string | null)[][]>(
    (combos, list) => combos.flatMap((combo) => list.map((value) => [...combo, value])),
    [[]],
  );
}

function order(a: readonly (string | null)[], b: readonly (string | null)[]): number {
  for (let index = 0; index < a.length; index++) {
    const x = a[index]!;
    const y = b[index]!;
    if (x !== y) return x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The answer to a spend query computed span by span in memory, the plainest way there is: the oracle the store
 * contract suite compares both engines and both paths (rollups, spans table) against. Spans are deduplicated
 * by id (first wins), as a store does.
 */
export function referenceSpend(spans: readonly Span[], query: SpendQuery): SpendRow[] {
  const groupBy = query.groupBy ?? [];
  const filters = filtersOf(query);
  const calendar = query.bucket === undefined ? undefined : zoneCalendar(query.timeZone ?? 'UTC');
  const seen = new Set<string>();
  const sums = new Map<string, Sums>();
  for (const span of spans) {
    if (seen.has(span.id)) continue;
    seen.add(span.id);
    if (span.kind === 'step') continue;
    if (query.from !== undefined && span.startTime < query.from) continue;
    if (query.to !== undefined && span.startTime >= query.to) continue;
    const valuesOf = (dimension: (typeof groupBy)[number]) =>
      dimensionValues(span, dimension).map((value) => value ?? null);
    const kept = filters.every(
      (filter) =>
        (filter.dimension === 'tag' && groupBy.includes('tag')) ||
        valuesOf(filter.dimension).some((value) => filter.values.includes(value)),
    );
    if (!kept) continue;
    const tagFilter = filters.find((filter) => filter.dimension === 'tag');
    for (const group of cartesian(groupBy.map(valuesOf))) {
      const tag = group[groupBy.indexOf('tag')];
      if (tagFilter !== undefined && tag !== undefined && !tagFilter.values.includes(tag)) continue;
      const bucketStart =
        calendar === undefined || query.bucket === undefined
          ? undefined
          : calendar.bucketStart(span.startTime, query.bucket);
      const key = JSON.stringify([group, bucketStart ?? null]);
      let row = sums.get(key);
      if (row === undefined) {
        row = {
          group,
          bucketStart,
          cost: 0n,
          calls: 0,
          pricedCalls: 0,
          unpricedCalls: 0,
          errorCalls: 0,
          tokens: { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 },
        };
        sums.set(key, row);
      }
      row.calls++;
      if (span.cost?.status === 'priced') {
        row.cost += span.cost.total;
        row.pricedCalls++;
      }
      if (span.cost?.status === 'unpriced') row.unpricedCalls++;
      if (span.status === 'error') row.errorCalls++;
      const usage = span.usage ?? {};
      row.tokens.input += usage.input ?? 0;
      row.tokens.cachedInput += usage.cachedInput ?? 0;
      row.tokens.cacheWrite += (usage.cacheWrite ?? 0) + (usage.cacheWrite1h ?? 0);
      row.tokens.output += usage.output ?? 0;
      row.tokens.reasoning += usage.reasoning ?? 0;
    }
  }
  let rows = [...sums.values()];
  if (query.limit !== undefined) {
    const totals = new Map<string, { group: (string | null)[]; cost: bigint }>();
    for (const row of rows) {
      const total = totals.get(JSON.stringify(row.group)) ?? { group: row.group, cost: 0n };
      total.cost += row.cost;
      totals.set(JSON.stringify(row.group), total);
    }
    const top = [...totals.values()]
      .sort((a, b) => (a.cost === b.cost ? order(a.group, b.group) : a.cost > b.cost ? -1 : 1))
      .slice(0, query.limit)
      .map((total) => JSON.stringify(total.group));
    rows = rows.filter((row) => top.includes(JSON.stringify(row.group)));
  }
  return rows
    .sort(
      (a, b) =>
        (a.cost === b.cost ? 0 : a.cost > b.cost ? -1 : 1) ||
        order(a.group, b.group) ||
        (a.bucketStart ?? 0) - (b.bucketStart ?? 0),
    )
    .map(({ bucketStart, ...row }) => (bucketStart === undefined ? row : { ...row, bucketStart }));
}
