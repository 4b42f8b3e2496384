import type { ChatModel, GenerateRequest, GenerateResult } from '../../providers/chat-model.js';
import type { PricedCall } from './call-tally.js';
import { type PriceOptions, priceUsage } from './price-usage.js';

/** One call's outcome: its answer priced at standard rates, or the error it ended with. */
export type CallOutcome =
  | { readonly ok: true; readonly result: GenerateResult; readonly call: PricedCall }
  | { readonly ok: false; readonly error: unknown };

/** Options of `callEach`. */
export type CallEachOptions = PriceOptions & {
  /** Calls in flight at once (default 4). */
  readonly concurrency?: number | undefined;
  readonly signal?: AbortSignal | undefined;
};

/**
 * Sends each request through `model`, at most `concurrency` at a time, and prices each answer at the model's
 * standard rates. A failed call is an outcome, not a throw; an abort rejects with the signal's reason.
 */
export async function callEach(
  model: ChatModel,
  requests: readonly { readonly itemIds: readonly string[]; readonly request: GenerateRequest }[],
  options: CallEachOptions = {},
): Promise<CallOutcome[]> {
  const concurrency = options.concurrency ?? 4;
  if (!(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
    throw new RangeError(`concurrency must be an integer ≥ 1, got ${concurrency}`);
  }
  const outcomes: CallOutcome[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const { itemIds, request } = requests[index]!;
      try {
        const result = await model.generate({ ...request, signal: options.signal });
        const cost = priceUsage(result.usage, [result.responseModel, model.id, model.model], options);
        outcomes[index] = { ok: true, result, call: { itemIds, usage: result.usage, cost } };
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        outcomes[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  return outcomes;
}

/** An error as one line for a report. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
