import type { SpanCost } from '../../core/spans/span.js';
import type { Usage } from '../../core/usage.js';

/** One answer as the gateway sent it, kept to be replayed byte for byte. */
export type CachedResponse = {
  /** `json`: a JSON body; `sse`: the text of an event stream as sent to the client. */
  readonly kind: 'json' | 'sse';
  /** The exact bytes sent to the client, as UTF-8 text. */
  readonly body: string;
  readonly contentType: string;
  /** The model that answered (the response model). */
  readonly model: string;
  readonly provider: string;
  /** The original call's usage. */
  readonly usage?: Usage | undefined;
  /** The original call's cost: what a hit saves. */
  readonly cost?: SpanCost | undefined;
  /** The span that paid for it. */
  readonly spanId: string;
  /** Epoch ms. */
  readonly storedAt: number;
};

/** Counters since the cache was created. Every `get` counts one hit or one miss. */
export type ResponseCacheStats = {
  hits: number;
  /** Absent, expired, unreadable (corrupt) and failed reads. */
  misses: number;
  /** Entries stored. */
  writes: number;
  /** Entries dropped to make room (memory only: Redis evicts by its own policy, unseen). */
  evictions: number;
  /** Backend failures and corrupt entries: each also a miss or a dropped write. */
  errors: number;
};

/**
 * The gateway's exact response cache. `get` and `set` never reject because of the backend (a server down, a
 * corrupt entry): they read as a miss or drop the write and count an error. Only a caller's mistake rejects:
 * a `ttlMs` that is not a positive finite number (RangeError).
 */
export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse, ttlMs: number): Promise<void>;
  readonly stats: Readonly<ResponseCacheStats>;
  close(): Promise<void>;
}

export function emptyCacheStats(): ResponseCacheStats {
  return { hits: 0, misses: 0, writes: 0, evictions: 0, errors: 0 };
}

/** Whole milliseconds to keep an entry (rounded up), or a RangeError for a TTL that is not positive and finite. */
export function ttlMillis(ttlMs: number): number {
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) {
    throw new RangeError(`cache TTL must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}
