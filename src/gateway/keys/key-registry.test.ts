import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../core/errors.js';
import type { VirtualKeyRecord } from '../../core/keys/virtual-key.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite-store.js';
import { createKeyRegistry, type KeyRegistryOptions } from './key-registry.js';
import { hashKeySecret, keyPrefix, newKeyId, newKeySecret } from './key-secret.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-key-registry-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const t0 = Date.UTC(2026, 4, 1);

let store: SqliteStore;
let counter = 0;
beforeEach(async () => {
  store = await openSqliteStore({ path: join(root, `keys-${counter++}.db`) });
});
afterEach(async () => {
  await store.close();
});

/** The real store, counting (and on request failing) its lookups by hash. */
function countingStore() {
  const counted = {
    lookups: 0,
    failNext: false,
    async findVirtualKeyByHash(hash: string) {
      counted.lookups++;
      if (counted.failNext) {
        counted.failNext = false;
        throw new StoreError('test.db', 'the database is locked');
      }
      return store.findVirtualKeyByHash(hash);
    },
  };
  return counted;
}

async function createKey(
  fields: Partial<VirtualKeyRecord> = {},
): Promise<{ secret: string; key: VirtualKeyRecord }> {
  const secret = newKeySecret();
  const key: VirtualKeyRecord = {
    id: newKeyId(),
    hash: hashKeySecret(secret),
    prefix: keyPrefix(secret),
    createdAt: t0,
    metadata: {},
    ...fields,
  };
  await store.putVirtualKey(key);
  return { secret, key };
}

function setup(options: Partial<KeyRegistryOptions> = {}) {
  const clock = { time: t0 };
  const counted = countingStore();
  const registry = createKeyRegistry({ store: counted, now: () => clock.time, ...options });
  return { clock, counted, registry };
}

