import { cost } from '../core/cost/cost.js';
import type { PriceBook } from '../core/prices/price-book.js';
import type { SpanCost } from '../core/spans/span.js';
import type { Usage } from '../core/usage.js';

/** What `priceLlmCall` needs besides the usage. */
export type PriceLlmCallOptions = {
  readonly book: PriceBook;
  /** Epoch ms of the call's start: the price in force that UTC day is used. */
  readonly startTime: number;
  /** Embedding calls generate no tokens: an unreported output count is priced as 0 for them only. */
  readonly embedding: boolean;
};

/**
 * Exact cost of one LLM call at the price of its start day (UTC), by the model that answered, else (when that
 * name has no price) by the model that was asked for. Unknown models stay unpriced with the reason, never
 * $0. Never throws: an unexpected pricing failure becomes an unpriced cost saying so.
 */
export function priceLlmCall(
  usage: Usage,
  models: readonly (string | undefined)[],
  options: PriceLlmCallOptions,
): SpanCost {
  const priced = options.embedding && usage.output === undefined ? { ...usage, output: 0 } : usage;
  const on = utcDay(options.startTime);
  let first: SpanCost | undefined;
  for (let index = 0; index < models.length; index++) {
    const model = models[index];
    if (model === undefined || models.indexOf(model) < index) continue;
    try {
      const result = cost(priced, model, { book: options.book, on });
      if (result.status === 'priced') {
        return { status: 'priced', total: result.total, priceId: result.model, source: result.source };
      }
      first ??= { status: 'unpriced', reason: result.reason, message: result.message };
      if (result.reason !== 'unknown-model' && result.reason !== 'no-price-on-date') break;
    } catch (error) {
      const message = `could not price '${model}': ${error instanceof Error ? error.message : String(error)}`;
      first ??= { status: 'unpriced', reason: 'invalid-usage', message };
      break;
    }
  }
  return first ?? { status: 'unpriced', reason: 'unknown-model', message: 'no model name to price' };
}

const msPerDay = 86_400_000;
let cachedDay = Number.NaN;
let cachedDayText = '';

/** YYYY-MM-DD (UTC) of an epoch-ms time; the last day is remembered (formatting a Date costs ~1 µs). */
export function utcDay(time: number): string {
  const day = Math.floor(time / msPerDay);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * msPerDay).toISOString().slice(0, 10);
  }
  return cachedDayText;
}
