import { afterEach, describe, expect, it } from 'vitest';
import { createRandom } from '../core/random.js';
import { type BudgetCounter, maxCounterAmount } from './budget-counter.js';
import type { BudgetPeriod } from './budget-spend.js';
import type { RateLimiter } from './rate-limiter.js';
import { describeRateLimiterContract } from './rate-limiter-contract.js';

/** Handles onto one fresh shared state: each handle its own connection where the implementation has them. */
export type SharedStateHandles = {
  readonly counters: readonly BudgetCounter[];
  readonly limiters: readonly RateLimiter[];
  /** When a budget's entry for a period expires (epoch ms), undefined when there is none. */
  expiryOf(budgetKey: string, period: BudgetPeriod): Promise<number | undefined>;
};

/** What an implementation's test file gives the contract suite. */
export type SharedStateHarness = {
  open(handles: number, options?: { readonly expiryMarginMs?: number }): Promise<SharedStateHandles>;
  /** Closes whatever `open` opened (run after each test). */
  closeAll(): Promise<void>;
};

const hour = 3_600_000;
/** Periods relative to the real clock: Redis expires keys by its own. */
function periods() {
  const start = Math.floor(Date.now() / hour) * hour;
  return {
    current: { start, resetsAt: start + hour },
    next: { start: start + hour, resetsAt: start + 2 * hour },
    longOver: { start: start - 3 * hour, resetsAt: start - 2 * hour },
  };
}
const one = async (harness: SharedStateHarness, options?: { readonly expiryMarginMs?: number }) =>
  (await harness.open(1, options)).counters[0]!;

