import type { Alert } from '../core/alerts/alert.js';
import { type Budget, crossedThresholds, formatBudgetScope, scopeDimension } from '../core/budgets/budget.js';
import { divideRoundHalfEven, formatUsd, type Picodollars } from '../core/money.js';
import { zoneCalendar } from '../core/time/zone-calendar.js';
import type { Store } from '../store/store.js';

/** The calendar period a budget is in at some instant: [start, resetsAt). */
export type BudgetPeriod = { readonly start: number; readonly resetsAt: number };

export function budgetPeriod(budget: Budget, now: number): BudgetPeriod {
  const calendar = zoneCalendar(budget.timeZone);
  return {
    start: calendar.bucketStart(now, budget.period),
    resetsAt: calendar.nextBucketStart(now, budget.period),
  };
}

/** What the ledger holds against a budget in one period. */
export type BudgetSpend = {
  /** Exact sum over priced calls. */
  readonly spent: Picodollars;
  readonly calls: number;
  /** Calls whose cost is unknown: not in `spent`, reported beside it. */
  readonly unpricedCalls: number;
};

/** The stored spend a budget covers over a period (its scope as a ledger filter, the period as the range). */
export async function storedBudgetSpend(
  store: Store,
  budget: Budget,
  period: BudgetPeriod,
): Promise<BudgetSpend> {
  const dimension = scopeDimension(budget.scope);
  const rows = await store.querySpend({
    from: period.start,
    to: period.resetsAt,
    ...(dimension === undefined || budget.scope.kind === 'global'
      ? {}
      : { filters: { [dimension]: [budget.scope.value] } }),
  });
  let spent = 0n;
  let calls = 0;
  let unpricedCalls = 0;
  for (const row of rows) {
    spent += row.cost;
    calls += row.calls;
    unpricedCalls += row.unpricedCalls;
  }
  return { spent, calls, unpricedCalls };
}

/** Spend as percent of the limit, for display (two decimals, rounded half-even). */
export function percentOfLimit(spent: Picodollars, limit: Picodollars): string {
  if (limit === 0n) return spent > 0n ? '∞' : '0';
  const hundredths = divideRoundHalfEven(spent * 10_000n, limit);
  const whole = hundredths / 100n;
  const fraction = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

const iso = (instant: number) => new Date(instant).toISOString();

/** The id that makes a threshold fire once per budget and period. */
export function thresholdAlertId(budget: Budget, period: BudgetPeriod, threshold: number): string {
  return `budget:${budget.id}:${iso(period.start)}:${threshold}`;
}

/** The alerts for thresholds crossed as spend went from `before` to `after` in one period. */
export function thresholdAlerts(
  budget: Budget,
  period: BudgetPeriod,
  before: Picodollars,
  after: Picodollars,
  now: number,
): Alert[] {
  return crossedThresholds(budget, before, after).map((threshold) => ({
    id: thresholdAlertId(budget, period, threshold),
    kind: 'budget-threshold',
    severity: threshold >= 100 ? 'critical' : threshold >= 80 ? 'warning' : 'info',
    time: now,
    message:
      `budget ${budget.id} reached ${threshold}%: $${formatUsd(after)} of $${formatUsd(budget.limit)} ` +
      `(${percentOfLimit(after, budget.limit)}%) this ${budget.period}, resets ${iso(period.resetsAt)}`,
    details: {
      budget_id: budget.id,
      scope: formatBudgetScope(budget.scope),
      period: budget.period,
      time_zone: budget.timeZone,
      period_start: iso(period.start),
      resets_at: iso(period.resetsAt),
      threshold_percent: threshold,
      limit_usd: formatUsd(budget.limit),
      spent_usd: formatUsd(after),
      hard: budget.hard,
    },
  }));
}
