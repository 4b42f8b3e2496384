import type { SpendDimension, SpendQuery, SpendRow, TimeBucket } from '../core/spans/spend-query.js';
import type { Store } from '../store/store.js';

/** One "By …" table of a report: grouped by dimensions, optionally per calendar bucket. */
export type SpendSectionSpec = {
  readonly groupBy: readonly SpendDimension[];
  readonly bucket?: TimeBucket | undefined;
};

export type SpendSection = SpendSectionSpec & { readonly rows: readonly SpendRow[] };

/** A ledger report: the total over the range and one table per section, every amount exact. */
export type SpendReport = {
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly timeZone: string;
  readonly total: SpendRow;
  readonly sections: readonly SpendSection[];
};

export type SpendReportOptions = {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly timeZone?: string | undefined;
  readonly filters?: SpendQuery['filters'];
  /** Top-N groups per section. */
  readonly limit?: number | undefined;
  readonly sections: readonly SpendSectionSpec[];
};

const emptyTotal: SpendRow = {
  group: [],
  cost: 0n,
  calls: 0,
  pricedCalls: 0,
  unpricedCalls: 0,
  errorCalls: 0,
  tokens: { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 },
};

/** Runs the report's queries against a store (seed 002's CostLedger report and seed 001's dashboard, exact). */
export async function spendReport(store: Store, options: SpendReportOptions): Promise<SpendReport> {
  const timeZone = options.timeZone ?? 'UTC';
  const base = { from: options.from, to: options.to, timeZone, filters: options.filters };
  const [totalRows, ...sectionRows] = await Promise.all([
    store.querySpend(base),
    ...options.sections.map((section) =>
      store.querySpend({ ...base, groupBy: section.groupBy, bucket: section.bucket, limit: options.limit }),
    ),
  ]);
  return {
    from: options.from,
    to: options.to,
    timeZone,
    total: totalRows?.[0] ?? emptyTotal,
    sections: options.sections.map((section, index) => ({ ...section, rows: sectionRows[index] ?? [] })),
  };
}

/** A row's share of the total cost in basis points (1/100 of a percent), exact integer arithmetic. */
export function shareBasisPoints(part: bigint, total: bigint): number {
  if (total <= 0n) return 0;
  return Number((part * 20_000n + total) / (2n * total));
}