/** The contract every BudgetCounter and RateLimiter keeps (memory and Redis). */
export function describeSharedStateContract(name: string, harness: SharedStateHarness): void {
  describe(`${name} budget counter`, () => {
    afterEach(() => harness.closeAll());

    it('is exact beyond 2^53 and 2^63 (limb carries included), up to 10^36 - 1', async () => {
      const counter = await one(harness);
      const { current } = periods();
      await counter.open('b', current, { spent: 2n ** 63n - 5n, unpricedCalls: 0 });
      const limit = 2n ** 64n + 7n;
      // Exactly at the limit: 2^63 - 5 + 2^63 + 12 = 2^64 + 7.
      expect(await counter.reserve('b', current, limit, 2n ** 63n + 12n)).toEqual({
        admitted: true,
        state: { spent: 2n ** 63n - 5n, reserved: 2n ** 63n + 12n, unpricedCalls: 0 },
      });
      expect((await counter.reserve('b', current, limit, 1n)).admitted).toBe(false);
      expect(await counter.settle('b', current, 2n ** 63n + 12n, 2n ** 63n + 11n)).toEqual({
        spent: 2n ** 64n + 6n,
        reserved: 0n,
        unpricedCalls: 0,
      });
      expect((await counter.reserve('b', current, limit, 1n)).admitted).toBe(true);
      expect((await counter.reserve('b', current, limit, 1n)).admitted).toBe(false);
      // 9,999,999 + 1 carries across a base-10^7 limb; 10^14 - 1 + 1 across two.
      await counter.settle('c', current, 0n, 9_999_999n);
      expect((await counter.settle('c', current, 0n, 1n)).spent).toBe(10_000_000n);
      await counter.settle('c', current, 0n, 10n ** 14n - 1n - 10_000_000n);
      expect((await counter.settle('c', current, 0n, 1n)).spent).toBe(10n ** 14n);
      expect((await counter.reserve('d', current, maxCounterAmount, maxCounterAmount)).state.reserved).toBe(
        maxCounterAmount,
      );
      expect((await counter.settle('d', current, 1n, 0n)).reserved).toBe(maxCounterAmount - 1n);
      await expect(counter.reserve('d', current, maxCounterAmount + 1n, 1n)).rejects.toThrow(RangeError);
      await expect(counter.settle('d', current, 0n, -1n)).rejects.toThrow(RangeError);
    });

    it('refuses at the edge and leaves the state untouched when it does', async () => {
      const counter = await one(harness);
      const { current } = periods();
      expect((await counter.reserve('b', current, 100n, 60n)).admitted).toBe(true);
      expect(await counter.reserve('b', current, 100n, 41n)).toEqual({
        admitted: false,
        state: { spent: 0n, reserved: 60n, unpricedCalls: 0 },
      });
      expect((await counter.reserve('b', current, 100n, 40n)).state).toMatchObject({ reserved: 100n });
      expect((await counter.reserve('b', current, 100n, 1n)).admitted).toBe(false);
      expect((await counter.reserve('b', current, 100n, 0n)).admitted).toBe(true);
      expect(await counter.state('b', current)).toEqual({ spent: 0n, reserved: 100n, unpricedCalls: 0 });
    });

    it('settles above the reservation, at 0, and never below 0 reserved; counts unpriced calls', async () => {
      const counter = await one(harness);
      const { current } = periods();
      await counter.reserve('b', current, 100n, 50n);
      expect(await counter.settle('b', current, 50n, 70n)).toEqual({
        spent: 70n,
        reserved: 0n,
        unpricedCalls: 0,
      });
      await counter.reserve('b', current, 100n, 30n);
      expect((await counter.reserve('b', current, 100n, 1n)).admitted).toBe(false);
      expect(await counter.settle('b', current, 30n, 0n)).toEqual({
        spent: 70n,
        reserved: 0n,
        unpricedCalls: 0,
      });
      await counter.reserve('b', current, 100n, 10n);
      expect(await counter.settle('b', current, 25n, 10n, true)).toEqual({
        spent: 80n,
        reserved: 0n,
        unpricedCalls: 1,
      });
    });

    it('seeds a period from the first opening only', async () => {
      const counter = await one(harness);
      const { current } = periods();
      expect(await counter.open('b', current, { spent: 40n, unpricedCalls: 2 })).toEqual({
        spent: 40n,
        reserved: 0n,
        unpricedCalls: 2,
      });
      await counter.settle('b', current, 0n, 5n);
      expect(await counter.open('b', current, { spent: 99n, unpricedCalls: 9 })).toMatchObject({
        spent: 45n,
      });
    });

    it('starts each period from zero and keeps the previous one apart', async () => {
      const counter = await one(harness);
      const { current, next } = periods();
      await counter.reserve('b', current, 100n, 100n);
      expect((await counter.reserve('b', current, 100n, 1n)).admitted).toBe(false);
      expect(await counter.reserve('b', next, 100n, 100n)).toMatchObject({ admitted: true });
      expect(await counter.state('b', current)).toMatchObject({ reserved: 100n });
      expect(await counter.state('other', current)).toEqual({ spent: 0n, reserved: 0n, unpricedCalls: 0 });
    });

    it('expires an entry a margin after its period ends', async () => {
      const handles = await harness.open(1, { expiryMarginMs: 90_000 });
      const counter = handles.counters[0]!;
      const { current, longOver } = periods();
      expect((await counter.reserve('b', current, 10n, 11n)).admitted).toBe(false);
      expect(await handles.expiryOf('b', current)).toBeUndefined();
      await counter.reserve('b', current, 10n, 5n);
      expect(await handles.expiryOf('b', current)).toBe(current.resetsAt + 90_000);
      // A late settlement for a period long over leaves nothing behind.
      await counter.settle('b', longOver, 5n, 5n);
      expect(await handles.expiryOf('b', longOver)).toBeUndefined();
      expect(await counter.state('b', longOver)).toEqual({ spent: 0n, reserved: 0n, unpricedCalls: 0 });
    });

    it('lets 64 concurrent reservations over 4 connections admit at most the limit, and no fewer', async () => {
      const { counters } = await harness.open(4);
      const { current } = periods();
      const next = createRandom(11);
      const micro = 1_000_000n;
      const amounts = Array.from({ length: 64 }, () => BigInt(1 + Math.floor(next() * 1000)) * micro + 7n);
      const limit = (amounts.reduce((sum, amount) => sum + amount, 0n) * 2n) / 5n;
      const outcomes = await Promise.all(
        amounts.map((amount, index) => counters[index % 4]!.reserve('shared', current, limit, amount)),
      );
      const admitted = amounts.filter((_, index) => outcomes[index]!.admitted);
      const total = admitted.reduce((sum, amount) => sum + amount, 0n);
      expect(total).toBeLessThanOrEqual(limit);
      expect(admitted.length).toBeGreaterThan(0);
      expect(admitted.length).toBeLessThan(64);
      // Every refusal was needed: even at the end, the refused amount does not fit.
      for (const [index, amount] of amounts.entries()) {
        if (!outcomes[index]!.admitted) expect(total + amount).toBeGreaterThan(limit);
      }
      expect((await counters[1]!.state('shared', current)).reserved).toBe(total);
      const actuals = admitted.map((amount) => amount - BigInt(Math.floor(next() * 1000)));
      await Promise.all(
        admitted.map((amount, index) =>
          counters[index % 4]!.settle('shared', current, amount, actuals[index]!),
        ),
      );
      expect(await counters[2]!.state('shared', current)).toEqual({
        spent: actuals.reduce((sum, amount) => sum + amount, 0n),
        reserved: 0n,
        unpricedCalls: 0,
      });
    });

    it('shares one state between two clients', async () => {
      const { counters } = await harness.open(2);
      const [first, second] = [counters[0]!, counters[1]!];
      const { current } = periods();
      await first.reserve('b', current, 100n, 60n);
      expect((await second.reserve('b', current, 100n, 60n)).admitted).toBe(false);
      await second.settle('b', current, 60n, 20n);
      expect(await first.state('b', current)).toEqual({ spent: 20n, reserved: 0n, unpricedCalls: 0 });
    });
  });

  describeRateLimiterContract(name, harness);
}
