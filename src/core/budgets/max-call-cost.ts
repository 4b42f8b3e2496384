import { cost } from '../cost/cost.js';
import type { Picodollars } from '../money.js';
import type { PriceBook } from '../prices/price-book.js';
import type { Usage } from '../usage.js';

/** What bounds a call's cost before it is sent. */
export type CallBound = {
  readonly model: string;
  /** The prompt's tokens as counted by frugal (messages, tools, system). */
  readonly promptTokens: number;
  /** The caller's output cap (`max_tokens`, `max_completion_tokens`, `max_output_tokens`), if any. */
  readonly maxOutputTokens?: number | undefined;
};

/** The most a call can cost, or why it cannot be bounded. */
export type MaxCost =
  | { readonly status: 'bounded'; readonly maxCost: Picodollars; readonly outputTokens: number }
  | { readonly status: 'unbounded'; readonly message: string };

/**
 * The most a call can cost: every prompt token at the dearest input rate the model has (plain, or written to
 * a 5-minute or 1-hour cache) plus the output cap at the dearer of its output and reasoning rates, with
 * long-context bands applied by the prompt's size. Without a cap from the caller the model's own output limit
 * is used, else its context window less the prompt; a model without a price or either limit is unbounded.
 */
export function maxCallCost(
  call: CallBound,
  options: { readonly book: PriceBook; readonly on?: string },
): MaxCost {
  const resolution = options.book.resolve(call.model, { on: options.on });
  if (resolution.status === 'unpriced') return { status: 'unbounded', message: resolution.message };
  const entry = resolution.entry;
  const fromWindow =
    entry.contextWindow === undefined ? undefined : Math.max(0, entry.contextWindow - call.promptTokens);
  const output = call.maxOutputTokens ?? entry.maxOutput ?? fromWindow;
  if (output === undefined) {
    return {
      status: 'unbounded',
      message: `'${call.model}' has no output limit in its price entry; set max_tokens on the call`,
    };
  }
  const input = call.promptTokens;
  const shapes: Usage[] = [
    { input, output },
    { input, cacheWrite: input, output },
    { input, cacheWrite1h: input, output },
    { input, output, reasoning: output },
  ];
  let most: Picodollars | undefined;
  for (const usage of shapes) {
    const result = cost(usage, entry);
    if (result.status !== 'priced') {
      if (usage === shapes[0]) return { status: 'unbounded', message: result.message };
      continue;
    }
    if (most === undefined || result.total > most) most = result.total;
  }
  return { status: 'bounded', maxCost: most!, outputTokens: output };
}
