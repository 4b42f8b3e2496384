import { describe, expect, it } from 'vitest';
import { connectRedis, type RedisConnection } from '../../control/redis-scripts.js';
import { createLocalHashEmbedder } from './local-hash-embedder.js';
import { createRedisSemanticCacheStorage } from './redis-semantic-cache-storage.js';
import { createSemanticCache } from './semantic-cache.js';
import { describeSemanticCacheContract } from './semantic-cache-contract.js';

// CI exports FRUGAL_TEST_REDIS_URL (see ../shared/services.sh). Without it this file FAILS rather than skips, so
// that a green run always means the Redis implementation was really tested.
const url = process.env['FRUGAL_TEST_REDIS_URL'];
const run = `${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
let counter = 0;

if (url === undefined) {
  describe('Redis semantic cache storage', () => {
    it('needs FRUGAL_TEST_REDIS_URL', () => {
      throw new Error(
        'FRUGAL_TEST_REDIS_URL is not set: start Redis with `eval "$(bash ../shared/services.sh)"` and rerun',
      );
    });
  });
} else {
  // Every open gets its own key prefix, deleted afterwards; each handle is its own connection (a replica).
  const opened: { connections: RedisConnection[]; prefix: string }[] = [];
  const newPrefix = () => `frugal-test:${run}:${++counter}:semantic:`;
  const cleanUp = async () => {
    const admin = await connectRedis(url);
    for (const { connections, prefix } of opened.splice(0)) {
      const keys = (await admin.command(['KEYS', `${prefix}*`])) as string[];
      if (keys.length > 0) await admin.command(['DEL', ...keys]);
      await Promise.all(connections.map((connection) => connection.close().catch(() => {})));
    }
    await admin.close();
  };

  describeSemanticCacheContract('Redis', {
    async open(handles = 1) {
      const prefix = newPrefix();
      const connections = await Promise.all(Array.from({ length: handles }, () => connectRedis(url)));
      opened.push({ connections, prefix });
      return connections.map((connection) => createRedisSemanticCacheStorage(connection, { prefix }));
    },
    closeAll: cleanUp,
  });

  describe('Redis semantic cache storage', () => {
    const namespace = { model: 'gpt-4o-mini', system: '', parameters: {} };

    it('keeps the answer under the prefix with the TTL, and the vector in the log', async () => {
      const prefix = newPrefix();
      const connection = await connectRedis(url);
      opened.push({ connections: [connection], prefix });
      const cache = await createSemanticCache({
        embedder: createLocalHashEmbedder(),
        threshold: 0.9,
        ttlMs: 60_000,
        storage: createRedisSemanticCacheStorage(connection, { prefix }),
      });
      try {
        await cache.store({ namespace, text: 'hello', answer: 'hi', cost: 5n });
        const [key] = (await connection.command(['KEYS', `${prefix}entry:*`])) as string[];
        const ttl = Number(await connection.command(['PTTL', key!]));
        expect(ttl).toBeGreaterThan(55_000);
        expect(ttl).toBeLessThanOrEqual(60_000);
        expect(JSON.parse((await connection.command(['GET', key!])) as string)).toMatchObject({
          answer: 'hi',
          cost: '5',
        });
        expect(Number(await connection.command(['XLEN', `${prefix}log`]))).toBe(1);
        expect(Number(await connection.command(['ZCARD', `${prefix}lru`]))).toBe(1);
      } finally {
        await cleanUp();
      }
    });

    it('turns a lost connection into misses, dropped writes and counted errors, never a rejection', async () => {
      const prefix = newPrefix();
      const connection = await connectRedis(url, () => {});
      const errors: unknown[] = [];
      const cache = await createSemanticCache({
        embedder: createLocalHashEmbedder(),
        threshold: 0.9,
        storage: createRedisSemanticCacheStorage(connection, { prefix }),
        onError: (error) => errors.push(error),
        syncIntervalMs: 0,
      });
      await cache.store({ namespace, text: 'hello', answer: 'hi', cost: 5n });
      await connection.close();
      await expect(cache.lookup({ namespace, text: 'hello' })).resolves.toMatchObject({ hit: false });
      await expect(
        cache.store({ namespace, text: 'bye', answer: 'ciao', cost: 1n }),
      ).resolves.toBeUndefined();
      expect(cache.stats).toMatchObject({ hits: 0, misses: 1, writes: 1 });
      expect(cache.stats.errors).toBeGreaterThanOrEqual(2);
      expect(errors.length).toBe(cache.stats.errors);
      opened.push({ connections: [], prefix });
      await cleanUp();
    });
  });
}
