import { createHash } from 'node:crypto';

/*
 * The Redis client is `redis` (node-redis) 5, pinned exactly. Chosen over ioredis 5 because node-redis is the
 * client Redis itself develops and recommends for new projects (ioredis is maintained on a best-effort basis),
 * it needs nothing beyond Node ≥ 18.19 (checked on Node 20 here against Redis 7.0), and its core
 * (`@redis/client`) has a single dependency. frugal only needs EVALSHA/EVAL and a few plain commands, so the
 * rest of the code sees the small `RedisScripts` interface below, never the driver.
 */

/** A Lua script with its SHA-1, as EVALSHA needs it. */
export type LuaScript = { readonly source: string; readonly sha: string };

export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** What frugal's shared state needs of a Redis connection: atomic scripts and plain commands. */
export interface RedisScripts {
  /** Runs a script by EVALSHA, loading it with EVAL when the server does not know it yet. */
  run(script: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  command(args: readonly string[]): Promise<unknown>;
}

/** One connection to Redis: `close` when done. */
export type RedisConnection = RedisScripts & { close(): Promise<void> };

/** Connects to `url` (`redis://host:port/db`); connection errors after that go to `onError`. */
export async function connectRedis(
  url: string,
  onError: (error: unknown) => void = (error) =>
    console.error(`frugal redis: ${error instanceof Error ? error.message : error}`),
): Promise<RedisConnection> {
  // Loaded on first use, so that importing frugal without Redis does not load the driver.
  const { createClient } = await import('redis');
  const client = createClient({ url });
  client.on('error', onError);
  await client.connect();
  return {
    async run(script, keys, args) {
      const options = { keys: [...keys], arguments: [...args] };
      try {
        return await client.evalSha(script.sha, options);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return client.eval(script.source, options);
      }
    },
    command: (args) => client.sendCommand([...args]),
    async close() {
      await client.close();
    },
  };
}
