import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectRedis, type RedisConnection } from '../../control/redis-scripts.js';
import { createRedisResponseCache } from './redis-response-cache.js';
import type { ResponseCache } from './response-cache.js';
import { describeResponseCacheContract, jsonResponse } from './response-cache-contract.js';

// CI exports FRUGAL_TEST_REDIS_URL (see ../shared/services.sh). Without it this file FAILS rather than skips, so
// that a green run always means the Redis implementation was really tested.
const url = process.env['FRUGAL_TEST_REDIS_URL'];
const run = `${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
let counter = 0;
const minute = 60_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A TCP relay to Redis that can be cut and restored, to see the cache through an outage. */
async function relayTo(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = tcpConnect(Number(target.port || 6379), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => {});
          socket.on('close', () => sockets.delete(socket));
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  await start();
  return {
    url: () => `redis://127.0.0.1:${port}`,
    async cut() {
      const closed = new Promise((resolve) => server!.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: start,
  };
}

if (url === undefined) {
  describe('Redis response cache', () => {
    it('needs FRUGAL_TEST_REDIS_URL', () => {
      throw new Error(
        'FRUGAL_TEST_REDIS_URL is not set: start Redis with `eval "$(bash ../shared/services.sh)"` and rerun',
      );
    });
  });
} else {
  // Every open gets its own key prefix, deleted afterwards: parallel files and reruns never collide.
  const opened: { caches: ResponseCache[]; admin: RedisConnection; prefix: string }[] = [];
  const prefixes = new Map<ResponseCache, string>();
  const adminOf = async (cache: ResponseCache) => opened.find(({ caches }) => caches.includes(cache))!.admin;

  describeResponseCacheContract('Redis', {
    async open(handles = 1) {
      const prefix = `frugal-test:${run}:${++counter}:cache:`;
      const caches = await Promise.all(
        Array.from({ length: handles }, () => createRedisResponseCache({ url, prefix })),
      );
      for (const cache of caches) prefixes.set(cache, prefix);
      opened.push({ caches, admin: await connectRedis(url), prefix });
      return caches;
    },
    async writeRaw(cache, key, text, ttlMs) {
      await (await adminOf(cache)).command(['SET', prefixes.get(cache)! + key, text, 'PX', String(ttlMs)]);
    },
    elapse: sleep,
    async closeAll() {
      for (const { caches, admin, prefix } of opened.splice(0)) {
        const keys = (await admin.command(['KEYS', `${prefix}*`])) as string[];
        if (keys.length > 0) await admin.command(['DEL', ...keys]);
        await Promise.all([...caches.map((cache) => cache.close()), admin.close()]);
      }
    },
  });

  describe('Redis response cache', () => {
    const prefix = () => `frugal-test:${run}:${++counter}:cache:`;

    it('stores under the prefix with the TTL as PX', async () => {
      const keyPrefix = prefix();
      const cache = await createRedisResponseCache({ url, prefix: keyPrefix });
      const admin = await connectRedis(url);
      try {
        await cache.set('v1:abc', jsonResponse, 30_000);
        const ttl = Number(await admin.command(['PTTL', `${keyPrefix}v1:abc`]));
        expect(ttl).toBeGreaterThan(25_000);
        expect(ttl).toBeLessThanOrEqual(30_000);
      } finally {
        await admin.command(['DEL', `${keyPrefix}v1:abc`]);
        await Promise.all([cache.close(), admin.close()]);
      }
    });

    it('turns an outage into misses and dropped writes, reported once, and recovers', async () => {
      const relay = await relayTo(new URL(url));
      const errors: unknown[] = [];
      const cache = await createRedisResponseCache({
        url: relay.url(),
        prefix: prefix(),
        onError: (error) => errors.push(error),
      });
      try {
        await cache.set('k', jsonResponse, minute);
        expect(await cache.get('k')).toStrictEqual(jsonResponse);
        await relay.cut();
        await sleep(50);
        const started = Date.now();
        for (let index = 0; index < 5; index++) {
          await expect(cache.get('k')).resolves.toBeUndefined();
          await expect(cache.set('other', jsonResponse, minute)).resolves.toBeUndefined();
        }
        expect(Date.now() - started).toBeLessThan(1_000); // failed at once, not queued
        expect(cache.stats).toMatchObject({ hits: 1, misses: 5, writes: 1, errors: 10 });
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.length).toBeLessThanOrEqual(2); // the outage, not every request
        await relay.restore();
        await expect
          .poll(() => cache.get('k'), { timeout: 5_000, interval: 100 })
          .toStrictEqual(jsonResponse);
      } finally {
        await cache.close();
        await relay.cut();
      }
    });

    it('rejects at start-up when Redis cannot be reached', async () => {
      const nobody = createServer();
      await new Promise<void>((resolve) => nobody.listen(0, '127.0.0.1', resolve));
      const port = (nobody.address() as { port: number }).port;
      await new Promise((resolve) => nobody.close(resolve));
      await expect(
        createRedisResponseCache({ url: `redis://127.0.0.1:${port}`, connectAttempts: 2 }),
      ).rejects.toThrow(/ECONNREFUSED/);
    });

    it('fails a command that gets no answer within timeoutMs, as a miss', async () => {
      // A server that accepts the connection and the handshake, then never answers GET.
      const sockets = new Set<Socket>();
      const silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('data', (data) => {
          const setup = data.toString().match(/\r\n(CLIENT|HELLO|SELECT|PING|AUTH)\r\n/gi) ?? [];
          socket.write('+OK\r\n'.repeat(setup.length));
        });
        socket.on('error', () => {});
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as { port: number }).port;
      const errors: unknown[] = [];
      const cache = await createRedisResponseCache({
        url: `redis://127.0.0.1:${port}`,
        timeoutMs: 100,
        onError: (error) => errors.push(error),
      });
      try {
        await expect(cache.get('k')).resolves.toBeUndefined();
        expect(cache.stats).toMatchObject({ misses: 1, errors: 1 });
        expect(errors).toHaveLength(1);
      } finally {
        await cache.close();
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });
}
