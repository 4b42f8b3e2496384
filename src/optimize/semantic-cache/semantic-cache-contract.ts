import { afterEach, describe, expect, it } from 'vitest';
import { createLocalHashEmbedder } from './local-hash-embedder.js';
import { createSemanticCache, type SemanticCache, type SemanticCacheOptions } from './semantic-cache.js';
import type { SemanticCacheStorage } from './semantic-cache-storage.js';
import type { SemanticNamespaceParts } from './semantic-namespace.js';

/** What a storage's test file gives the contract suite. */
export type SemanticStorageHarness = {
  /** Handles onto one fresh, empty storage: each its own connection where the implementation has them. */
  open(handles?: number): Promise<readonly SemanticCacheStorage[]>;
  /** Closes whatever `open` opened (run after each test). */
  closeAll(): Promise<void>;
};

/** A cost beyond 2^64 pico-dollars: exact only if it never went through a float. */
const bigCost = 2n ** 64n + 123n;
const day = 86_400_000;
const embedder = createLocalHashEmbedder();
const support: SemanticNamespaceParts = {
  model: 'gpt-4o-mini',
  system: 'You are a support agent.',
  parameters: { temperature: 0 },
};
const question = 'How do I reset my password?';
const rephrased = 'how do i reset my password'; // similarity ≈ 1
const answer = (text: string) => ({ namespace: support, text, answer: `answer to ${text}`, cost: bigCost });

/** The smallest double above `value`: the threshold just out of reach of a score. */
function nextUp(value: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

/** The contract every SemanticCacheStorage keeps, through the cache (memory and Redis). */
export function describeSemanticCacheContract(name: string, harness: SemanticStorageHarness): void {
  describe(`semantic cache on ${name} storage`, () => {
    afterEach(() => harness.closeAll());
    let clock = 1_760_000_000_000;
    const open = async (storage: SemanticCacheStorage, options: Partial<SemanticCacheOptions> = {}) =>
      createSemanticCache({
        embedder,
        threshold: 0.9,
        storage,
        now: () => clock,
        syncIntervalMs: 0,
        ...options,
      });
    const one = async (options: Partial<SemanticCacheOptions> = {}) =>
      open((await harness.open())[0]!, options);
    const served = async (cache: SemanticCache, text: string, namespace = support) =>
      (await cache.lookup({ namespace, text })).hit;

    it('serves a stored answer to a near-identical question and counts its exact cost as saved', async () => {
      const cache = await one();
      const miss = await cache.lookup({ namespace: support, text: question });
      expect(miss).toMatchObject({ hit: false, score: undefined });
      await cache.store({ ...answer(question), vector: miss.vector });
      const hit = await cache.lookup({ namespace: support, text: rephrased });
      expect(hit).toMatchObject({
        hit: true,
        answer: `answer to ${question}`,
        cost: bigCost,
        storedAt: clock,
      });
      expect(hit.score).toBeGreaterThan(0.99);
      await cache.store({ ...answer('What are your opening hours?'), cost: undefined });
      expect(await cache.lookup({ namespace: support, text: 'what are your opening hours' })).toMatchObject({
        hit: true,
        cost: undefined,
      });
      expect(cache.stats).toMatchObject({ hits: 2, misses: 1, writes: 2, saved: bigCost, unpricedHits: 1 });
      expect(await served(cache, 'Where is my parcel?')).toBe(false);
    });

    it('never serves an answer across models, system prompts, parameters, conversations or embedders', async () => {
      const [first, second] = await harness.open(2);
      const cache = await open(first!);
      await cache.store(answer(question));
      expect(await served(cache, question)).toBe(true);
      for (const namespace of [
        { ...support, model: 'gpt-4o' },
        { ...support, system: 'You are a pirate.' },
        { ...support, parameters: { temperature: 1 } },
        { ...support, context: [{ role: 'user', content: 'I use the mobile app' }] },
        { ...support, scope: 'tenant-2' },
      ]) {
        expect(await served(cache, question, namespace)).toBe(false);
      }
      const otherEmbedder = await open(second!, { embedder: createLocalHashEmbedder({ dimensions: 256 }) });
      expect(await served(otherEmbedder, question)).toBe(false);
    });

    it('serves at exactly the threshold and not a hair above it', async () => {
      const [a, b, c] = await harness.open(3);
      const cache = await open(a!, { threshold: 0.1 });
      await cache.store(answer('How can I lose weight fast?'));
      const { score } = await cache.lookup({ namespace: support, text: 'How can I lose weight quickly?' });
      expect(score).toBeGreaterThan(0.5);
      expect(score).toBeLessThan(0.99);
      const at = await open(b!, { threshold: score! });
      const above = await open(c!, { threshold: nextUp(score!) });
      expect(await served(at, 'How can I lose weight quickly?')).toBe(true);
      expect(await served(above, 'How can I lose weight quickly?')).toBe(false);
    });

    it('expires an entry at its TTL', async () => {
      const cache = await one({ ttlMs: day });
      await cache.store(answer(question));
      clock += day - 1;
      expect(await served(cache, question)).toBe(true);
      clock += 1;
      expect(await served(cache, question)).toBe(false);
      expect(cache.size).toBe(0);
    });

    it('evicts the least recently used entry beyond maxEntries', async () => {
      const cache = await one({ maxEntries: 2 });
      await cache.store(answer('How do I cancel my order?'));
      clock += 1;
      await cache.store(answer('Where can I download my invoice?'));
      clock += 1;
      expect(await served(cache, 'how do i cancel my order')).toBe(true); // now the most recent
      clock += 1;
      await cache.store(answer('Do you ship to Canada?'));
      expect(cache.stats.evictions).toBe(1);
      expect(cache.size).toBe(2);
      expect(await served(cache, 'where can i download my invoice')).toBe(false);
      expect(await served(cache, 'how do i cancel my order')).toBe(true);
      expect(await served(cache, 'do you ship to canada')).toBe(true);
    });

    it('shares entries, recency and evictions between replicas, and a new replica replays them', async () => {
      const [a, b, c] = await harness.open(3);
      const first = await open(a!, { maxEntries: 2 });
      const second = await open(b!, { maxEntries: 2 });
      await first.store(answer('How do I cancel my order?'));
      clock += 1;
      await first.store(answer('Where can I download my invoice?'));
      clock += 1;
      expect(await served(second, 'how do i cancel my order')).toBe(true); // a hit on B refreshes it for A
      clock += 1;
      await second.store(answer('Do you ship to Canada?')); // evicts the invoice entry, everywhere
      expect(await served(first, 'where can i download my invoice')).toBe(false);
      expect(await served(first, 'do you ship to canada')).toBe(true);
      expect(await served(first, 'how do i cancel my order')).toBe(true);
      const third = await open(c!, { maxEntries: 2 });
      expect(third.size).toBe(2);
      expect(await served(third, 'do you ship to canada')).toBe(true);
      expect([first.size, second.size]).toEqual([2, 2]);
    });

    it('refuses impossible settings with a clear message', async () => {
      const [storage] = await harness.open();
      await expect(open(storage!, { threshold: 0 })).rejects.toThrow(
        'semantic cache: threshold must be in (0, 1], got 0',
      );
      await expect(open(storage!, { threshold: 1.5 })).rejects.toThrow(/threshold/);
      await expect(open(storage!, { ttlMs: -1 })).rejects.toThrow('ttlMs must be a positive number');
      await expect(open(storage!, { maxEntries: 0.5 })).rejects.toThrow(
        'maxEntries must be a positive integer',
      );
    });
  });
}
