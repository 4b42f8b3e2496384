import type { Picodollars } from '../core/money.js';
import type { BudgetPeriod } from './budget-spend.js';

/** A budget's state in one period, as a counter holds it. */
export type CounterState = {
  /** Spend settled in the period (plus the ledger's spend when the period was opened). */
  readonly spent: Picodollars;
  /** Maximum costs reserved by calls in flight. */
  readonly reserved: Picodollars;
  /** Settled calls whose cost is unknown (their reservation is in `spent`). */
  readonly unpricedCalls: number;
};

/** What a reservation attempt found: admitted (and reserved) or refused, with the state after it. */
export type ReserveOutcome = { readonly admitted: boolean; readonly state: CounterState };

/**
 * Where a hard budget's current-period state lives, so that several processes (gateway replicas) share one
 * limit. Every method is atomic on one budget and period; amounts are non-negative pico-dollars. An entry
 * expires a margin after its period ends (`period.resetsAt`); a period never seen reads as zero.
 */
export interface BudgetCounter {
  /**
   * Seeds a period with the spend the ledger already holds. Only the first opening of a period counts (later
   * ones, from other processes or restarts, are ignored), so spend is never counted twice.
   */
  open(
    budgetKey: string,
    period: BudgetPeriod,
    opening: Omit<CounterState, 'reserved'>,
  ): Promise<CounterState>;
  /** Reserves `amount` only if spent + reserved + amount ≤ limit, in one atomic step. */
  reserve(
    budgetKey: string,
    period: BudgetPeriod,
    limit: Picodollars,
    amount: Picodollars,
  ): Promise<ReserveOutcome>;
  /**
   * Releases a reservation (`reserved`, 0 for none) and adds the actual cost (0 for none, may exceed the
   * reservation) to spend; `unpriced` counts one more call of unknown cost. Reserved never goes below 0.
   */
  settle(
    budgetKey: string,
    period: BudgetPeriod,
    reserved: Picodollars,
    actual: Picodollars,
    unpriced?: boolean,
  ): Promise<CounterState>;
  state(budgetKey: string, period: BudgetPeriod): Promise<CounterState>;
}

/** How long after its period ends a counter's entry is kept by default (late settlements of long calls). */
export const defaultCounterExpiryMarginMs = 3_600_000;

/** The largest amount a counter accepts (10^36 - 1 pico-dollars: far beyond int64 and any real budget). */
export const maxCounterAmount = 10n ** 36n - 1n;

/** Throws a RangeError unless `amount` is a pico-dollar amount a counter can hold. */
export function checkCounterAmount(name: string, amount: Picodollars): Picodollars {
  if (amount < 0n || amount > maxCounterAmount) {
    throw new RangeError(`expected ${name} between 0 and 10^36 - 1 pico-dollars, found ${amount}`);
  }
  return amount;
}
