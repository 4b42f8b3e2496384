import type { VirtualKeyRecord } from '../../core/keys/virtual-key.js';
import type { Store } from '../../store/store.js';
import { hashKeySecret, keySecretPattern } from './key-secret.js';

/** Why a secret was refused: no key has it, its key was revoked, or its key expired. */
export type KeyRefusal = 'unknown' | 'revoked' | 'expired';

export type KeyAuthentication =
  | { readonly ok: true; readonly key: VirtualKeyRecord }
  | { readonly ok: false; readonly reason: KeyRefusal };

/**
 * Finds the virtual key a request's secret belongs to. Lookups are by the secret's SHA-256 and cached, found and
 * not found alike, for `cacheTtlMs` (default 5 s), so that neither busy keys nor a flood of bad ones hit the
 * store on every request; each cache holds at most `maxCachedKeys` entries (default 10,000), least recently
 * used first out. Concurrent lookups of one hash share one query. Strings that are not shaped like a frugal
 * secret are refused without any lookup; distinct well-formed bad secrets cost one lookup each (per-client rate
 * limits are what cap those).
 *
 * Revocation and expiry are checked against `now()` on every call, cached record or not. A key revoked through
 * this process's admin API is refused at once (the admin API calls `invalidate`); one revoked through another
 * replica (or the CLI) is refused here once the cached record is older than `cacheTtlMs`. Store failures are
 * thrown (never cached), for the server to answer 5xx.
 */
export type KeyRegistry = {
  authenticate(secret: string): Promise<KeyAuthentication>;
  /** Forgets what is cached of the key with this id (after it is revoked or replaced). */
  invalidate(id: string): void;
};

export type KeyRegistryOptions = {
  readonly store: Pick<Store, 'findVirtualKeyByHash'>;
  /** Epoch ms (default `Date.now`). */
  readonly now?: (() => number) | undefined;
  /** How long a lookup's answer is reused (default 5,000 ms; 0 turns caching off). */
  readonly cacheTtlMs?: number | undefined;
  /** Most keys, and most unknown hashes, cached at once (default 10,000 each). */
  readonly maxCachedKeys?: number | undefined;
};

type Cached = { readonly key: VirtualKeyRecord | undefined; readonly until: number };

/** A Map used as an LRU: reading an entry moves it to the back; the front is evicted past `limit`. */
class Recent<K, V> {
  readonly #entries = new Map<K, V>();
  constructor(readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** The entry without touching its place in line. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.limit) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }
}

export function createKeyRegistry(options: KeyRegistryOptions): KeyRegistry {
  const { store } = options;
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? 5_000;
  const limit = options.maxCachedKeys ?? 10_000;
  // Known keys and unknown hashes are cached apart: a flood of bad secrets cannot evict the good keys.
  const known = new Recent<string, Cached>(limit);
  const unknown = new Recent<string, Cached>(limit);
  const hashById = new Map<string, string>();
  const inFlight = new Map<string, Promise<VirtualKeyRecord | undefined>>();
  // Bumped by `invalidate`: a lookup that started before it must not cache what it read.
  let generation = 0;

  function remember(hash: string, key: VirtualKeyRecord | undefined): void {
    const entry = { key, until: now() + ttl };
    if (key === undefined) {
      unknown.set(hash, entry);
      return;
    }
    known.set(hash, entry);
    hashById.set(key.id, hash);
    // Bounded like the cache: ids whose entries were evicted are pruned when the map outgrows it.
    if (hashById.size > 2 * limit) {
      for (const [id, each] of hashById) if (known.peek(each)?.key?.id !== id) hashById.delete(id);
    }
  }

  async function lookup(hash: string): Promise<VirtualKeyRecord | undefined> {
    const cached = known.get(hash) ?? unknown.get(hash);
    if (cached !== undefined && cached.until > now()) return cached.key;
    let pending = inFlight.get(hash);
    if (pending === undefined) {
      const started = generation;
      pending = store.findVirtualKeyByHash(hash).then((key) => {
        if (ttl > 0 && started === generation) remember(hash, key);
        return key;
      });
      inFlight.set(hash, pending);
      const settled = () => {
        if (inFlight.get(hash) === pending) inFlight.delete(hash);
      };
      pending.then(settled, settled);
    }
    return pending;
  }

  return {
    async authenticate(secret) {
      if (!keySecretPattern.test(secret)) return { ok: false, reason: 'unknown' };
      const key = await lookup(hashKeySecret(secret));
      if (key === undefined) return { ok: false, reason: 'unknown' };
      const time = now();
      if (key.revokedAt !== undefined && key.revokedAt <= time) return { ok: false, reason: 'revoked' };
      if (key.expiresAt !== undefined && key.expiresAt <= time) return { ok: false, reason: 'expired' };
      return { ok: true, key };
    },
    invalidate(id) {
      generation++;
      const hash = hashById.get(id);
      if (hash === undefined) return;
      hashById.delete(id);
      known.delete(hash);
      inFlight.delete(hash);
    },
  };
}
