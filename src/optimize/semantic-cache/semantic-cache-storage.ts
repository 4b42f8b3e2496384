/** What a hit serves: the stored answer (opaque to the cache) and what producing it cost. */
export type SemanticAnswer = {
  /** The answer as the caller encoded it (the gateway keeps its response bytes here). */
  readonly answer: string;
  /** The original call's cost in pico-dollars, what each hit saves; undefined when it was not priced. */
  readonly cost: bigint | undefined;
  /** Epoch ms. */
  readonly storedAt: number;
};

/** One cache entry as written: the answer, and the vector and namespace every replica indexes it under. */
export type SemanticEntry = SemanticAnswer & {
  readonly id: string;
  readonly namespace: string;
  /** Unit vector of the question. */
  readonly vector: Float32Array;
  /** Epoch ms after which the entry is never served. */
  readonly expiresAt: number;
};

/** The log every replica replays to keep its local vector index in step with the shared entries. */
export type SemanticChange =
  | {
      readonly type: 'add';
      readonly id: string;
      readonly namespace: string;
      readonly vector: Float32Array;
      readonly expiresAt: number;
    }
  | { readonly type: 'remove'; readonly id: string };

/**
 * Where semantic cache entries live, shared by every cache (replica) that uses the same storage. Answers are
 * read on a hit only; vectors travel through an append-only change log that replicas tail. The log keeps the
 * changes of the last `ttlMs` (older ones concern entries that have expired anyway), so a replica that starts
 * or falls behind catches up by replaying it. Recency for LRU eviction is kept by the storage, across replicas.
 */
export interface SemanticCacheStorage {
  /**
   * Stores an entry, drops expired ones, then evicts the least recently used until at most `maxEntries` live
   * ones remain. Returns the ids evicted (their removals are in the log as well).
   */
  add(
    entry: SemanticEntry,
    options: { readonly maxEntries: number; readonly now: number },
  ): Promise<string[]>;
  /** The answer if the entry still exists and has not expired, marking it used at `now`. */
  get(id: string, now: number): Promise<SemanticAnswer | undefined>;
  /** Changes after `cursor` (from the oldest kept when undefined), oldest first, and the cursor to pass next. */
  changes(cursor: string | undefined): Promise<{ changes: SemanticChange[]; cursor: string | undefined }>;
  close(): Promise<void>;
}
