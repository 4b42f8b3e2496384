import type { AdmissionRequest, AdmissionTicket, Settlement } from '../core/budgets/admission.js';
import { type Budget, budgetCovers } from '../core/budgets/budget.js';
import type { Picodollars } from '../core/money.js';
import { actualCost, coveringBudgets, createAlertRaiser, refusal } from './budget-admission.js';
import type { BudgetCounter, CounterState } from './budget-counter.js';
import type { BudgetGuard, BudgetGuardOptions } from './budget-guard.js';
import { type BudgetPeriod, budgetPeriod, storedBudgetSpend, thresholdAlerts } from './budget-spend.js';

/** A budget guard whose spend and reservations live in a BudgetCounter (Redis for gateway replicas). */
export type SharedBudgetGuardOptions = BudgetGuardOptions & { readonly counter: BudgetCounter };

type Held = { readonly budget: Budget; readonly period: BudgetPeriod; reserved: Picodollars };

/**
 * Budgets shared by every process using the same counter. A call is admitted only when each hard budget covering
 * it reserves its maximum cost atomically in the counter (spent + reserved + maximum ≤ limit), so no number of
 * concurrent calls on any number of replicas can take spend past a limit. Hard budgets reserve one after another:
 * when a later one refuses, the earlier reservations are released (a concurrent call may meanwhile be refused
 * by them: conservative, never an overrun). Settling moves each reservation to the actual cost.
 *
 * The first process to use a period seeds it with the ledger's spend (read once per process and period); after
 * that the counter is the truth. Reservations of a process that dies mid-call stay held until the period ends.
 */
export function createSharedBudgetGuard(options: SharedBudgetGuardOptions): BudgetGuard {
  const now = options.now ?? Date.now;
  const counter = options.counter;
  const alerts = createAlertRaiser(options);
  const opened = new Map<string, Promise<CounterState>>();

  const open = (budget: Budget, period: BudgetPeriod): Promise<CounterState> => {
    const key = `${budget.id}@${period.start}`;
    let opening = opened.get(key);
    if (opening === undefined) {
      const spend = options.store
        ? storedBudgetSpend(options.store, budget, period)
        : Promise.resolve({ spent: 0n, unpricedCalls: 0 });
      opening = spend.then((seed) =>
        counter.open(budget.id, period, { spent: seed.spent, unpricedCalls: seed.unpricedCalls }),
      );
      opened.set(key, opening);
      opening.catch(() => opened.delete(key));
    }
    return opening;
  };

  const charge = async (held: Held, actual: Picodollars | undefined, settlement: Settlement) => {
    const unpriced = actual !== undefined && settlement.cost?.status === 'unpriced';
    const after = await counter.settle(held.budget.id, held.period, held.reserved, actual ?? 0n, unpriced);
    if (actual === undefined || actual === 0n) return;
    for (const alert of thresholdAlerts(held.budget, held.period, after.spent - actual, after.spent, now())) {
      alerts.raise(alert);
    }
  };

  const release = (held: readonly Held[]) =>
    Promise.all(held.map((entry) => counter.settle(entry.budget.id, entry.period, entry.reserved, 0n)));

  return {
    async admit(request: AdmissionRequest): Promise<AdmissionTicket> {
      const at = now();
      const covering = coveringBudgets(options.budgets, request);
      const held: Held[] = covering.map((budget) => ({
        budget,
        period: budgetPeriod(budget, at),
        reserved: 0n,
      }));
      await Promise.all(held.map((entry) => open(entry.budget, entry.period)));
      try {
        for (const entry of held) {
          if (!entry.budget.hard) continue;
          const { budget, period } = entry;
          const outcome =
            request.maxCost === undefined
              ? { admitted: false, state: await counter.state(budget.id, period) }
              : await counter.reserve(budget.id, period, budget.limit, request.maxCost);
          if (outcome.admitted && request.maxCost !== undefined) {
            entry.reserved = request.maxCost;
            continue;
          }
          const refused = refusal(budget, period, outcome.state, request, at);
          alerts.raise(refused.alert);
          throw refused.error;
        }
      } catch (error) {
        // Refused (or the counter failed): give back what this call reserved so far.
        await release(held.filter((entry) => entry.reserved > 0n)).catch(alerts.report);
        throw error;
      }
      let settled = false;
      return {
        settle(settlement: Settlement) {
          if (settled) return;
          settled = true;
          const actual = actualCost(settlement, request.maxCost);
          for (const entry of held) {
            if (actual !== undefined || entry.reserved > 0n) alerts.track(charge(entry, actual, settlement));
          }
          if (actual === undefined) return;
          // A budget on the answering model (e.g. a dated snapshot) is charged too, in the call's period.
          const answered = {
            models: [request.model, settlement.responseModel],
            attribution: request.attribution,
          };
          for (const budget of options.budgets) {
            if (covering.includes(budget) || !budgetCovers(budget, answered)) continue;
            const late: Held = { budget, period: budgetPeriod(budget, at), reserved: 0n };
            alerts.track(open(budget, late.period).then(() => charge(late, actual, settlement)));
          }
        },
      };
    },

    async states() {
      const at = now();
      return Promise.all(
        options.budgets.map(async (budget) => {
          const period = budgetPeriod(budget, at);
          await open(budget, period);
          return { budget, period, ...(await counter.state(budget.id, period)) };
        }),
      );
    },

    settled: alerts.settled,
  };
}
