import { afterEach, describe, expect, it } from 'vitest';
import type { CachedResponse, ResponseCache } from './response-cache.js';

/** What an implementation's test file gives the contract suite. */
export type ResponseCacheHarness = {
  /** Handles onto one fresh, empty cache: each its own connection where the implementation has them. */
  open(handles?: number): Promise<readonly ResponseCache[]>;
  /** Stores `text` under `key` as it is, past the codec: how a corrupt entry is made. */
  writeRaw(cache: ResponseCache, key: string, text: string, ttlMs: number): Promise<void>;
  /** Lets `ms` pass for the cache's expiry: an injected clock moved, or real time waited. */
  elapse(ms: number): Promise<void>;
  /** Closes whatever `open` opened (run after each test). */
  closeAll(): Promise<void>;
};

/** A cost beyond 2^64 pico-dollars: exact only if it never went through a float. */
const bigCost = 2n ** 64n + 123n;

export const jsonResponse: CachedResponse = {
  kind: 'json',
  body: '{"id":"chatcmpl-1","choices":[{"message":{"content":"Grüße 👋 \\"quoted\\"\\n"}}]}',
  contentType: 'application/json',
  model: 'gpt-4o-mini-2024-07-18',
  provider: 'openai',
  usage: { input: 1200, cachedInput: 1024, output: 35, reasoning: 0 },
  cost: { status: 'priced', total: bigCost, priceId: 'gpt-4o-mini', source: 'litellm:gpt-4o-mini' },
  spanId: '0123456789abcdef',
  storedAt: 1_760_000_000_123,
};

export const sseResponse: CachedResponse = {
  kind: 'sse',
  body: 'data: {"choices":[{"delta":{"content":"Hi"}}]}\r\n\r\ndata: [DONE]\n\n',
  contentType: 'text/event-stream; charset=utf-8',
  model: 'claude-sonnet-4-5',
  provider: 'anthropic',
  cost: { status: 'unpriced', reason: 'unknown-model', message: 'no price for claude-sonnet-4-5' },
  spanId: 'fedcba9876543210',
  storedAt: 1_760_000_000_456,
};

const minute = 60_000;

/** The contract every ResponseCache keeps (memory and Redis). */
export function describeResponseCacheContract(name: string, harness: ResponseCacheHarness): void {
  describe(`${name} response cache`, () => {
    afterEach(() => harness.closeAll());
    const one = async () => (await harness.open())[0]!;

    it('gives back exactly what was stored: bytes, usage, and a cost beyond 2^64 pico-dollars', async () => {
      const cache = await one();
      await cache.set('v1:json', jsonResponse, minute);
      await cache.set('v1:sse', sseResponse, minute);
      const json = await cache.get('v1:json');
      expect(json).toStrictEqual(jsonResponse);
      expect(json?.cost?.status === 'priced' && json.cost.total).toBe(bigCost);
      expect(await cache.get('v1:sse')).toStrictEqual(sseResponse);
      expect(cache.stats).toEqual({ hits: 2, misses: 0, writes: 2, evictions: 0, errors: 0 });
    });

    it('keeps an entry without usage or cost as such', async () => {
      const cache = await one();
      const { usage: _usage, cost: _cost, ...bare } = jsonResponse;
      await cache.set('k', bare, minute);
      expect(await cache.get('k')).toStrictEqual(bare);
    });

    it('misses an absent key and counts it', async () => {
      const cache = await one();
      expect(await cache.get('v1:absent')).toBeUndefined();
      expect(cache.stats).toEqual({ hits: 0, misses: 1, writes: 0, evictions: 0, errors: 0 });
    });

    it('expires an entry after its TTL', async () => {
      const cache = await one();
      await cache.set('short', jsonResponse, 50);
      await cache.set('long', sseResponse, minute);
      expect(await cache.get('short')).toStrictEqual(jsonResponse);
      await harness.elapse(120);
      expect(await cache.get('short')).toBeUndefined();
      expect(await cache.get('long')).toStrictEqual(sseResponse);
      expect(cache.stats).toMatchObject({ hits: 2, misses: 1 });
    });

    it('keeps keys apart, prefixes of each other included, and lets a write replace an entry', async () => {
      const cache = await one();
      await cache.set('v1:ab', jsonResponse, minute);
      await cache.set('v1:abc', sseResponse, minute);
      expect(await cache.get('v1:a')).toBeUndefined();
      expect(await cache.get('v1:ab')).toStrictEqual(jsonResponse);
      expect(await cache.get('v1:abc')).toStrictEqual(sseResponse);
      const newer = { ...jsonResponse, body: '{"id":"chatcmpl-2"}', storedAt: jsonResponse.storedAt + 1 };
      await cache.set('v1:ab', newer, minute);
      expect(await cache.get('v1:ab')).toStrictEqual(newer);
    });

    it('reads a corrupt entry as a miss, counts an error, and heals on the next write', async () => {
      const cache = await one();
      const good = JSON.parse(JSON.stringify({ ...jsonResponse, cost: undefined })) as Record<
        string,
        unknown
      >;
      const corrupt = [
        'not json at all',
        '{"format":1}',
        JSON.stringify({
          ...good,
          format: 1,
          cost: { status: 'priced', total: '1.5', priceId: 'p', source: 's' },
        }),
        JSON.stringify({ ...good, format: 1, usage: { input: -3 } }),
        JSON.stringify({ ...good, format: 99 }),
      ];
      for (const [index, text] of corrupt.entries()) {
        await harness.writeRaw(cache, `bad-${index}`, text, minute);
        await expect(cache.get(`bad-${index}`)).resolves.toBeUndefined();
      }
      expect(cache.stats).toMatchObject({ hits: 0, misses: corrupt.length, errors: corrupt.length });
      await cache.set('bad-0', jsonResponse, minute);
      expect(await cache.get('bad-0')).toStrictEqual(jsonResponse);
    });

    it('refuses a TTL that is not a positive number of milliseconds', async () => {
      const cache = await one();
      for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(cache.set('k', jsonResponse, ttl)).rejects.toThrow(RangeError);
      }
      expect(await cache.get('k')).toBeUndefined();
    });

    it('shares entries between handles', async () => {
      const [first, second] = await harness.open(2);
      await first!.set('shared', sseResponse, minute);
      expect(await second!.get('shared')).toStrictEqual(sseResponse);
    });
  });
}
