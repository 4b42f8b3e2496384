import { createHash } from 'node:crypto';
import type { SemanticAnswer, SemanticCacheStorage, SemanticChange } from './semantic-cache-storage.js';

/**
 * The little of a Redis connection this storage needs: scripts by EVALSHA and plain commands. The shape of
 * `connectRedis` (control/redis-scripts.ts), which the CLI and the gateway pass in; optimize/ opens no socket.
 */
export interface SemanticCacheRedis {
  run(
    script: { readonly source: string; readonly sha: string },
    keys: readonly string[],
    args: readonly string[],
  ): Promise<unknown>;
  command(args: readonly string[]): Promise<unknown>;
}

function script(source: string) {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/*
 * Add, atomically: drop up to 1,000 expired ids (their keys expire by themselves; the log says they went),
 * store the answer with its TTL, record recency and expiry, log the vector, then evict the least recently used
 * beyond maxEntries. The log is trimmed to the TTL by the server's clock (MINID on stream ids, which are server
 * milliseconds). KEYS: lru, expiry, log, entry. ARGV: id, answer, ttl, now, max, namespace, vector, expiresAt,
 * entry key prefix.
 */
const addScript = script(`
local time = redis.call('TIME')
local minid = tostring(tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) - tonumber(ARGV[3]))
local function dropped(id)
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('DEL', ARGV[9] .. id)
  redis.call('XADD', KEYS[3], 'MINID', '~', minid, '*', 't', 'r', 'id', id)
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4], 'LIMIT', 0, 1000)) do dropped(id) end
redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[8], ARGV[1])
redis.call('XADD', KEYS[3], 'MINID', '~', minid, '*', 't', 'a', 'id', ARGV[1], 'ns', ARGV[6], 'v', ARGV[7], 'x', ARGV[8])
local evicted = {}
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[5])
if excess > 0 then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
  for _, id in ipairs(oldest) do
    dropped(id)
    evicted[#evicted + 1] = id
  end
end
return evicted
`);

/** Get and mark used (only if still there). KEYS: entry, lru. ARGV: now, id. */
const getScript = script(`
local value = redis.call('GET', KEYS[1])
if value then redis.call('ZADD', KEYS[2], 'XX', ARGV[1], ARGV[2]) end
return value
`);

const batch = 1_000;

function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const vector = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(vector.buffer).set(bytes);
  return vector;
}

/** A stream entry's fields (`[name, value, name, value...]`) as a change, or undefined when unreadable. */
function changeOf(fields: readonly string[]): SemanticChange | undefined {
  const field = (name: string) => {
    const at = fields.indexOf(name);
    return at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  };
  const [type, id] = [field('t'), field('id')];
  if (id === undefined) return undefined;
  if (type === 'r') return { type: 'remove', id };
  const [namespace, vector, expiresAt] = [field('ns'), field('v'), Number(field('x'))];
  if (type !== 'a' || namespace === undefined || vector === undefined || !Number.isFinite(expiresAt)) return;
  return { type: 'add', id, namespace, vector: decodeVector(vector), expiresAt };
}

/**
 * Semantic cache entries in Redis, shared by every replica using the same server and prefix:
 * `<prefix>entry:<id>` (the answer, with the TTL as PX), `<prefix>lru` (recency, for eviction across
 * replicas), `<prefix>expiry`, and the stream `<prefix>log` of adds (with their vectors) and removals that
 * replicas tail with XREAD. The scripts name keys they compute, so one Redis (or one cluster slot) is assumed.
 */
export function createRedisSemanticCacheStorage(
  redis: SemanticCacheRedis,
  options: { readonly prefix?: string | undefined } = {},
): SemanticCacheStorage {
  const prefix = options.prefix ?? 'frugal:semantic:';
  const [lru, expiry, log] = [`${prefix}lru`, `${prefix}expiry`, `${prefix}log`];
  const entryKey = (id: string) => `${prefix}entry:${id}`;

  return {
    async add(entry, { maxEntries, now }) {
      const answer = JSON.stringify({
        answer: entry.answer,
        cost: entry.cost?.toString() ?? null,
        storedAt: entry.storedAt,
      });
      const ttl = Math.max(1, Math.ceil(entry.expiresAt - now));
      const evicted = await redis.run(
        addScript,
        [lru, expiry, log, entryKey(entry.id)],
        [
          entry.id,
          answer,
          String(ttl),
          String(now),
          String(maxEntries),
          entry.namespace,
          encodeVector(entry.vector),
          String(entry.expiresAt),
          `${prefix}entry:`,
        ],
      );
      return (evicted as string[] | null) ?? [];
    },
    async get(id, now) {
      const text = await redis.run(getScript, [entryKey(id), lru], [String(now), id]);
      if (typeof text !== 'string') return undefined;
      const stored = JSON.parse(text) as { answer: string; cost: string | null; storedAt: number };
      const answer: SemanticAnswer = {
        answer: stored.answer,
        cost: stored.cost === null ? undefined : BigInt(stored.cost),
        storedAt: stored.storedAt,
      };
      return answer;
    },
    async changes(cursor) {
      const changes: SemanticChange[] = [];
      let after = cursor ?? '0-0';
      for (;;) {
        const reply = (await redis.command(['XREAD', 'COUNT', String(batch), 'STREAMS', log, after])) as
          | [string, [string, string[]][]][]
          | null;
        const read = reply?.[0]?.[1] ?? [];
        for (const [id, fields] of read) {
          const change = changeOf(fields);
          if (change !== undefined) changes.push(change);
          after = id;
        }
        if (read.length < batch) break;
      }
      return { changes, cursor: after === '0-0' ? cursor : after };
    },
    // The connection belongs to the caller (several storages and caches may share it): closed by whoever opened it.
    async close() {},
  };
}
