import type { Span } from '../../core/spans/span.js';
import type { InspectableStore } from '../../store/inspectable-store.js';
import { openStore } from '../../store/open-store.js';

/** A fresh in-memory SQLite store holding all the spans; throws if any span id repeated (it would be skipped). */
export async function storeWith(...spanSets: readonly (readonly Span[])[]): Promise<InspectableStore> {
  const spans = spanSets.flat();
  const store = await openStore(':memory:');
  const inserted = await store.insertSpans(spans);
  if (inserted !== spans.length) {
    await store.close();
    throw new Error(`expected ${spans.length} new spans, the store took ${inserted}: span ids repeat`);
  }
  return store;
}
