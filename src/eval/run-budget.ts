import type { AdmissionTicket, CallAdmission } from '../core/budgets/admission.js';
import { BudgetExceededError } from '../core/errors.js';
import { formatUsd, type Picodollars } from '../core/money.js';

/** A run's budget cap: what it has spent and holds reserved, and whether it has refused a call yet. */
export type RunBudget = CallAdmission & {
  readonly limit: Picodollars;
  readonly spent: () => Picodollars;
  readonly reserved: () => Picodollars;
  /** The first refusal, once the cap has stopped the run. */
  readonly refusal: () => BudgetExceededError | undefined;
};

/**
 * A hard cap on one evaluation run's spend, candidate and judge calls together: each call reserves its maximum
 * cost before it is sent (checked and reserved in one synchronous step, so concurrent rows cannot overrun it)
 * and settles to its exact cost. A call that cannot be bounded (no price or output limit) is refused.
 */
export function createRunBudget(limit: Picodollars, startedAt: number): RunBudget {
  let spent = 0n;
  let reserved = 0n;
  let refusal: BudgetExceededError | undefined;
  const refuse = (requested: Picodollars | undefined, why: string) => {
    const error = new BudgetExceededError(
      'run',
      { limit, spent, reserved, requested, periodStart: startedAt, resetsAt: Number.POSITIVE_INFINITY },
      `the run's budget cap of $${formatUsd(limit)} refuses this call: ${why}`,
    );
    refusal ??= error;
    throw error;
  };
  return {
    limit,
    spent: () => spent,
    reserved: () => reserved,
    refusal: () => refusal,
    async admit(request): Promise<AdmissionTicket> {
      const { maxCost } = request;
      if (maxCost === undefined) {
        return refuse(
          undefined,
          `${request.model} cannot be bounded (${request.unboundedReason ?? 'no price'})`,
        );
      }
      if (spent + reserved + maxCost > limit) {
        return refuse(
          maxCost,
          `$${formatUsd(spent)} spent and $${formatUsd(reserved)} reserved, and it may cost up to $${formatUsd(maxCost)}`,
        );
      }
      reserved += maxCost;
      let settled = false;
      return {
        settle(settlement) {
          if (settled) return;
          settled = true;
          reserved -= maxCost;
          if (settlement.cost?.status === 'priced') spent += settlement.cost.total;
          else if (settlement.status === 'ok') spent += maxCost;
        },
      };
    },
  };
}
