import type { SemanticAnswer, SemanticCacheStorage, SemanticChange } from './semantic-cache-storage.js';

type Held = SemanticAnswer & { readonly expiresAt: number };
type Logged = { readonly sequence: number; readonly at: number; readonly change: SemanticChange };

/**
 * Semantic cache entries in this process's memory: for one gateway, for tests, and for caches that share a
 * storage object in-process. `entries` is kept in least-recently-used order (a hit moves its entry to the
 * end), `expiring` in insertion order; the change log is trimmed to the entries' TTL as in Redis.
 */
export function createMemorySemanticCacheStorage(): SemanticCacheStorage {
  const entries = new Map<string, Held>();
  const expiring = new Map<string, number>();
  const log: Logged[] = [];
  let sequence = 0;

  function append(change: SemanticChange, at: number): void {
    log.push({ sequence: ++sequence, at, change });
  }

  function drop(id: string, at: number): void {
    entries.delete(id);
    expiring.delete(id);
    append({ type: 'remove', id }, at);
  }

  return {
    async add(entry, { maxEntries, now }) {
      // Entries that expired are dropped from the oldest on (with one TTL for all, insertion order is expiry order).
      for (const [id, expiresAt] of expiring) {
        if (expiresAt > now) break;
        drop(id, now);
      }
      const ttl = entry.expiresAt - entry.storedAt;
      let stale = 0;
      while (stale < log.length && log[stale]!.at < now - ttl) stale++;
      log.splice(0, stale);
      const { id, namespace, vector, expiresAt, answer, cost, storedAt } = entry;
      entries.delete(id);
      expiring.delete(id);
      entries.set(id, { answer, cost, storedAt, expiresAt });
      expiring.set(id, expiresAt);
      append({ type: 'add', id, namespace, vector: vector.slice(), expiresAt }, now);
      const evicted: string[] = [];
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        drop(oldest, now);
        evicted.push(oldest);
      }
      return evicted;
    },
    async get(id, now) {
      const held = entries.get(id);
      if (held === undefined || held.expiresAt <= now) return undefined;
      entries.delete(id);
      entries.set(id, held);
      return { answer: held.answer, cost: held.cost, storedAt: held.storedAt };
    },
    async changes(cursor) {
      // Sequences are consecutive, so the first change after `cursor` is found by subtraction.
      const after = cursor === undefined ? 0 : Number(cursor);
      const next = log.slice(Math.max(0, after - (log[0]?.sequence ?? 0) + 1));
      return {
        changes: next.map((logged) => logged.change),
        cursor: next.length === 0 ? cursor : String(next[next.length - 1]!.sequence),
      };
    },
    async close() {},
  };
}
