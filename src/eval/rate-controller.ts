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
 * as many successes as there are slots) and multiplicative decrease (half the slots on a 429, once per round:
 * a 429 for a call sent before the last decrease does not count again), a pause of every start for the
 * `Retry-After` the provider asked for (or until its `x-ratelimit-*` window resets when it says nothing is left),
 * and starts paced evenly: under the configured requests and tokens per minute (a leaky bucket, so a minute's
 * budget is never sent in one burst), and, once the provider has said no, under a request rate learned from it
 * (80% of the rate that drew the 429, plus 0.05 per second for each success after — like the AWS SDKs' adaptive
 * retry mode), because one call in flight can already be faster than a low limit.
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
  const configuredInterval = options.requestsPerMinute ? 60_000 / options.requestsPerMinute : 0;
  /** Requests per second learned from 429s (undefined until the first one): the provider's real limit. */
  let learnedRate: number | undefined;
  let started = 0;
  let lastDecreaseAfter = 0;
  const recentStarts: number[] = [];
  const interval = () => Math.max(configuredInterval, learnedRate === undefined ? 0 : 1000 / learnedRate);
  /** Starts per second over the last second: how fast we were sending when the provider said no. */
  const sendRate = (at: number) => {
    while (recentStarts.length > 0 && (recentStarts[0] as number) <= at - 1000) recentStarts.shift();
    return Math.max(1, recentStarts.length);
  };
  const msPerToken = options.tokensPerMinute ? 60_000 / options.tokensPerMinute : 0;

  const pause = (ms: number) => {
    pausedUntil = Math.max(pausedUntil, now() + ms);
  };

  function done(outcome: CallOutcome, sequence: number): void {
    inFlight--;
    if (outcome.kind === 'rate-limited') {
      rateLimited++;
      pause(outcome.retryAfterMs ?? 1_000);
      // One decrease per round: calls already in flight when the last one happened say nothing new.
      if (sequence > lastDecreaseAfter) {
        const at = now();
        lastDecreaseAfter = started;
        limit = Math.max(1, Math.floor(limit / 2));
        learnedRate = Math.min(learnedRate ?? Number.POSITIVE_INFINITY, sendRate(at)) * 0.8;
      }
      successes = 0;
    } else if (outcome.kind === 'ok') {
      if (learnedRate !== undefined) learnedRate += 0.05;
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
        const sequence = ++started;
        recentStarts.push(at);
        // On schedule, or up to one interval late (a timer fired late): the next start keeps the schedule, so
        // late wake-ups do not add up. After an idle spell it counts from now: no credit banked, no burst.
        nextRequestAt = (at - nextRequestAt < interval() ? nextRequestAt : at) + interval();
        tokenDebtUntil = Math.max(tokenDebtUntil, at) + estimatedTokens * msPerToken;
        let released = false;
        return (outcome) => {
          if (released) return;
          released = true;
          done(outcome, sequence);
        };
      }
    },
    concurrency: () => limit,
    stats: () => ({ rateLimited, pausedMs: Math.round(pausedMs) }),
  };
}
