/** Per-minute limits for one key (`key:<id>`, `model:<name>`...); an absent limit does not limit. */
export type PerMinuteLimits = {
  readonly requestsPerMinute?: number | undefined;
  readonly tokensPerMinute?: number | undefined;
};

/** What one call takes: usually 1 request and its estimated tokens. */
export type RateCost = { readonly requests: number; readonly tokens: number };

export const rateDimensions = ['requests', 'tokens'] as const;
export type RateDimension = (typeof rateDimensions)[number];

/**
 * Allowed (and taken), or refused with nothing taken: `retryAfterMs` is when the same take would be allowed,
 * undefined when it never would (its cost alone exceeds the per-minute limit).
 */
export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly dimension: RateDimension; readonly retryAfterMs: number | undefined };

/**
 * Requests and tokens per minute per key, shared by every process using the same state. A take is atomic over
 * both dimensions: it takes from both or from neither.
 *
 * The algorithm is GCRA (the generic cell rate algorithm, a leaky bucket kept as one number): each dimension
 * stores its theoretical arrival time (TAT); a take of cost c moves it to max(TAT, now) + c × 60 000 / limit
 * and is allowed while TAT − now ≤ 60 000 ms. Chosen over a sliding window because it needs one number per
 * key and dimension (a sliding log of tokens would need an entry per call), has no window-boundary bursts
 * (fixed windows admit twice the limit across a boundary; a weighted sliding window only approximates), and
 * gives an exact retry-after. A burst of up to a full minute's limit is allowed from idle.
 */
export interface RateLimiter {
  take(key: string, cost: RateCost, limits: PerMinuteLimits, now: number): Promise<RateDecision>;
}

export const rateWindowMs = 60_000;

/** One dimension's GCRA step: the new TAT and, when refused, how long until the same cost fits. */
export function gcraStep(
  tat: number | undefined,
  now: number,
  cost: number,
  limit: number,
): { readonly tat: number; readonly retryAfterMs: number } {
  const next = Math.max(tat ?? now, now) + cost * (rateWindowMs / limit);
  const late = next - now - rateWindowMs;
  return { tat: next, retryAfterMs: late > 0 ? Math.ceil(late) : 0 };
}

/** Throws a RangeError for a limit or cost that is not a non-negative finite number (limits positive). */
export function checkRate(cost: RateCost, limits: PerMinuteLimits): void {
  for (const dimension of rateDimensions) {
    const amount = cost[dimension];
    if (!Number.isFinite(amount) || amount < 0) {
      throw new RangeError(`expected ${dimension} to take as a non-negative number, found ${amount}`);
    }
    const limit = limitOf(limits, dimension);
    if (limit !== undefined && (!Number.isFinite(limit) || limit <= 0)) {
      throw new RangeError(`expected ${dimension} per minute as a positive number, found ${limit}`);
    }
  }
}

export function limitOf(limits: PerMinuteLimits, dimension: RateDimension): number | undefined {
  return dimension === 'requests' ? limits.requestsPerMinute : limits.tokensPerMinute;
}

/** The first dimension whose cost alone exceeds its limit: such a take is never allowed. */
export function neverAllowed(cost: RateCost, limits: PerMinuteLimits): RateDecision | undefined {
  for (const dimension of rateDimensions) {
    const limit = limitOf(limits, dimension);
    if (limit !== undefined && cost[dimension] > limit) {
      return { allowed: false, dimension, retryAfterMs: undefined };
    }
  }
  return undefined;
}
