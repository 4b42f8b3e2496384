import type { Alert } from '../core/alerts/alert.js';
import type {
  AdmissionRequest,
  AdmissionTicket,
  CallAdmission,
  Settlement,
} from '../core/budgets/admission.js';
import { type Budget, budgetCovers } from '../core/budgets/budget.js';
import type { Picodollars } from '../core/money.js';
import type { Store } from '../store/store.js';
import { actualCost, coveringBudgets, createAlertRaiser, fitsBudget, refusal } from './budget-admission.js';
import { type BudgetPeriod, budgetPeriod, storedBudgetSpend, thresholdAlerts } from './budget-spend.js';

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
  const alerts = createAlertRaiser(options);
  const tallies = new Map<string, Promise<Tally>>();
  const loaded = new Map<string, Tally>();

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

  return {
    async admit(request: AdmissionRequest): Promise<AdmissionTicket> {
      const at = now();
      const held = await Promise.all(
        coveringBudgets(options.budgets, request).map(async (budget) => {
          const period = budgetPeriod(budget, at);
          return { budget, period, tally: await tallyOf(budget, period) };
        }),
      );
      // From here to the reservation nothing awaits: the check and the reservation are one step.
      for (const { budget, period, tally } of held) {
        if (!budget.hard || fitsBudget(budget, tally, request.maxCost)) continue;
        const refused = refusal(budget, period, tally, request, at);
        alerts.raise(refused.alert);
        throw refused.error;
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
                alerts.report,
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

    settled: alerts.settled,
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
    for (const alert of thresholdAlerts(budget, period, before, tally.spent, now())) alerts.raise(alert);
  }
}
