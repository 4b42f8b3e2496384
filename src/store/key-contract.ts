import { describe, expect, it } from 'vitest';
import { StoreError } from '../core/errors.js';
import type { VirtualKeyRecord } from '../core/keys/virtual-key.js';
import type { InspectableStore } from './inspectable-store.js';
import type { WithDatabase } from './store-contract.js';

const t0 = Date.UTC(2026, 3, 1, 8);

/** A 64-digit hex "hash" made of one repeated digit (distinct per test key, and valid). */
const hashOf = (digit: string) => digit.repeat(64);

/** A key with every optional field set, including the awkward values a store could lose. */
export const fullKey: VirtualKeyRecord = {
  id: 'key_0123456789abcdef',
  hash: hashOf('a'),
  prefix: 'sk-frugal-AbCd',
  name: 'search team — “prod” \u{1F600}',
  createdAt: t0,
  revokedAt: t0 + 5_000,
  expiresAt: t0 + 86_400_000,
  allowedModels: ['gpt-4o', 'sim/fast', 'say "hi", {x}\\y', 'NULL'],
  requestsPerMinute: 600,
  tokensPerMinute: 2 ** 40,
  defaultFeature: 'search',
  metadata: { team: 'search', '': 'empty label', 'line\nbreak': '', null: 'NULL' },
};

/** A key with nothing optional: every absent field must come back absent, not as null, 0 or an empty list. */
export const bareKey: VirtualKeyRecord = {
  id: 'key_bare',
  hash: hashOf('b'),
  prefix: 'sk-frugal-Bare',
  createdAt: 0,
  metadata: {},
};

const key = (id: string, digit: string, createdAt: number): VirtualKeyRecord => ({
  ...bareKey,
  id,
  hash: hashOf(digit),
  createdAt,
});

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

