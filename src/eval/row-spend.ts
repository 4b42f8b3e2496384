import type { Picodollars } from '../core/money.js';
import type { Span } from '../core/spans/span.js';
import { addUsage, type Usage } from '../core/usage.js';

/** The calls of one role (candidate or judge) in a row, summed from their spans. */
export type RowSpend = {
  readonly calls: number;
  readonly usage: Usage | undefined;
  /** Exact; undefined when any call was unpriced (an unknown price is never $0). */
  readonly cost: Picodollars | undefined;
  readonly unpricedCalls: number;
  readonly simulated: boolean;
};

export const candidateTag = 'eval:candidate';
export const judgeTag = 'eval:judge';

/** Sums the LLM and embedding spans carrying `tag` (step spans are structure, not calls). */
export function rowSpend(spans: readonly Span[], tag: string): RowSpend {
  let usage: Usage | undefined;
  let cost: Picodollars = 0n;
  let calls = 0;
  let unpricedCalls = 0;
  let simulated = false;
  for (const span of spans) {
    if (span.kind === 'step' || !span.attribution.tags?.includes(tag)) continue;
    calls++;
    if (span.usage !== undefined) usage = usage === undefined ? span.usage : addUsage(usage, span.usage);
    if (span.cost?.status === 'priced') cost += span.cost.total;
    else if (span.cost !== undefined || span.usage !== undefined) unpricedCalls++;
    if (span.simulated) simulated = true;
  }
  return { calls, usage, cost: unpricedCalls > 0 ? undefined : cost, unpricedCalls, simulated };
}
