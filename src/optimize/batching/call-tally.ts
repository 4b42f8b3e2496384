import type { CostResult } from '../../core/cost/cost-result.js';
import type { Picodollars } from '../../core/money.js';
import { addUsage, type Usage } from '../../core/usage.js';

/** One LLM call made (or, for a batch, one request answered), with its exact cost. */
export type PricedCall = {
  /** The items it answered (one, or several for a packed prompt). */
  readonly itemIds: readonly string[];
  readonly usage: Usage;
  readonly cost: CostResult;
};

/** Calls summed: how many, their tokens and their exact cost. */
export type CallTally = {
  readonly calls: number;
  readonly usage: Usage;
  /** Exact pico-dollars of the priced calls; a lower bound when `unpriced` is not empty. */
  readonly cost: Picodollars;
  /** Calls that could not be priced (unknown model, unreported usage), with why: never counted as $0. */
  readonly unpriced: readonly { readonly itemIds: readonly string[]; readonly message: string }[];
};

/** Sums calls exactly (bigint pico-dollars, usage field by field). */
export function tallyCalls(calls: readonly PricedCall[]): CallTally {
  let usage: Usage = {};
  let cost = 0n;
  const unpriced: { itemIds: readonly string[]; message: string }[] = [];
  for (const call of calls) {
    usage = addUsage(usage, call.usage);
    if (call.cost.status === 'priced') cost += call.cost.total;
    else unpriced.push({ itemIds: call.itemIds, message: call.cost.message });
  }
  return { calls: calls.length, usage, cost, unpriced };
}

/** `a − b` when both are fully priced, else undefined (a saving is never claimed on unpriced calls). */
export function exactDifference(a: CallTally, b: CallTally): Picodollars | undefined {
  return a.unpriced.length === 0 && b.unpriced.length === 0 ? a.cost - b.cost : undefined;
}

/** The sum of several tallies. */
export function combineTallies(...tallies: readonly CallTally[]): CallTally {
  return tallies.reduce(
    (sum, tally) => ({
      calls: sum.calls + tally.calls,
      usage: addUsage(sum.usage, tally.usage),
      cost: sum.cost + tally.cost,
      unpriced: [...sum.unpriced, ...tally.unpriced],
    }),
    tallyCalls([]),
  );
}
