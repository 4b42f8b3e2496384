import {
  checkRate,
  limitOf,
  neverAllowed,
  type RateDecision,
  type RateDimension,
  type RateLimiter,
  rateDimensions,
  rateWindowMs,
} from './rate-limiter.js';
import { luaScript, type RedisScripts } from './redis-scripts.js';

// GCRA over both dimensions at once, the same steps as gcraStep (doubles, as in JavaScript). KEYS[1] is a hash
// of each dimension's TAT (written with %.17g, so it reads back exactly); ARGV: now, then cost and limit ('' for
// none) of requests and of tokens. Replies {1} or {0, dimension, retryAfterMs}. The key expires once idle.
const takeScript = luaScript(`
local now, window = tonumber(ARGV[1]), tonumber(ARGV[6])
local names = { 'requests', 'tokens' }
local stored, next = {}, {}
local worst, worstName = 0, nil
for i = 1, 2 do
  stored[i] = tonumber(redis.call('HGET', KEYS[1], names[i]) or '')
  local cost, limit = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  if limit ~= nil and cost > 0 then
    next[i] = math.max(stored[i] or now, now) + cost * (window / limit)
    local late = next[i] - now - window
    if late > 0 and math.ceil(late) > worst then worst = math.ceil(late); worstName = names[i] end
  end
end
if worstName then return { 0, worstName, worst } end
local horizon = 0
for i = 1, 2 do
  if next[i] then redis.call('HSET', KEYS[1], names[i], string.format('%.17g', next[i])) end
  local tat = next[i] or stored[i]
  if tat and tat - now > horizon then horizon = tat - now end
end
if horizon > 0 then redis.call('PEXPIRE', KEYS[1], math.ceil(horizon)) end
return { 1 }`);

export type RedisRateLimiterOptions = {
  /** Prefix of every key (default `frugal:`). */
  readonly prefix?: string | undefined;
};

/**
 * A RateLimiter in Redis (GCRA, one atomic script per take), shared by every process using the same Redis and
 * prefix. Time is the caller's `now`: replicas need clocks in step (NTP) for limits to be exact.
 */
export function createRedisRateLimiter(
  redis: RedisScripts,
  options: RedisRateLimiterOptions = {},
): RateLimiter {
  const prefix = options.prefix ?? 'frugal:';
  return {
    async take(key, cost, limits, now): Promise<RateDecision> {
      checkRate(cost, limits);
      const never = neverAllowed(cost, limits);
      if (never) return never;
      const args = [String(now)];
      for (const dimension of rateDimensions) {
        args.push(String(cost[dimension]), String(limitOf(limits, dimension) ?? ''));
      }
      const reply = (await redis.run(
        takeScript,
        [`${prefix}rate:${key}`],
        [...args, String(rateWindowMs)],
      )) as [number, string?, number?];
      if (reply[0] === 1) return { allowed: true };
      return { allowed: false, dimension: reply[1] as RateDimension, retryAfterMs: reply[2] ?? 0 };
    },
  };
}
