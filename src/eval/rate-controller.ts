import type { RateLimitState } from '../providers/chat-model.js';

/** A provider's published limits, per minute. */
export type RateLimits = {
  readonly requestsPerMinute?: number | undefined;
  readonly tokensPerMinute?: number | undefined;
};

export type RateControllerOptions = RateLimits & {
  /** Most calls in flight at once (the ceiling the adaptive limit climbs back to). */
  readonly maxConcurrency: number;
  readonly now?: (() => number) | undefined;
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
};

/** What a call reports back when it is done. */
export type CallOutcome =
  | { readonly kind: 'ok'; readonly rateLimit?: RateLimitState | undefined }
  | { readonly kind: 'rate-limited'; readonly retryAfterMs?: number | undefined }
  | { readonly kind: 'failed' };

export type RateController = {
  /** Waits until a call may start (concurrency, pauses, RPM and TPM pacing); returns its `done` callback. */
  acquire(estimatedTokens: number): Promise<(outcome: CallOutcome) => void>;
  /** The adaptive concurrency limit now. */
  readonly concurrency: () => number;
  readonly stats: () => { readonly rateLimited: number; readonly pausedMs: number };
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Concurrency that adapts to a provider's rate limits, for one provider: additive increase (one more slot after
 * as many successes as there are slots) and multiplicative decrease (half the slots on a 429), a pause of every
 * start for the `Retry-After` the provider asked for (or until its `x-ratelimit-*` window resets when it says
 * nothing is left), and, when limits are configured, starts paced evenly to stay under requests and tokens per
 * minute (a leaky bucket, so a minute's budget is never sent in one burst).
 */
export function createRateController(options: RateControllerOptions): RateController {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? defaultSleep;
  const ceiling = Math.max(1, Math.floor(options.maxConcurrency));
  let limit = ceiling;
  let inFlight = 0;
  let successes = 0;
  let pausedUntil = 0;
  let nextRequestAt = 0;
  let tokenDebtUntil = 0;
  let rateLimited = 0;
  let pausedMs = 0;
  let wake: (() => void) | undefined;
  let woken: Promise<void> = new Promise((resolve) => {
    wake = resolve;
  });
  const notify = () => {
    wake?.();
    woken = new Promise((resolve) => {
      wake = resolve;
    });
  };
  const requestInterval = options.requestsPerMinute ? 60_000 / options.requestsPerMinute : 0;
  const msPerToken = options.tokensPerMinute ? 60_000 / options.tokensPerMinute : 0;

  const pause = (ms: number) => {
    pausedUntil = Math.max(pausedUntil, now() + ms);
  };

  function done(outcome: CallOutcome): void {
    inFlight--;
    if (outcome.kind === 'rate-limited') {
      rateLimited++;
      limit = Math.max(1, Math.floor(limit / 2));
      successes = 0;
      pause(outcome.retryAfterMs ?? 1_000);
    } else if (outcome.kind === 'ok') {
      if (++successes >= limit) {
        successes = 0;
        limit = Math.min(ceiling, limit + 1);
      }
      const state = outcome.rateLimit;
      if (state?.remainingRequests === 0 && state.resetRequestsMs !== undefined) pause(state.resetRequestsMs);
      if (state?.remainingTokens === 0 && state.resetTokensMs !== undefined) pause(state.resetTokensMs);
    }
    notify();
  }

  return {
    async acquire(estimatedTokens) {
      for (;;) {
        const at = now();
        if (inFlight >= limit) {
          await woken;
          continue;
        }
        const waitUntil = Math.max(pausedUntil, nextRequestAt, tokenDebtUntil);
        if (waitUntil > at) {
          if (pausedUntil > at) pausedMs += Math.min(pausedUntil, waitUntil) - at;
          await Promise.race([sleep(waitUntil - at), woken]);
          continue;
        }
        inFlight++;
        nextRequestAt = Math.max(nextRequestAt, at - requestInterval) + requestInterval;
        tokenDebtUntil = Math.max(tokenDebtUntil, at) + estimatedTokens * msPerToken;
        let released = false;
        return (outcome) => {
          if (released) return;
          released = true;
          done(outcome);
        };
      }
    },
    concurrency: () => limit,
    stats: () => ({ rateLimited, pausedMs: Math.round(pausedMs) }),
  };
}
