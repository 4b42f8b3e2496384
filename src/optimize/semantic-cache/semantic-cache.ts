import { randomUUID } from 'node:crypto';
import { FrugalError } from '../../core/errors.js';
import type { Embedder } from '../embedder.js';
import { createMemorySemanticCacheStorage } from './memory-semantic-cache-storage.js';
import { createReplicaIndexes } from './replica-indexes.js';
import type { SemanticAnswer, SemanticCacheStorage } from './semantic-cache-storage.js';
import { type SemanticNamespaceParts, semanticNamespace } from './semantic-namespace.js';
import { type VectorIndexOptions, vectorIndexFactory } from './vector-index-by-size.js';

export type SemanticCacheOptions = {
  readonly embedder: Embedder;
  /** Cosine similarity at or above which a stored answer is served; calibrate it (`frugal cache calibrate`). */
  readonly threshold: number;
  /** How long an entry may be served, ms (default one day). Use the same TTL on every replica. */
  readonly ttlMs?: number | undefined;
  /** Entries kept across all namespaces; the least recently used go first (default 10,000). */
  readonly maxEntries?: number | undefined;
  /** Where entries live (default: this process's memory); Redis to share them between replicas. */
  readonly storage?: SemanticCacheStorage | undefined;
  /** Vector index settings (default: exact up to 1,000 entries per namespace, then HNSW). */
  readonly index?: Omit<VectorIndexOptions, 'dimensions'> | undefined;
  /** Replay other replicas' changes at most this often, ms (default 1,000; 0 = before every lookup). */
  readonly syncIntervalMs?: number | undefined;
  /** Epoch ms (default Date.now). */
  readonly now?: (() => number) | undefined;
  /** Told of storage failures (each also a miss, a dropped write or a skipped sync; never thrown). */
  readonly onError?: ((error: unknown) => void) | undefined;
};

export type SemanticQuestion = { readonly namespace: SemanticNamespaceParts; readonly text: string };

export type SemanticLookup =
  | (SemanticAnswer & {
      readonly hit: true;
      readonly id: string;
      readonly score: number;
      readonly vector: Float32Array;
    })
  | { readonly hit: false; readonly score: number | undefined; readonly vector: Float32Array };

export type SemanticCacheStats = {
  hits: number;
  misses: number;
  writes: number;
  /** Entries this cache's writes pushed out (least recently used). */
  evictions: number;
  /** Storage failures. */
  errors: number;
  /** Pico-dollars: the summed cost of the original calls whose answers were served. */
  saved: bigint;
  /** Hits whose original call had no known cost (they saved an unknown amount, not zero). */
  unpricedHits: number;
  /** Input tokens billed by the embedder (0 for the local one). */
  embeddingTokens: number;
};

export interface SemanticCache {
  readonly embedder: Embedder;
  /** Embeds the question and serves the most similar answer in its namespace at or above the threshold. */
  lookup(question: SemanticQuestion, signal?: AbortSignal): Promise<SemanticLookup>;
  /** Keeps an answer; pass the miss's `vector` to save embedding the question again. */
  store(
    question: SemanticQuestion &
      Omit<SemanticAnswer, 'storedAt'> & { readonly vector?: Float32Array | undefined },
    signal?: AbortSignal,
  ): Promise<void>;
  /** Replays the storage's change log now (lookups do it every `syncIntervalMs`). */
  sync(): Promise<void>;
  /** Entries in this replica's indexes. */
  readonly size: number;
  readonly stats: Readonly<SemanticCacheStats>;
  close(): Promise<void>;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new FrugalError(`semantic cache: ${message}`);
}

/**
 * A semantic cache: answers are served to questions whose embedding is at least `threshold` similar to a
 * stored one in the same namespace (embedder + model + system prompt + parameters + conversation). Each replica
 * keeps a vector index per namespace and replays the shared storage's change log into it, on start and then
 * every `syncIntervalMs`; answers are read from the storage on a hit, so an entry evicted or expired anywhere
 * is never served. Embedder failures reject `lookup`/`store` (FrugalError naming the embedder); storage
 * failures never do.
 */
