import type { Alert } from '../core/alerts/alert.js';
import type {
  AdmissionRequest,
  AdmissionTicket,
  CallAdmission,
  Settlement,
} from '../core/budgets/admission.js';
import { type Budget, budgetCovers, formatBudgetScope } from '../core/budgets/budget.js';
import { BudgetExceededError } from '../core/errors.js';
import { formatUsd, type Picodollars } from '../core/money.js';
import type { Store } from '../store/store.js';
import { alertLine } from './alert-delivery.js';
import {
  type BudgetPeriod,
  budgetPeriod,
  percentOfLimit,
  storedBudgetSpend,
  thresholdAlerts,
} from './budget-spend.js';

/** What a budget guard is built from. */
export type BudgetGuardOptions = {
  readonly budgets: readonly Budget[];
  /**
   * The ledger: each budget's spend so far in its period is read from it once per period, and alerts are
   * recorded in it (so a threshold fires once per period across restarts). Without it spend starts at 0.
   */
  readonly store?: Store | undefined;
  /** Epoch ms (default `Date.now`). */
  readonly now?: (() => number) | undefined;
  /**
   * Told about every new alert (threshold crossed, call refused); never awaited by the call. Default: one line
   * on stderr. Pass `createAlertDispatcher([...]).dispatch` to post to webhooks as well.
   */
  readonly onAlert?: ((alert: Alert) => void) | undefined;
  /** Told about failures to read spend or record alerts (default: stderr). */
  readonly onError?: ((error: unknown) => void) | undefined;
};

/** One budget in its current period: spend so far, reservations held by calls in flight. */
export type BudgetState = {
  readonly budget: Budget;
  readonly period: BudgetPeriod;
  readonly spent: Picodollars;
  readonly reserved: Picodollars;
  /** Calls in the ledger whose cost is unknown (not in `spent`). */
  readonly unpricedCalls: number;
};

/** Budgets enforced in this process: admission with reservations, settlement, threshold alerts. */
export interface BudgetGuard extends CallAdmission {
  /** Every budget's state in its current period (reads the ledger for periods not seen yet). */
  states(): Promise<BudgetState[]>;
  /** Resolves when alerts raised so far are recorded. */
  settled(): Promise<void>;
}

type Tally = { spent: Picodollars; reserved: Picodollars; unpricedCalls: number };

/**
 * Budgets for one process. A call is admitted only when, for every hard budget covering it, spend + the
 * reservations of calls in flight + its maximum cost stays within the limit; its maximum cost is then reserved
 * until it settles to the actual cost. The check and the reservation happen in one synchronous step, so any
 * number of concurrent calls can never take spend past a limit (JavaScript runs them one at a time).
 *
 * Spend per budget and period is read from the ledger once, the first time the period is used, then kept here:
 * spend by other processes after that is not seen (gateway replicas share budgets through Redis instead).
 */
