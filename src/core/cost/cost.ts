import { defaultPriceBook } from '../prices/default-price-book.js';
import type { PriceBook } from '../prices/price-book.js';
import type { PriceEntry, ServiceTier } from '../prices/price-entry.js';
import { type Usage, validateUsage } from '../usage.js';
import type { CostResult, PricedCost } from './cost-result.js';
import { gpuCost } from './gpu-cost.js';
import { tokenCost, unpriced } from './token-cost.js';

/** Options of `cost`. */
export type CostOptions = {
  /** Service tier (default standard). A model without a price for the tier is unpriced, never standard. */
  readonly tier?: ServiceTier | undefined;
  /** Price as a batch-API request: explicit batch rates, else half price. */
  readonly batch?: boolean | undefined;
  /** YYYY-MM-DD: when pricing by name, use the price in force that day (default: the newest). */
  readonly on?: string | undefined;
  /** Measured duration of the request, needed by models priced per GPU-hour with a concurrency. */
  readonly durationMs?: number | undefined;
  /** When pricing by name: the book to resolve it in (default: the committed catalog, no config). */
  readonly book?: PriceBook | undefined;
};

/**
 * Exact cost of one LLM call: a bigint of pico-dollars with its breakdown, the rates, the price's source and
 * the tier/band/batch rules that applied; or an unpriced result saying why (unknown model with close names,
 * incomplete or contradictory usage, no price for the tier, ...). Never $0 for something it cannot price.
 *
 * `model` is either a `PriceEntry` or a name resolved in `options.book` (default: the catalog), in which
 * case the result also says how the name matched (`exact`, `provider-prefix`, `snapshot-base`, ...).
 */
export function cost(usage: Usage, model: PriceEntry | string, options: CostOptions = {}): CostResult {
  if (typeof model !== 'string') return costOfEntry(usage, model, options);
  const resolution = (options.book ?? defaultPriceBook()).resolve(model, { on: options.on });
  if (resolution.status === 'unpriced') {
    return unpriced(resolution.requested, resolution.reason, resolution.message, resolution.suggestions);
  }
  const match = { requested: resolution.requested, kind: resolution.match, note: resolution.note };
  return costOfEntry(usage, resolution.entry, options, match);
}

function costOfEntry(
  usage: Usage,
  entry: PriceEntry,
  options: CostOptions,
  match?: PricedCost['match'],
): CostResult {
  const problems = validateUsage(usage);
  if (problems.length > 0) {
    const message = `invalid usage: ${problems.map((problem) => `${problem.field} ${problem.message}`).join('; ')}`;
    return unpriced(entry.id, 'invalid-usage', message);
  }
  const tier = options.tier ?? 'standard';
  if (entry.kind === 'tokens') return tokenCost(usage, entry, { tier, batch: options.batch === true, match });
  if (tier !== 'standard') {
    return unpriced(
      entry.id,
      'no-tier-price',
      `no ${tier} price for '${entry.id}' (it is priced per GPU-hour)`,
    );
  }
  const result = gpuCost(usage, entry, { durationMs: options.durationMs });
  if (result.status === 'unpriced') return result;
  const notes = options.batch
    ? ['batch pricing does not apply to a model priced per GPU-hour']
    : result.notes;
  return { ...result, match, notes };
}
