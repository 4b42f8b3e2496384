import { Buffer } from 'node:buffer';
import { decodeCachedResponse } from './cached-response-codec.js';
import { type CachedResponse, emptyCacheStats, type ResponseCache, ttlMillis } from './response-cache.js';

export type MemoryResponseCacheOptions = {
  /** At most this many entries (default 1,000). */
  readonly maxEntries?: number | undefined;
  /** At most this many bytes of stored entries (default 16 MiB); a larger entry is not stored. */
  readonly maxBytes?: number | undefined;
  /** Epoch ms, for TTLs (default `Date.now`). */
  readonly now?: (() => number) | undefined;
};

/** The in-process cache, with its current size. */
export type MemoryResponseCache = ResponseCache & {
  /** Entries held, expired ones not yet dropped included. */
  readonly size: number;
  /** UTF-8 bytes of the entries held. */
  readonly bytes: number;
  /** Stores an entry's encoded text as it is (an import, or a test of a corrupt entry). */
  setEncoded(key: string, text: string, ttlMs: number): void;
};

/** An entry: the value itself (kept as given: cached responses are immutable), or encoded text (`setEncoded`). */
type Slot = {
  readonly value?: CachedResponse | undefined;
  readonly text?: string | undefined;
  readonly bytes: number;
  readonly expiresAt: number;
};

/** What an entry's fields other than its body are counted as, in bytes (ids, model, usage, cost). */
const entryOverheadBytes = 512;

/** The bytes an entry counts for against `maxBytes`: its body's UTF-8 size plus 512 for the rest. */
export function memoryEntryBytes(value: CachedResponse): number {
  return Buffer.byteLength(value.body, 'utf8') + entryOverheadBytes;
}

/**
 * An exact response cache in this process, least recently used entries dropped first when either limit is
 * reached. Entries are kept as given (a cached response is immutable: no encoding on the request path); the byte
 * limit counts each body plus a fixed 512 bytes for the rest. Expiry is checked on read.
 */
export function createMemoryResponseCache(options: MemoryResponseCacheOptions = {}): MemoryResponseCache {
  const maxEntries = options.maxEntries ?? 1_000;
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const now = options.now ?? Date.now;
  if (!(Number.isInteger(maxEntries) && maxEntries > 0)) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${maxBytes}`);
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const slots = new Map<string, Slot>();
  const stats = emptyCacheStats();
  let bytes = 0;

  function drop(key: string): void {
    const slot = slots.get(key);
    if (slot === undefined) return;
    slots.delete(key);
    bytes -= slot.bytes;
  }

  function store(key: string, entry: { value: CachedResponse } | { text: string }, ttlMs: number): void {
    const expiresAt = now() + ttlMillis(ttlMs);
    drop(key);
    const size = 'value' in entry ? memoryEntryBytes(entry.value) : Buffer.byteLength(entry.text, 'utf8');
    if (size > maxBytes) return;
    const slot: Slot =
      'value' in entry
        ? { value: entry.value, text: undefined, bytes: size, expiresAt }
        : { value: undefined, text: entry.text, bytes: size, expiresAt };
    slots.set(key, slot);
    bytes += size;
    stats.writes += 1;
    if (slots.size <= maxEntries && bytes <= maxBytes) return;
    for (const oldest of slots.keys()) {
      if (slots.size <= maxEntries && bytes <= maxBytes) break;
      drop(oldest);
      stats.evictions += 1;
    }
  }

  return {
    async get(key) {
      const slot = slots.get(key);
      if (slot === undefined || slot.expiresAt <= now()) {
        drop(key);
        stats.misses += 1;
        return undefined;
      }
      let value: CachedResponse;
      try {
        value = slot.value ?? decodeCachedResponse(slot.text ?? '');
      } catch {
        drop(key);
        stats.misses += 1;
        stats.errors += 1;
        return undefined;
      }
      slots.delete(key);
      slots.set(key, slot);
      stats.hits += 1;
      return value;
    },
    async set(key, value, ttlMs) {
      store(key, { value }, ttlMs);
    },
    setEncoded: (key, text, ttlMs) => store(key, { text }, ttlMs),
    stats,
    get size() {
      return slots.size;
    },
    get bytes() {
      return bytes;
    },
    async close() {
      slots.clear();
      bytes = 0;
    },
  };
}
