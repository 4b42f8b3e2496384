import { afterEach, describe, expect, it } from 'vitest';
import type { SharedStateHarness } from './shared-state-contract.js';

const request = { requests: 1, tokens: 0 };

/** The contract every RateLimiter keeps (memory and Redis); run by describeSharedStateContract. */
export function describeRateLimiterContract(name: string, harness: SharedStateHarness): void {
  describe(`${name} rate limiter`, () => {
    afterEach(() => harness.closeAll());
    const t0 = Date.UTC(2026, 10, 22, 12);

    it('allows a minute of requests, then says exactly when the next one fits', async () => {
      const limiter = (await harness.open(1)).limiters[0]!;
      const limits = { requestsPerMinute: 3 };
      for (let index = 0; index < 3; index++) {
        expect(await limiter.take('key:a', request, limits, t0)).toEqual({ allowed: true });
      }
      // One request per 20 s: the fourth fits 20 s later, not 1 ms sooner.
      expect(await limiter.take('key:a', request, limits, t0)).toEqual({
        allowed: false,
        dimension: 'requests',
        retryAfterMs: 20_000,
      });
      expect(await limiter.take('key:a', request, limits, t0 + 19_999)).toMatchObject({ retryAfterMs: 1 });
      expect(await limiter.take('key:a', request, limits, t0 + 20_000)).toEqual({ allowed: true });
      // Other keys are not affected; after a quiet minute the whole burst is back.
      expect(await limiter.take('model:gpt-4o', request, limits, t0 + 20_000)).toEqual({ allowed: true });
      for (let index = 0; index < 3; index++) {
        expect(await limiter.take('key:a', request, limits, t0 + 80_000)).toEqual({ allowed: true });
      }
      expect((await limiter.take('key:a', request, limits, t0 + 80_000)).allowed).toBe(false);
    });

    it('limits tokens too, taking from both dimensions or from neither', async () => {
      const limiter = (await harness.open(1)).limiters[0]!;
      const limits = { requestsPerMinute: 2, tokensPerMinute: 1000 };
      expect(await limiter.take('key:b', { requests: 1, tokens: 600 }, limits, t0)).toEqual({
        allowed: true,
      });
      // 600 more tokens need 1200 − 1000 = 200 tokens of refill, at 60 ms a token: 12 s.
      expect(await limiter.take('key:b', { requests: 1, tokens: 600 }, limits, t0)).toEqual({
        allowed: false,
        dimension: 'tokens',
        retryAfterMs: 12_000,
      });
      // The refused take took no request: one is still left now.
      expect(await limiter.take('key:b', { requests: 1, tokens: 100 }, limits, t0)).toEqual({
        allowed: true,
      });
      // Both dimensions are now short: the longer wait is reported (requests: 30 s, tokens: 12 s + 6 s).
      expect(await limiter.take('key:b', { requests: 1, tokens: 600 }, limits, t0)).toEqual({
        allowed: false,
        dimension: 'requests',
        retryAfterMs: 30_000,
      });
    });

    it('never allows a take larger than a whole minute of its limit', async () => {
      const limiter = (await harness.open(1)).limiters[0]!;
      expect(
        await limiter.take('key:c', { requests: 1, tokens: 5000 }, { tokensPerMinute: 4000 }, t0),
      ).toEqual({
        allowed: false,
        dimension: 'tokens',
        retryAfterMs: undefined,
      });
      expect(await limiter.take('key:c', { requests: 1, tokens: 5000 }, {}, t0)).toEqual({ allowed: true });
      await expect(limiter.take('key:c', request, { requestsPerMinute: 0 }, t0)).rejects.toThrow(RangeError);
    });

    it('shares one window between clients: 64 concurrent takes over 4 connections admit exactly the limit', async () => {
      const { limiters } = await harness.open(4);
      const limits = { requestsPerMinute: 10, tokensPerMinute: 1_000_000 };
      const decisions = await Promise.all(
        Array.from({ length: 64 }, (_, index) =>
          limiters[index % 4]!.take('key:shared', { requests: 1, tokens: 1234 }, limits, t0),
        ),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
      expect(await limiters[3]!.take('key:shared', request, limits, t0 + 6000)).toEqual({ allowed: true });
      expect(await limiters[0]!.take('key:shared', request, limits, t0 + 6000)).toEqual({
        allowed: false,
        dimension: 'requests',
        retryAfterMs: 6000,
      });
    });
  });
}