/** The virtual keys part of the store contract: round trips, lookups by hash, order, revocation, refusals. */
export function describeKeyContract(name: string, withDatabase: WithDatabase): void {
  const withStore = <T>(work: (store: InspectableStore) => Promise<T>) =>
    withDatabase(async (database) => work(await database.open()));

  describe(`${name}: virtual keys`, () => {
    it('round-trips every field exactly, absent fields stay absent, and finds keys by hash', async () => {
      await withStore(async (store) => {
        const noModels: VirtualKeyRecord = {
          ...bareKey,
          id: 'key_none',
          hash: hashOf('c'),
          allowedModels: [],
        };
        for (const each of [fullKey, bareKey, noModels]) await store.putVirtualKey(each);
        expect(await store.getVirtualKey(fullKey.id)).toStrictEqual(fullKey);
        expect(await store.getVirtualKey(bareKey.id)).toStrictEqual(bareKey);
        expect(await store.getVirtualKey(noModels.id)).toStrictEqual(noModels);
        expect(await store.findVirtualKeyByHash(fullKey.hash)).toStrictEqual(fullKey);
        expect(await store.findVirtualKeyByHash(noModels.hash)).toStrictEqual(noModels);
        expect(await store.getVirtualKey('key_missing')).toBeUndefined();
        expect(await store.findVirtualKeyByHash(hashOf('f'))).toBeUndefined();
        // A hash is matched exactly: not by prefix, not case-insensitively.
        expect(await store.findVirtualKeyByHash(fullKey.hash.slice(0, 63))).toBeUndefined();
        expect(await store.findVirtualKeyByHash(hashOf('A'))).toBeUndefined();
      });
    });

    it('replaces a key by id, clearing fields the new record leaves out', async () => {
      await withStore(async (store) => {
        await store.putVirtualKey(fullKey);
        const replaced: VirtualKeyRecord = { ...bareKey, id: fullKey.id, hash: hashOf('d'), name: 'renamed' };
        await store.putVirtualKey(replaced);
        expect(await store.getVirtualKey(fullKey.id)).toStrictEqual(replaced);
        expect(await store.findVirtualKeyByHash(fullKey.hash)).toBeUndefined();
        expect(await store.listVirtualKeys()).toStrictEqual([replaced]);
      });
    });

    it('lists keys oldest first, then by id compared as bytes', async () => {
      await withStore(async (store) => {
        expect(await store.listVirtualKeys()).toEqual([]);
        const keys = [
          key('key_late', '1', t0 + 2),
          key('key_b', '2', t0 + 1),
          key('key_B', '3', t0 + 1),
          key('key_a', '4', t0 + 1),
          key('key_first', '5', t0),
        ];
        for (const each of keys) await store.putVirtualKey(each);
        expect((await store.listVirtualKeys()).map((each) => each.id)).toEqual([
          'key_first',
          'key_B',
          'key_a',
          'key_b',
          'key_late',
        ]);
      });
    });

    it('revokes a key once: the first time stays, unknown keys are false', async () => {
      await withStore(async (store) => {
        await store.putVirtualKey(bareKey);
        expect(await store.revokeVirtualKey(bareKey.id, t0 + 10)).toBe(true);
        expect(await store.revokeVirtualKey(bareKey.id, t0 + 20)).toBe(false);
        expect(await store.revokeVirtualKey('key_missing', t0)).toBe(false);
        expect(await store.getVirtualKey(bareKey.id)).toStrictEqual({ ...bareKey, revokedAt: t0 + 10 });
        expect(await store.findVirtualKeyByHash(bareKey.hash)).toStrictEqual({
          ...bareKey,
          revokedAt: t0 + 10,
        });
      });
    });

    it('counts one revocation when two connections revoke the same key at once', async () => {
      await withDatabase(async (database) => {
        const [left, right] = [await database.open(), await database.open()];
        await left.putVirtualKey(bareKey);
        const outcomes = await Promise.all([
          left.revokeVirtualKey(bareKey.id, t0 + 1),
          right.revokeVirtualKey(bareKey.id, t0 + 2),
          left.revokeVirtualKey(bareKey.id, t0 + 3),
        ]);
        expect(outcomes.filter(Boolean)).toHaveLength(1);
        const revokedAt = (await right.getVirtualKey(bareKey.id))?.revokedAt;
        expect(revokedAt).toBe(t0 + 1 + outcomes.indexOf(true));
      });
    });

    it('refuses a second key with a stored hash, and keeps the first', async () => {
      await withStore(async (store) => {
        await store.putVirtualKey(fullKey);
        const error = await failure(store.putVirtualKey({ ...bareKey, hash: fullKey.hash }));
        expect(error.message).not.toContain(fullKey.hash);
        expect(await store.getVirtualKey(bareKey.id)).toBeUndefined();
        expect(await store.findVirtualKeyByHash(fullKey.hash)).toStrictEqual(fullKey);
      });
    });

    it('refuses a key it cannot store faithfully, naming the key and field but never the hash', async () => {
      await withStore(async (store) => {
        const cases: [VirtualKeyRecord, RegExp][] = [
          [
            { ...bareKey, createdAt: 1.5 },
            /virtual key 'key_bare': createdAt must be a non-negative integer/,
          ],
          [{ ...bareKey, hash: 'ABC' }, /virtual key 'key_bare': hash must be 64 lowercase hex digits/],
          [{ ...bareKey, hash: hashOf('F') }, /hash must be 64 lowercase hex digits/],
          [{ ...bareKey, expiresAt: -1 }, /expiresAt must be a non-negative integer/],
          [{ ...bareKey, requestsPerMinute: 2.5 }, /requestsPerMinute must be a non-negative integer/],
          [{ ...bareKey, allowedModels: ['gpt-4o', ''] }, /allowedModels\[1\] must be a non-empty string/],
          [
            { ...bareKey, metadata: { team: 7 } as unknown as Record<string, string> },
            /metadata\.team must be a string, got 7/,
          ],
          [{ ...bareKey, id: '' }, /id must be a non-empty string/],
        ];
        for (const [record, message] of cases) {
          const error = await failure(store.putVirtualKey(record));
          expect(error.message).toMatch(message);
          expect(error.message).not.toContain(bareKey.hash);
        }
        const revocation = await failure(store.revokeVirtualKey(bareKey.id, 1.5));
        expect(revocation.message).toMatch(/revokedAt must be a non-negative integer, got 1\.5/);
        expect(await store.listVirtualKeys()).toEqual([]);
      });
    });

    it('keeps keys across close and reopen, seen from every connection', async () => {
      await withDatabase(async (database) => {
        const first = await database.open();
        await first.putVirtualKey(fullKey);
        await first.putVirtualKey(bareKey);
        const other = await database.open();
        expect(await other.findVirtualKeyByHash(bareKey.hash)).toStrictEqual(bareKey);
        await first.close();
        const reopened = await database.open();
        expect(await reopened.listVirtualKeys()).toStrictEqual([bareKey, fullKey]);
      });
    });
  });
}
