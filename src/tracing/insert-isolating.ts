import type { Span } from '../core/spans/span.js';
import type { Store } from '../store/store.js';

/**
 * True when a store refused the data rather than failed: stores reject a span they cannot represent with a
 * RangeError (possibly wrapped, e.g. in a StoreError's `cause`). Retrying such a batch can never succeed.
 */
export function isRejectedData(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof RangeError) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Inserts spans in transactions of at most `batchSize`. When the store refuses the data of a transaction
 * (see `isRejectedData`), it is split in halves until the spans it refuses are alone; those are returned, the
 * rest are stored. Any other failure (store down, locked) is thrown: the caller retries later, and spans
 * already stored are skipped then (inserts are idempotent by span id).
 */
export async function insertIsolating(
  store: Pick<Store, 'insertSpans'>,
  spans: readonly Span[],
  batchSize: number,
): Promise<Span[]> {
  const rejected: Span[] = [];
  const insert = async (part: readonly Span[]): Promise<void> => {
    try {
      await store.insertSpans(part);
    } catch (error) {
      if (!isRejectedData(error)) throw error;
      if (part.length === 1) {
        rejected.push(part[0]!);
        return;
      }
      const middle = Math.ceil(part.length / 2);
      await insert(part.slice(0, middle));
      await insert(part.slice(middle));
    }
  };
  for (let start = 0; start < spans.length; start += batchSize) {
    await insert(spans.slice(start, start + batchSize));
  }
  return rejected;
}
