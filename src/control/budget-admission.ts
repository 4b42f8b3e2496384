import type { Alert } from '../core/alerts/alert.js';
import type { AdmissionRequest, Settlement } from '../core/budgets/admission.js';
import { type Budget, budgetCovers, formatBudgetScope } from '../core/budgets/budget.js';
import { BudgetExceededError } from '../core/errors.js';
import { formatUsd, type Picodollars } from '../core/money.js';
import type { Store } from '../store/store.js';
import { alertLine } from './alert-delivery.js';
import { type BudgetPeriod, percentOfLimit } from './budget-spend.js';

/**
 * The parts every budget guard shares, whether its reservations live in this process or in Redis: which
 * budgets cover a call, the refusal (error and alert), what a settled call costs, and alert delivery.
 */

/** What a budget holds in one period when a call is refused. */
export type HeldAmounts = { readonly spent: Picodollars; readonly reserved: Picodollars };

/** The budgets whose scope covers a call about to be sent (by the model asked for and its attribution). */
export function coveringBudgets(budgets: readonly Budget[], request: AdmissionRequest): Budget[] {
  const call = { models: [request.model], attribution: request.attribution };
  return budgets.filter((budget) => budgetCovers(budget, call));
}

/** Whether a hard budget holding `held` can take the call's maximum cost (an unbounded call never fits). */
export function fitsBudget(budget: Budget, held: HeldAmounts, maxCost: Picodollars | undefined): boolean {
  return maxCost !== undefined && held.spent + held.reserved + maxCost <= budget.limit;
}

/**
 * What a settled call costs a budget: its exact cost when priced; its whole reservation when it ran but its
 * cost is unknown (never $0); nothing when it failed without reporting usage.
 */
export function actualCost(
  settlement: Settlement,
  reserved: Picodollars | undefined,
): Picodollars | undefined {
  if (settlement.cost?.status === 'priced') return settlement.cost.total;
  if (settlement.status === 'error' && settlement.cost === undefined) return undefined;
  return reserved;
}

/** The error thrown for a refused call and the alert raised (once per budget and period) about it. */
export function refusal(
  budget: Budget,
  period: BudgetPeriod,
  held: HeldAmounts,
  request: AdmissionRequest,
  at: number,
): { readonly error: BudgetExceededError; readonly alert: Alert } {
  const error = refusalError(budget, period, held, request);
  const alert: Alert = {
    id: `budget-refused:${budget.id}:${new Date(period.start).toISOString()}`,
    kind: 'budget-refused',
    severity: 'critical',
    time: at,
    message: `${error.message} (first refusal this ${budget.period})`,
    details: {
      budget_id: budget.id,
      scope: formatBudgetScope(budget.scope),
      limit_usd: formatUsd(budget.limit),
      spent_usd: formatUsd(held.spent),
      reserved_usd: formatUsd(held.reserved),
      requested_usd: request.maxCost === undefined ? null : formatUsd(request.maxCost),
      model: request.model,
      resets_at: new Date(period.resetsAt).toISOString(),
    },
  };
  return { error, alert };
}

function refusalError(
  budget: Budget,
  period: BudgetPeriod,
  held: HeldAmounts,
  request: AdmissionRequest,
): BudgetExceededError {
  const resets = new Date(period.resetsAt).toISOString();
  const details = {
    limit: budget.limit,
    spent: held.spent,
    reserved: held.reserved,
    requested: request.maxCost,
    periodStart: period.start,
    resetsAt: period.resetsAt,
  };
  if (request.maxCost === undefined) {
    const why = request.unboundedReason ?? 'its maximum cost is unknown';
    return new BudgetExceededError(
      budget.id,
      details,
      `hard budget ${budget.id} refused a call to ${request.model}: its cost cannot be bounded before sending (${why})`,
    );
  }
  const message =
    `hard budget ${budget.id} refused a call to ${request.model}: limit $${formatUsd(budget.limit)} this ` +
    `${budget.period}, spent $${formatUsd(held.spent)} (${percentOfLimit(held.spent, budget.limit)}%), ` +
    `$${formatUsd(held.reserved)} reserved by calls in flight, this call could cost up to ` +
    `$${formatUsd(request.maxCost)}; the ${budget.period} resets ${resets}`;
  return new BudgetExceededError(budget.id, details, message);
}

/** Where a guard's alerts and errors go. */
export type AlertRaiserOptions = {
  readonly store?: Store | undefined;
  readonly onAlert?: ((alert: Alert) => void) | undefined;
  readonly onError?: ((error: unknown) => void) | undefined;
};

/** Raises each alert id once: recorded in the store (once across processes), then delivered. */
export type AlertRaiser = {
  raise(alert: Alert): void;
  report(error: unknown): void;
  /** Tracks work the caller does not await (recording, settling) so that `settled()` can wait for it. */
  track(work: Promise<unknown>): void;
  settled(): Promise<void>;
};

export function createAlertRaiser(options: AlertRaiserOptions): AlertRaiser {
  const raised = new Set<string>();
  const pending = new Set<Promise<unknown>>();
  const report = (error: unknown) => {
    try {
      (options.onError ?? ((e) => console.error(`frugal budgets: ${e instanceof Error ? e.message : e}`)))(
        error,
      );
    } catch {}
  };
  const track = (work: Promise<unknown>) => {
    const done = work.catch(report);
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };
  const raise = (alert: Alert) => {
    if (raised.has(alert.id)) return;
    raised.add(alert.id);
    const deliver = () => {
      try {
        (options.onAlert ?? ((raised: Alert) => console.error(`frugal: ${alertLine(raised)}`)))(alert);
      } catch (error) {
        report(error);
      }
    };
    if (!options.store) return deliver();
    track(
      options.store.recordAlert(alert).then(
        (fresh) => (fresh ? deliver() : undefined),
        (error: unknown) => {
          report(error);
          deliver();
        },
      ),
    );
  };
  return {
    raise,
    report,
    track,
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
