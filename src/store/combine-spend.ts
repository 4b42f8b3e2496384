import type { SpendQuery, SpendRow, TokenTotals } from '../core/spans/spend-query.js';
import { type BucketKey, bucketStartOfKey } from './bucket-key.js';

/** What one piece returns per group (and bucket key, when bucketed): exact sums, to be merged with the others. */
export type PartialSpend = {
  readonly group: readonly (string | null)[];
  readonly bucket?: number | undefined;
  readonly cost: bigint;
  readonly calls: number;
  readonly pricedCalls: number;
  readonly unpricedCalls: number;
  readonly errorCalls: number;
  readonly tokens: TokenTotals;
};

type MutableRow = {
  group: readonly (string | null)[];
  bucketStart: number | undefined;
  cost: bigint;
  calls: number;
  pricedCalls: number;
  unpricedCalls: number;
  errorCalls: number;
  tokens: { input: number; cachedInput: number; cacheWrite: number; output: number; reasoning: number };
};

/** Orders groups value by value; strings by UTF-16 code units, a missing value (null) after every string. */
export function compareGroups(a: readonly (string | null)[], b: readonly (string | null)[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const x = a[index] ?? null;
    const y = b[index] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Cost descending, then group, then bucket start: the order of every spend answer. */
export function compareSpendRows(a: SpendRow, b: SpendRow): number {
  if (a.cost !== b.cost) return a.cost > b.cost ? -1 : 1;
  return compareGroups(a.group, b.group) || (a.bucketStart ?? 0) - (b.bucketStart ?? 0);
}

/**
 * Merges the pieces of a spend answer into rows: bucket keys mapped to bucket starts, sums added exactly, the top
 * `limit` groups by cost over the whole range kept (ties broken by group order), rows sorted by
 * `compareSpendRows`.
 */
export function combineSpend(
  partials: readonly PartialSpend[],
  query: SpendQuery,
  bucketKey: BucketKey | undefined,
): SpendRow[] {
  const bucketStarts = new Map<number, number>();
  const bucketOf = (key: number): number => {
    let start = bucketStarts.get(key);
    if (start === undefined && bucketKey !== undefined) {
      start = bucketStartOfKey(bucketKey, key);
      bucketStarts.set(key, start);
    }
    return start!;
  };
  const rows = new Map<string, MutableRow>();
  for (const partial of partials) {
    const bucketStart = partial.bucket === undefined ? undefined : bucketOf(partial.bucket);
    const key = JSON.stringify([partial.group, bucketStart ?? null]);
    let row = rows.get(key);
    if (row === undefined) {
      row = {
        group: partial.group,
        bucketStart,
        cost: 0n,
        calls: 0,
        pricedCalls: 0,
        unpricedCalls: 0,
        errorCalls: 0,
        tokens: { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 },
      };
      rows.set(key, row);
    }
    row.cost += partial.cost;
    row.calls += partial.calls;
    row.pricedCalls += partial.pricedCalls;
    row.unpricedCalls += partial.unpricedCalls;
    row.errorCalls += partial.errorCalls;
    row.tokens.input += partial.tokens.input;
    row.tokens.cachedInput += partial.tokens.cachedInput;
    row.tokens.cacheWrite += partial.tokens.cacheWrite;
    row.tokens.output += partial.tokens.output;
    row.tokens.reasoning += partial.tokens.reasoning;
  }
  let answer: SpendRow[] = [...rows.values()]
    .filter((row) => row.calls > 0)
    .map((row) => (row.bucketStart === undefined ? withoutBucket(row) : row));
  if (query.limit !== undefined) {
    const totals = new Map<string, { group: readonly (string | null)[]; cost: bigint }>();
    for (const row of answer) {
      const key = JSON.stringify(row.group);
      const total = totals.get(key) ?? { group: row.group, cost: 0n };
      total.cost += row.cost;
      totals.set(key, total);
    }
    const kept = new Set(
      [...totals.entries()]
        .sort(([, a], [, b]) =>
          a.cost !== b.cost ? (a.cost > b.cost ? -1 : 1) : compareGroups(a.group, b.group),
        )
        .slice(0, query.limit)
        .map(([key]) => key),
    );
    answer = answer.filter((row) => kept.has(JSON.stringify(row.group)));
  }
  return answer.sort(compareSpendRows);
}

/**
 * The `limit` groups with most cost over all partials (ties broken by group order), e.g. from a first pass
 * that read only cost per group; the second pass then reads every sum of just these groups.
 */
export function topGroups(partials: readonly PartialSpend[], limit: number): (readonly (string | null)[])[] {
  const totals = new Map<string, { group: readonly (string | null)[]; cost: bigint; calls: number }>();
  for (const partial of partials) {
    const key = JSON.stringify(partial.group);
    const total = totals.get(key) ?? { group: partial.group, cost: 0n, calls: 0 };
    total.cost += partial.cost;
    total.calls += partial.calls;
    totals.set(key, total);
  }
  return [...totals.values()]
    .filter((total) => total.calls > 0)
    .sort((a, b) => (a.cost !== b.cost ? (a.cost > b.cost ? -1 : 1) : compareGroups(a.group, b.group)))
    .slice(0, limit)
    .map((total) => total.group);
}

function withoutBucket(row: MutableRow): SpendRow {
  const { bucketStart: _, ...rest } = row;
  return rest;
}
