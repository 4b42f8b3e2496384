import { cost } from '../../core/cost/cost.js';
import type { CostResult } from '../../core/cost/cost-result.js';
import type { PriceBook } from '../../core/prices/price-book.js';
import type { Usage } from '../../core/usage.js';

/** Which prices to use. */
export type PriceOptions = {
  /** The price book (default: the committed catalog). */
  readonly book?: PriceBook | undefined;
  /** YYYY-MM-DD: the prices in force that day (default: the newest). */
  readonly on?: string | undefined;
};

/**
 * Exact cost of one call's usage, at standard or batch prices, by the first of `names` that has a price (the
 * model that answered, then the one asked for, with and without its provider); an unpriced result saying why
 * when none has, never $0.
 */
export function priceUsage(
  usage: Usage,
  names: readonly (string | undefined)[],
  options: PriceOptions & { readonly batch?: boolean | undefined },
): CostResult {
  let first: CostResult | undefined;
  for (const name of new Set(names)) {
    if (name === undefined || name === '') continue;
    const result = cost(usage, name, { book: options.book, on: options.on, batch: options.batch });
    if (result.status === 'priced') return result;
    first ??= result;
    if (result.reason !== 'unknown-model' && result.reason !== 'no-price-on-date') break;
  }
  return (
    first ?? {
      status: 'unpriced',
      model: '',
      reason: 'unknown-model',
      message: 'no model name to price',
      suggestions: [],
    }
  );
}