export function createBudgetGuard(options: BudgetGuardOptions): BudgetGuard {
  const now = options.now ?? Date.now;
  const report = (error: unknown) => {
    try {
      (options.onError ?? ((e) => console.error(`frugal budgets: ${e instanceof Error ? e.message : e}`)))(
        error,
      );
    } catch {}
  };
  const tallies = new Map<string, Promise<Tally>>();
  const loaded = new Map<string, Tally>();
  const raised = new Set<string>();
  const recording = new Set<Promise<unknown>>();

  const keyOf = (budget: Budget, period: BudgetPeriod) => `${budget.id}@${period.start}`;

  const tallyOf = (budget: Budget, period: BudgetPeriod): Promise<Tally> => {
    const key = keyOf(budget, period);
    let tally = tallies.get(key);
    if (tally === undefined) {
      const read = options.store
        ? storedBudgetSpend(options.store, budget, period).then(
            (spend) => ({ spent: spend.spent, reserved: 0n, unpricedCalls: spend.unpricedCalls }),
            (error: unknown) => {
              tallies.delete(key);
              throw error;
            },
          )
        : Promise.resolve({ spent: 0n, reserved: 0n, unpricedCalls: 0 });
      tally = read.then((value) => {
        loaded.set(key, value);
        return value;
      });
      tallies.set(key, tally);
    }
    return tally;
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
    const recorded = options.store.recordAlert(alert).then(
      (fresh) => (fresh ? deliver() : undefined),
      (error: unknown) => {
        report(error);
        deliver();
      },
    );
    recording.add(recorded);
    void recorded.finally(() => recording.delete(recorded));
  };

  return {
    async admit(request: AdmissionRequest): Promise<AdmissionTicket> {
      const at = now();
      const call = { models: [request.model], attribution: request.attribution };
      const covering = options.budgets.filter((budget) => budgetCovers(budget, call));
      const held = await Promise.all(
        covering.map(async (budget) => {
          const period = budgetPeriod(budget, at);
          return { budget, period, tally: await tallyOf(budget, period) };
        }),
      );
      // From here to the reservation nothing awaits: the check and the reservation are one step.
      for (const { budget, period, tally } of held) {
        if (!budget.hard) continue;
        if (request.maxCost !== undefined && tally.spent + tally.reserved + request.maxCost <= budget.limit)
          continue;
        const error = refusal(budget, period, tally, request);
        raise({
          id: `budget-refused:${budget.id}:${new Date(period.start).toISOString()}`,
          kind: 'budget-refused',
          severity: 'critical',
          time: at,
          message: `${error.message} (first refusal this ${budget.period})`,
          details: {
            budget_id: budget.id,
            scope: formatBudgetScope(budget.scope),
            limit_usd: formatUsd(budget.limit),
            spent_usd: formatUsd(tally.spent),
            reserved_usd: formatUsd(tally.reserved),
            requested_usd: request.maxCost === undefined ? null : formatUsd(request.maxCost),
            model: request.model,
            resets_at: new Date(period.resetsAt).toISOString(),
          },
        });
        throw error;
      }
      const reservation = request.maxCost ?? 0n;
      for (const { budget, tally } of held) if (budget.hard) tally.reserved += reservation;
      let settled = false;
      return {
        settle(settlement: Settlement) {
          if (settled) return;
          settled = true;
          const actual = actualCost(settlement, request.maxCost);
          const answered = {
            models: [request.model, settlement.responseModel],
            attribution: request.attribution,
          };
          const charged = new Set<Budget>();
          for (const { budget, period, tally } of held) {
            if (budget.hard) tally.reserved -= reservation;
            charge(budget, period, tally, actual, settlement);
            charged.add(budget);
          }
          // A budget on the answering model (e.g. a dated snapshot) is charged too, in the call's period.
          for (const budget of options.budgets) {
            if (charged.has(budget) || !budgetCovers(budget, answered)) continue;
            const period = budgetPeriod(budget, at);
            const tally = loaded.get(keyOf(budget, period));
            if (tally) charge(budget, period, tally, actual, settlement);
            else
              void tallyOf(budget, period).then(
                (late) => charge(budget, period, late, actual, settlement),
                report,
              );
          }
        },
      };
    },

    async states() {
      const at = now();
      return Promise.all(
        options.budgets.map(async (budget) => {
          const period = budgetPeriod(budget, at);
          const tally = await tallyOf(budget, period);
          return {
            budget,
            period,
            spent: tally.spent,
            reserved: tally.reserved,
            unpricedCalls: tally.unpricedCalls,
          };
        }),
      );
    },

    async settled() {
      while (recording.size > 0) await Promise.all([...recording]);
    },
  };

  function charge(
    budget: Budget,
    period: BudgetPeriod,
    tally: Tally,
    actual: Picodollars | undefined,
    settlement: Settlement,
  ) {
    if (actual === undefined) return;
    const before = tally.spent;
    tally.spent += actual;
    if (settlement.cost?.status === 'unpriced') tally.unpricedCalls++;
    for (const alert of thresholdAlerts(budget, period, before, tally.spent, now())) raise(alert);
  }
}

/**
 * What a settled call costs a budget: its exact cost when priced; its whole reservation when it ran but its
 * cost is unknown (never $0); nothing when it failed without reporting usage.
 */
function actualCost(settlement: Settlement, reserved: Picodollars | undefined): Picodollars | undefined {
  if (settlement.cost?.status === 'priced') return settlement.cost.total;
  if (settlement.status === 'error' && settlement.cost === undefined) return undefined;
  return reserved;
}

function refusal(
  budget: Budget,
  period: BudgetPeriod,
  tally: Tally,
  request: AdmissionRequest,
): BudgetExceededError {
  const resets = new Date(period.resetsAt).toISOString();
  const details = {
    limit: budget.limit,
    spent: tally.spent,
    reserved: tally.reserved,
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
    `${budget.period}, spent $${formatUsd(tally.spent)} (${percentOfLimit(tally.spent, budget.limit)}%), ` +
    `$${formatUsd(tally.reserved)} reserved by calls in flight, this call could cost up to ` +
    `$${formatUsd(request.maxCost)}; the ${budget.period} resets ${resets}`;
  return new BudgetExceededError(budget.id, details, message);
}
