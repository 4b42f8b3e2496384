import { decodeCachedResponse, encodeCachedResponse } from './cached-response-codec.js';
import { emptyCacheStats, type ResponseCache, ttlMillis } from './response-cache.js';

export type RedisResponseCacheOptions = {
  /** `redis://host:port/db` (or `rediss://`). */
  readonly url: string;
  /** Prefix of every key (default `frugal:cache:`). */
  readonly prefix?: string | undefined;
  /** A command not answered within this many ms counts as failed: a miss or a dropped write (default 1,000). */
  readonly timeoutMs?: number | undefined;
  /** Attempts at the first connection before giving up (default 3, 200 ms apart). */
  readonly connectAttempts?: number | undefined;
  /** Told of failed commands, lost connections and corrupt entries, at most once per 10 s (default: none). */
  readonly onError?: ((error: unknown) => void) | undefined;
};

/** `onError` is told at most once per this many ms: an outage fails every request, and reconnects every 2 s. */
const reportIntervalMs = 10_000;

/**
 * An exact response cache in Redis, shared by every gateway replica using the same server and prefix: `SET key
 * value PX ttl` and `GET`, one JSON string per entry. Resolves once connected, and rejects when the first
 * connection fails (a wrong URL is found at start-up). Afterwards the client reconnects by itself, and while
 * Redis is down or slow (`timeoutMs`) reads are misses and writes are dropped: counted in `stats.errors`,
 * never thrown into the request, and never queued to wait for the server's return.
 */
export async function createRedisResponseCache(options: RedisResponseCacheOptions): Promise<ResponseCache> {
  const prefix = options.prefix ?? 'frugal:cache:';
  const connectAttempts = options.connectAttempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 1_000;
  const onError = options.onError ?? (() => {});
  const stats = emptyCacheStats();
  // Loaded on first use, so that importing frugal without Redis does not load the driver.
  const { createClient } = await import('redis');
  let connected = false;
  let lastReport = Number.NEGATIVE_INFINITY;
  const client = createClient({
    url: options.url,
    // Commands fail at once while disconnected instead of waiting in a queue: a cache must not stall requests.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries, cause) =>
        connected ? Math.min(50 * 2 ** retries, 2_000) : retries + 1 >= connectAttempts ? cause : 200,
    },
  });
  // Errors before the first connection reject `createRedisResponseCache` itself.
  client.on('error', (error: unknown) => {
    if (connected) report(error);
  });
  await client.connect();
  connected = true;

  function report(error: unknown): void {
    const now = Date.now();
    if (now - lastReport < reportIntervalMs) return;
    lastReport = now;
    onError(error);
  }

  function failed(error: unknown): void {
    stats.errors += 1;
    report(error);
  }

  // Commands not settled yet: `close` waits for them (each is bounded by `timeoutMs`).
  const pending = new Set<Promise<unknown>>();
  function send(args: string[]): Promise<unknown> {
    const reply = withTimeout(client.sendCommand(args), timeoutMs);
    const settled: Promise<unknown> = reply.then(
      () => pending.delete(settled),
      () => pending.delete(settled),
    );
    pending.add(settled);
    return reply;
  }

  return {
    async get(key) {
      let text: unknown;
      try {
        text = await send(['GET', prefix + key]);
      } catch (error) {
        failed(error);
        stats.misses += 1;
        return undefined;
      }
      if (typeof text !== 'string') {
        stats.misses += 1;
        return undefined;
      }
      try {
        const value = decodeCachedResponse(text);
        stats.hits += 1;
        return value;
      } catch (error) {
        failed(error);
        stats.misses += 1;
        return undefined;
      }
    },
    async set(key, value, ttlMs) {
      const ttl = ttlMillis(ttlMs);
      try {
        const text = encodeCachedResponse(value);
        await send(['SET', prefix + key, text, 'PX', String(ttl)]);
        stats.writes += 1;
      } catch (error) {
        failed(error);
      }
    },
    stats,
    async close() {
      connected = false;
      // Not node-redis's graceful close: it waits for every reply, which a hung server never sends.
      await Promise.all(pending);
      if (client.isOpen) client.destroy();
    },
  };
}

/**
 * The command's outcome, or a rejection after `ms`. node-redis's own command timeout stops only commands not yet
 * written, so a server that accepts a command and never answers would otherwise hold the request forever.
 */
function withTimeout<T>(command: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
}
