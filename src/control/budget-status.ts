import type { Alert } from '../core/alerts/alert.js';
import type { Budget } from '../core/budgets/budget.js';
import type { Store } from '../store/store.js';
import {
  type BudgetPeriod,
  type BudgetSpend,
  budgetPeriod,
  storedBudgetSpend,
  thresholdAlerts,
} from './budget-spend.js';

/** Where a budget's definition comes from: the config file (read-only here) or the store (`frugal budgets set`). */
export type BudgetSource = { readonly kind: 'config'; readonly path: string } | { readonly kind: 'store' };

/** A budget with its source, as `frugal budgets list` shows it. */
export type SourcedBudget = { readonly budget: Budget; readonly source: BudgetSource };

/**
 * The budgets in force: the config file's, then the store's. A stored budget with the id of a configured one is
 * left out (the file wins; `shadowed` lists it so that the user can be told).
 */
export function budgetsInForce(
  configured: readonly (Budget & { readonly origin?: { readonly path: string } })[],
  stored: readonly Budget[],
): { readonly budgets: SourcedBudget[]; readonly shadowed: Budget[] } {
  const ids = new Set(configured.map((budget) => budget.id));
  const budgets: SourcedBudget[] = configured.map((budget) => ({
    budget,
    source: { kind: 'config', path: budget.origin?.path ?? '' },
  }));
  const shadowed: Budget[] = [];
  for (const budget of stored) {
    if (ids.has(budget.id)) shadowed.push(budget);
    else budgets.push({ budget, source: { kind: 'store' } });
  }
  return { budgets, shadowed };
}

/** A budget's current period and the ledger's spend in it. */
export type BudgetStatus = { readonly budget: Budget; readonly period: BudgetPeriod } & BudgetSpend;

/** Each budget's spend in its period containing `now`, from the ledger. */
export async function budgetStatuses(
  store: Store,
  budgets: readonly Budget[],
  now: number,
): Promise<BudgetStatus[]> {
  return Promise.all(
    budgets.map(async (budget) => {
      const period = budgetPeriod(budget, now);
      return { budget, period, ...(await storedBudgetSpend(store, budget, period)) };
    }),
  );
}

/**
 * Checks budgets against the ledger (for a cron job or `frugal alerts check`): every threshold reached in the
 * current period becomes an alert, recorded once (an alert already recorded, by this or the live guard, is not
 * new). Returns the statuses and the new alerts; `record: false` only computes them.
 */
export async function checkBudgets(
  store: Store,
  budgets: readonly Budget[],
  now: number,
  options: { readonly record?: boolean } = {},
): Promise<{ readonly statuses: BudgetStatus[]; readonly alerts: Alert[] }> {
  const statuses = await budgetStatuses(store, budgets, now);
  const alerts: Alert[] = [];
  for (const status of statuses) {
    for (const alert of thresholdAlerts(status.budget, status.period, 0n, status.spent, now)) {
      if (options.record === false || (await store.recordAlert(alert))) alerts.push(alert);
    }
  }
  return { statuses, alerts };
}
