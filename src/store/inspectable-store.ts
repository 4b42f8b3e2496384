import type { SpendQuery, SpendRow } from '../core/spans/spend-query.js';
import type { SpendSource } from './spend-plan.js';
import type { Store } from './store.js';

/**
 * A Store that can also answer a spend query from the spans table alone, and say which sources it would read.
 * The contract suite checks that both paths give identical answers; the benchmark times one against the other.
 */
export interface InspectableStore extends Store {
  /** The same answer as `querySpend`, computed by scanning the spans table (no rollups). */
  querySpendFromSpans(query: SpendQuery): Promise<SpendRow[]>;
  /** The sources `querySpend` reads for this query, in piece order (empty when the answer is empty). */
  spendSources(query: SpendQuery): Promise<SpendSource[]>;
}