export async function createSemanticCache(options: SemanticCacheOptions): Promise<SemanticCache> {
  const { embedder, threshold } = options;
  const ttlMs = options.ttlMs ?? 86_400_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const syncIntervalMs = options.syncIntervalMs ?? 1_000;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => {});
  check(
    Number.isFinite(threshold) && threshold > 0 && threshold <= 1,
    `threshold must be in (0, 1], got ${threshold}`,
  );
  check(Number.isFinite(ttlMs) && ttlMs > 0, `ttlMs must be a positive number, got ${ttlMs}`);
  check(
    Number.isSafeInteger(maxEntries) && maxEntries > 0,
    `maxEntries must be a positive integer, got ${maxEntries}`,
  );
  check(
    Number.isFinite(syncIntervalMs) && syncIntervalMs >= 0,
    `syncIntervalMs must be ≥ 0, got ${syncIntervalMs}`,
  );
  const storage = options.storage ?? createMemorySemanticCacheStorage();
  const newIndex = await vectorIndexFactory({ ...options.index, dimensions: embedder.dimensions });
  const replica = createReplicaIndexes(newIndex);
  const stats: SemanticCacheStats = {
    hits: 0,
    misses: 0,
    writes: 0,
    evictions: 0,
    errors: 0,
    saved: 0n,
    unpricedHits: 0,
    embeddingTokens: 0,
  };
  let cursor: string | undefined;
  let lastSync = Number.NEGATIVE_INFINITY;
  let syncing: Promise<void> | undefined;

  function failed(error: unknown): void {
    stats.errors += 1;
    onError(error);
  }

  async function replay(): Promise<void> {
    try {
      lastSync = now();
      const read = await storage.changes(cursor);
      const at = now();
      replica.apply(read.changes, at);
      cursor = read.cursor;
    } catch (error) {
      failed(error);
    }
  }

  function sync(): Promise<void> {
    syncing ??= replay().finally(() => {
      syncing = undefined;
    });
    return syncing;
  }

  async function embed(text: string, signal: AbortSignal | undefined): Promise<Float32Array> {
    const { vectors, usage } = await embedder.embed([text], signal);
    stats.embeddingTokens += usage.input ?? 0;
    const vector = vectors[0];
    if (vectors.length !== 1 || vector?.length !== embedder.dimensions) {
      throw new FrugalError(
        `embedder ${embedder.id}: expected 1 vector of ${embedder.dimensions} dimensions, got ${vectors.length} of ${vector?.length}`,
      );
    }
    return vector;
  }

  await sync();
  return {
    embedder,
    sync,
    stats,
    get size() {
      return replica.size;
    },
    async lookup({ namespace: parts, text }, signal) {
      if (now() - lastSync >= syncIntervalMs) await sync();
      const vector = await embed(text, signal);
      const matches = replica.search(semanticNamespace(embedder.id, parts), vector, 4);
      for (const { id, score } of matches) {
        if (score < threshold) break;
        if ((replica.expiresAt(id) ?? 0) <= now()) {
          replica.forget(id);
          continue;
        }
        let answer: SemanticAnswer | undefined;
        try {
          answer = await storage.get(id, now());
        } catch (error) {
          failed(error);
          break;
        }
        if (answer === undefined) {
          replica.forget(id);
          continue;
        }
        stats.hits += 1;
        if (answer.cost === undefined) stats.unpricedHits += 1;
        else stats.saved += answer.cost;
        return { ...answer, hit: true, id, score, vector };
      }
      stats.misses += 1;
      return { hit: false, score: matches[0]?.score, vector };
    },
    async store({ namespace: parts, text, answer, cost, vector }, signal) {
      const embedded = vector ?? (await embed(text, signal));
      const storedAt = now();
      const namespace = semanticNamespace(embedder.id, parts);
      const entry = {
        id: randomUUID(),
        namespace,
        vector: embedded,
        answer,
        cost,
        storedAt,
        expiresAt: storedAt + ttlMs,
      };
      let evicted: string[];
      try {
        evicted = await storage.add(entry, { maxEntries, now: storedAt });
      } catch (error) {
        failed(error);
        return;
      }
      stats.writes += 1;
      stats.evictions += evicted.length;
      replica.apply([{ type: 'add', ...entry }], storedAt);
      for (const id of evicted) replica.forget(id);
    },
    async close() {
      await syncing;
      await storage.close();
    },
  };
}