describe('key registry', () => {
  it('finds a key by its secret and refuses unknown and malformed secrets', async () => {
    const { registry, counted } = setup();
    const { secret, key } = await createKey({ name: 'search' });
    expect(await registry.authenticate(secret)).toStrictEqual({ ok: true, key });
    expect(await registry.authenticate(newKeySecret())).toStrictEqual({ ok: false, reason: 'unknown' });
    expect(counted.lookups).toBe(2);
    for (const malformed of ['', 'sk-proj-abc', `${secret}x`, secret.slice(0, -1), ` ${secret}`]) {
      expect(await registry.authenticate(malformed)).toStrictEqual({ ok: false, reason: 'unknown' });
    }
    expect(counted.lookups).toBe(2);
  });

  it('caches found keys and unknown secrets for cacheTtlMs, then looks again', async () => {
    const { registry, counted, clock } = setup({ cacheTtlMs: 1_000 });
    const { secret } = await createKey();
    const bad = newKeySecret();
    for (let round = 0; round < 5; round++) {
      expect((await registry.authenticate(secret)).ok).toBe(true);
      expect(await registry.authenticate(bad)).toStrictEqual({ ok: false, reason: 'unknown' });
    }
    expect(counted.lookups).toBe(2);
    clock.time += 999;
    await registry.authenticate(secret);
    await registry.authenticate(bad);
    expect(counted.lookups).toBe(2);
    clock.time += 1;
    await registry.authenticate(secret);
    await registry.authenticate(bad);
    expect(counted.lookups).toBe(4);
  });

  it('caches nothing with a cacheTtlMs of 0', async () => {
    const { registry, counted } = setup({ cacheTtlMs: 0 });
    const { secret } = await createKey();
    await registry.authenticate(secret);
    await registry.authenticate(secret);
    expect(counted.lookups).toBe(2);
  });

  it('shares one lookup between concurrent requests with the same secret', async () => {
    const { registry, counted } = setup();
    const { secret } = await createKey();
    const bad = newKeySecret();
    const answers = await Promise.all(
      [secret, secret, bad, secret, bad].map((each) => registry.authenticate(each)),
    );
    expect(answers.map((answer) => answer.ok)).toEqual([true, true, false, true, false]);
    expect(counted.lookups).toBe(2);
  });

  it('refuses a key revoked by another replica once its cached record is older than cacheTtlMs', async () => {
    const { registry, clock } = setup({ cacheTtlMs: 5_000 });
    const { secret, key } = await createKey();
    expect((await registry.authenticate(secret)).ok).toBe(true);
    expect(await store.revokeVirtualKey(key.id, clock.time)).toBe(true);
    clock.time += 4_999;
    expect((await registry.authenticate(secret)).ok).toBe(true);
    clock.time += 1;
    expect(await registry.authenticate(secret)).toStrictEqual({ ok: false, reason: 'revoked' });
  });

  it('refuses a key revoked in this process at once, after invalidate', async () => {
    const { registry, clock, counted } = setup({ cacheTtlMs: 60_000 });
    const { secret, key } = await createKey();
    const { secret: other } = await createKey();
    expect((await registry.authenticate(secret)).ok).toBe(true);
    expect((await registry.authenticate(other)).ok).toBe(true);
    await store.revokeVirtualKey(key.id, clock.time);
    registry.invalidate(key.id);
    expect(await registry.authenticate(secret)).toStrictEqual({ ok: false, reason: 'revoked' });
    expect((await registry.authenticate(other)).ok).toBe(true);
    expect(counted.lookups).toBe(3);
  });

  it('does not cache a lookup that was under way when its key was invalidated', async () => {
    const { registry, clock } = setup({ cacheTtlMs: 60_000 });
    const { secret, key } = await createKey();
    const racing = registry.authenticate(secret);
    registry.invalidate(key.id);
    await store.revokeVirtualKey(key.id, clock.time);
    // The racing request read the key before it was revoked (or after): either answer is fair for it...
    expect([true, false]).toContain((await racing).ok);
    // ...but nothing it read may be served afterwards.
    expect(await registry.authenticate(secret)).toStrictEqual({ ok: false, reason: 'revoked' });
  });

  it('refuses an expired key from the moment it expires, cached or not', async () => {
    const { registry, clock } = setup({ cacheTtlMs: 60_000 });
    const { secret } = await createKey({ expiresAt: t0 + 1_000 });
    const { secret: old } = await createKey({ expiresAt: t0 });
    expect((await registry.authenticate(secret)).ok).toBe(true);
    expect(await registry.authenticate(old)).toStrictEqual({ ok: false, reason: 'expired' });
    clock.time += 999;
    expect((await registry.authenticate(secret)).ok).toBe(true);
    clock.time += 1;
    expect(await registry.authenticate(secret)).toStrictEqual({ ok: false, reason: 'expired' });
  });

  it('says revoked rather than expired for a key that is both', async () => {
    const { registry } = setup();
    const { secret } = await createKey({ expiresAt: t0 - 10, revokedAt: t0 - 20 });
    expect(await registry.authenticate(secret)).toStrictEqual({ ok: false, reason: 'revoked' });
  });

  it('bounds its caches, and a flood of bad secrets does not evict the good keys', async () => {
    const { registry, counted } = setup({ maxCachedKeys: 2 });
    const { secret } = await createKey();
    await registry.authenticate(secret);
    const bad = Array.from({ length: 3 }, newKeySecret);
    for (const each of bad) await registry.authenticate(each);
    expect(counted.lookups).toBe(4);
    // The first bad secret was evicted (least recently used); the good key was not.
    await registry.authenticate(secret);
    expect(counted.lookups).toBe(4);
    await registry.authenticate(bad[2]!);
    expect(counted.lookups).toBe(4);
    await registry.authenticate(bad[0]!);
    expect(counted.lookups).toBe(5);
  });

  it('throws store failures without caching them', async () => {
    const { registry, counted } = setup();
    const { secret } = await createKey();
    counted.failNext = true;
    await expect(registry.authenticate(secret)).rejects.toBeInstanceOf(StoreError);
    expect((await registry.authenticate(secret)).ok).toBe(true);
    expect(counted.lookups).toBe(2);
  });
});
