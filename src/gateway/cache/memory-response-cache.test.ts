import { describe, expect, it } from 'vitest';
import {
  createMemoryResponseCache,
  type MemoryResponseCache,
  memoryEntryBytes,
} from './memory-response-cache.js';
import { describeResponseCacheContract, jsonResponse, sseResponse } from './response-cache-contract.js';

// One clock for the suite, moved by `elapse`; several handles onto one memory cache are the same cache.
let clock = 1_000_000;
describeResponseCacheContract('memory', {
  async open(handles = 1) {
    const cache = createMemoryResponseCache({ now: () => clock });
    return Array.from({ length: handles }, () => cache);
  },
  async writeRaw(cache, key, text, ttlMs) {
    (cache as MemoryResponseCache).setEncoded(key, text, ttlMs);
  },
  async elapse(ms) {
    clock += ms;
  },
  async closeAll() {},
});

const minute = 60_000;
const withBody = (body: string) => ({ ...jsonResponse, body });

describe('memory response cache', () => {
  it('expires exactly at storage time + TTL', async () => {
    let now = 5_000;
    const cache = createMemoryResponseCache({ now: () => now });
    await cache.set('k', jsonResponse, 100);
    now += 99;
    expect(await cache.get('k')).toBeDefined();
    now += 1;
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('drops the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryResponseCache({ maxEntries: 2 });
    await cache.set('a', jsonResponse, minute);
    await cache.set('b', sseResponse, minute);
    expect(await cache.get('a')).toBeDefined(); // now b is the least recently used
    await cache.set('c', jsonResponse, minute);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.get('c')).toBeDefined();
    expect(cache.size).toBe(2);
    expect(cache.stats).toMatchObject({ writes: 3, evictions: 1 });
  });

  it('drops least recently used entries until the bytes fit, and counts bytes exactly', async () => {
    const entryBytes = memoryEntryBytes(withBody('x'.repeat(1000)));
    const cache = createMemoryResponseCache({ maxBytes: entryBytes * 3 });
    for (const key of ['a', 'b', 'c']) await cache.set(key, withBody('x'.repeat(1000)), minute);
    expect(cache.bytes).toBe(entryBytes * 3);
    await cache.get('a');
    // Twice the size of the others: b and c must both go.
    await cache.set('d', withBody('y'.repeat(1000 + entryBytes)), minute);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('c')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.get('d')).toBeDefined();
    expect(cache.stats.evictions).toBe(2);
    expect(cache.bytes).toBe(entryBytes * 3);
  });

  it('counts UTF-8 bytes, not UTF-16 code units', async () => {
    const cache = createMemoryResponseCache();
    await cache.set('k', withBody('€'.repeat(100)), minute);
    expect(cache.bytes).toBe(300 + 512);
  });

  it('does not store an entry larger than maxBytes, and keeps the others', async () => {
    const small = memoryEntryBytes(jsonResponse);
    const cache = createMemoryResponseCache({ maxBytes: small * 2 });
    await cache.set('small', jsonResponse, minute);
    await cache.set('huge', withBody('z'.repeat(small * 2)), minute);
    expect(await cache.get('huge')).toBeUndefined();
    expect(await cache.get('small')).toStrictEqual(jsonResponse);
    expect(cache.stats).toMatchObject({ writes: 1, evictions: 0, errors: 0 });
  });

  it('frees the bytes of a replaced entry', async () => {
    const cache = createMemoryResponseCache();
    await cache.set('k', withBody('x'.repeat(5000)), minute);
    await cache.set('k', jsonResponse, minute);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(memoryEntryBytes(jsonResponse));
  });

  it('refuses limits that are not positive', () => {
    expect(() => createMemoryResponseCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => createMemoryResponseCache({ maxEntries: 1.5 })).toThrow(RangeError);
    expect(() => createMemoryResponseCache({ maxBytes: 0 })).toThrow(RangeError);
  });
});
