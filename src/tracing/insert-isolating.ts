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
 * Inserts spans (or their journal lines: `insert` decides) in transactions of at most `batchSize`. When the store
 * refuses the data of a transaction (see `isRejectedData`), it is split in halves until the spans it refuses are
 * alone; those are returned, the rest are stored. Any other failure (store down, locked) is thrown: the caller
 * retries later, and spans already stored are skipped then (inserts are idempotent: `Store.insertSpans`).
 */
export async function insertIsolating<T>(
  insert: (part: readonly T[]) => Promise<unknown>,
  spans: readonly T[],
  batchSize: number,
): Promise<T[]> {
  const rejected: T[] = [];
  const attempt = async (part: readonly T[]): Promise<void> => {
    try {
      await insert(part);
    } catch (error) {
      if (!isRejectedData(error)) throw error;
      if (part.length === 1) {
        rejected.push(part[0]!);
        return;
      }
      const middle = Math.ceil(part.length / 2);
      await attempt(part.slice(0, middle));
      await attempt(part.slice(middle));
    }
  };
  for (let start = 0; start < spans.length; start += batchSize) {
    await attempt(spans.slice(start, start + batchSize));
  }
  return rejected;
}
