import { formatUsd } from '../../core/money.js';
import type { Scorer } from '../scorer.js';
import type { ScorerOptions } from './scorer-options.js';

/**
 * Passes when the candidate's call cost at most `limit` pico-dollars. An unpriced call is an error, never
 * read as free.
 */
export function costThreshold(limit: bigint, options: ScorerOptions = {}): Scorer {
  if (limit < 0n) throw new RangeError(`limit must be ≥ 0 pico-dollars, got ${limit}`);
  return {
    name: options.name ?? 'cost_threshold',
    kind: 'pass-fail',
    usesJudge: false,
    async score({ prediction }) {
      const cost = prediction.cost;
      if (cost === undefined) return { value: undefined, error: 'the call has no price: no cost to judge' };
      const details = { cost: cost.toString(), limit: limit.toString() };
      return cost <= limit
        ? { value: true, details }
        : {
            value: false,
            rationale: `cost $${formatUsd(cost)}, over the limit of $${formatUsd(limit)}`,
            details,
          };
    },
  };
}
