import {
  checkRate,
  gcraStep,
  limitOf,
  neverAllowed,
  type RateDecision,
  type RateDimension,
  type RateLimiter,
  rateDimensions,
} from './rate-limiter.js';

/** The in-memory twin of the Redis rate limiter (GCRA, same arithmetic in doubles), for one process and tests. */
export function createMemoryRateLimiter(): RateLimiter {
  const arrivals = new Map<string, number>();
  let takes = 0;
  return {
    async take(key, cost, limits, now): Promise<RateDecision> {
      checkRate(cost, limits);
      const never = neverAllowed(cost, limits);
      if (never) return never;
      // Forget keys that are idle again now and then (what key expiry does in Redis).
      if (++takes % 1024 === 0) for (const [name, tat] of arrivals) if (tat <= now) arrivals.delete(name);
      const next = new Map<string, number>();
      let worst: { dimension: RateDimension; retryAfterMs: number } | undefined;
      for (const dimension of rateDimensions) {
        const limit = limitOf(limits, dimension);
        if (limit === undefined || cost[dimension] === 0) continue;
        const name = `${key}\n${dimension}`;
        const step = gcraStep(arrivals.get(name), now, cost[dimension], limit);
        next.set(name, step.tat);
        if (step.retryAfterMs > (worst?.retryAfterMs ?? 0))
          worst = { dimension, retryAfterMs: step.retryAfterMs };
      }
      if (worst) return { allowed: false, ...worst };
      for (const [name, tat] of next) arrivals.set(name, tat);
      return { allowed: true };
    },
  };
}
