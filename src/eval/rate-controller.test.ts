import { describe, expect, it } from 'vitest';
import { type CallOutcome, createRateController, type RateControllerOptions } from './rate-controller.js';

/**
 * A virtual clock: `sleep(ms)` resolves on the next microtask with the clock moved to (at least) the time the
 * sleeper asked to wake at, so pacing and pauses are measured exactly, with no real waiting.
 */
function virtualClock(start: number) {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: (ms: number) => {
      sleeps.push(ms);
      const target = time + ms;
      return Promise.resolve().then(() => {
        time = Math.max(time, target);
      });
    },
    advance: (ms: number) => {
      time += ms;
    },
    sleeps,
  };
}

type Clock = ReturnType<typeof virtualClock>;

function controllerOn(clock: Clock, options: Omit<RateControllerOptions, 'now' | 'sleep'>) {
  return createRateController({ ...options, now: clock.now, sleep: clock.sleep });
}

/** Starts `count` acquires at once; resolves with each one's start time (virtual) and its `done`. */
async function startAll(
  controller: ReturnType<typeof createRateController>,
  clock: Clock,
  count: number,
  tokens = 0,
) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const done = await controller.acquire(tokens);
      return { at: clock.now(), done };
    }),
  );
}

/** Lets every pending microtask and a macrotask turn run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('createRateController', () => {
  it.each([1, 3, 8])('never has more than %i calls in flight', async (limit) => {
    const controller = createRateController({ maxConcurrency: limit });
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 * limit + 3 }, async (_, index) => {
        const done = await controller.acquire(0);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1 + (index % 3)));
        inFlight--;
        done({ kind: 'ok' });
      }),
    );
    expect(most).toBe(limit);
    expect(inFlight).toBe(0);
  });

  it('holds back a start while the calls in flight fill the limit, and lets it go when one ends', async () => {
    const controller = createRateController({ maxConcurrency: 2 });
    const first = await controller.acquire(0);
    await controller.acquire(0);
    let started = false;
    const third = controller.acquire(0).then((done) => {
      started = true;
      return done;
    });
    await settle();
    expect(started).toBe(false);
    first({ kind: 'ok' });
    (await third)({ kind: 'ok' });
    expect(started).toBe(true);
  });

  it.each<{ ceiling: number; events: readonly ('429' | 'ok')[]; limit: number }>([
    { ceiling: 8, events: ['429'], limit: 4 },
    { ceiling: 8, events: ['429', '429'], limit: 2 },
    { ceiling: 8, events: ['429', '429', '429', '429', '429'], limit: 1 },
    { ceiling: 7, events: ['429'], limit: 3 },
    // Back up by one after as many successes as there are slots: 2 → 3 after 2, 3 → 4 after 3 more.
    { ceiling: 8, events: ['429', '429', 'ok'], limit: 2 },
    { ceiling: 8, events: ['429', '429', 'ok', 'ok'], limit: 3 },
    { ceiling: 8, events: ['429', '429', 'ok', 'ok', 'ok', 'ok'], limit: 3 },
    { ceiling: 8, events: ['429', '429', 'ok', 'ok', 'ok', 'ok', 'ok'], limit: 4 },
    // A 429 in between starts the count again.
    { ceiling: 8, events: ['429', 'ok', 'ok', 'ok', '429', 'ok'], limit: 2 },
    // Never above the ceiling.
    { ceiling: 2, events: ['ok', 'ok', 'ok', 'ok', 'ok'], limit: 2 },
  ])('with ceiling $ceiling, after $events the limit is $limit', async ({ ceiling, events, limit }) => {
    const clock = virtualClock(1_000);
    const controller = controllerOn(clock, { maxConcurrency: ceiling });
    for (const event of events) {
      const done = await controller.acquire(0);
      done(event === '429' ? { kind: 'rate-limited', retryAfterMs: 0 } : { kind: 'ok' });
    }
    expect(controller.concurrency()).toBe(limit);
    expect(controller.stats().rateLimited).toBe(events.filter((event) => event === '429').length);
  });

  it('after a 429 halves the limit, starts wait until the calls still in flight fall below it', async () => {
    const clock = virtualClock(1_000);
    const controller = controllerOn(clock, { maxConcurrency: 4 });
    const held = await startAll(controller, clock, 4);
    held[0]?.done({ kind: 'rate-limited', retryAfterMs: 0 });
    expect(controller.concurrency()).toBe(2);
    let started = false;
    const next = controller.acquire(0).then((done) => {
      started = true;
      return done;
    });
    held[1]?.done({ kind: 'ok' });
    await settle();
    // Two still in flight: at the new limit of 2, nothing more may start.
    expect(started).toBe(false);
    held[2]?.done({ kind: 'ok' });
    (await next)({ kind: 'ok' });
    expect(started).toBe(true);
  });

  // After the pause, starts are paced at the rate learned from the 429 (80% of the 1 request/s that drew it:
  // every 1,250 ms), keeping the schedule of the call that drew it when the pause ends less than one interval
  // after that call's slot (10,000), counting afresh from the end of the pause otherwise.
  it.each<{ retryAfterMs: number | undefined; pause: number; second: number }>([
    { retryAfterMs: 250, pause: 250, second: 11_250 },
    { retryAfterMs: 4_000, pause: 4_000, second: 15_250 },
    // No Retry-After: one second.
    { retryAfterMs: undefined, pause: 1_000, second: 11_250 },
  ])(
    'a 429 with Retry-After $retryAfterMs pauses every start for $pause ms',
    async ({ retryAfterMs, pause, second }) => {
      const clock = virtualClock(10_000);
      const controller = controllerOn(clock, { maxConcurrency: 8 });
      (await controller.acquire(0))({ kind: 'rate-limited', retryAfterMs });
      const starts = await startAll(controller, clock, 3);
      expect(starts.map((start) => start.at)).toEqual([10_000 + pause, second, second + 1_250]);
      expect(controller.stats().pausedMs).toBeGreaterThanOrEqual(pause);
    },
  );

  it('pauses for a real Retry-After with the real clock', async () => {
    const controller = createRateController({ maxConcurrency: 4 });
    (await controller.acquire(0))({ kind: 'rate-limited', retryAfterMs: 60 });
    const began = performance.now();
    const starts = await Promise.all(
      [0, 1].map(async () => {
        const done = await controller.acquire(0);
        done({ kind: 'ok' });
        return performance.now() - began;
      }),
    );
    for (const elapsed of starts) expect(elapsed).toBeGreaterThanOrEqual(55);
  });

  it.each([
    { requestsPerMinute: 600, interval: 100 },
    { requestsPerMinute: 60, interval: 1_000 },
    { requestsPerMinute: 7, interval: 60_000 / 7 },
  ])(
    'at $requestsPerMinute RPM spaces starts $interval ms apart, from the first',
    async ({ requestsPerMinute, interval }) => {
      const clock = virtualClock(50_000);
      const controller = controllerOn(clock, { maxConcurrency: 10, requestsPerMinute });
      const starts = await startAll(controller, clock, 5);
      const times = starts.map((start) => start.at).sort((a, b) => a - b);
      for (const [index, time] of times.entries()) expect(time).toBeCloseTo(50_000 + index * interval, 6);
      for (const start of starts) start.done({ kind: 'ok' });
    },
  );

  it('after an idle spell RPM pacing still spaces the next two starts by the interval', async () => {
    const clock = virtualClock(0);
    const controller = controllerOn(clock, { maxConcurrency: 10, requestsPerMinute: 600 });
    (await controller.acquire(0))({ kind: 'ok' });
    clock.advance(5_000);
    const starts = await startAll(controller, clock, 3);
    expect(starts.map((start) => start.at).sort((a, b) => a - b)).toEqual([5_000, 5_100, 5_200]);
  });

  it('at a tokens-per-minute limit, a start waits for the previous call’s tokens to drain', async () => {
    const clock = virtualClock(1_000);
    // 60,000 TPM is one token per ms.
    const controller = controllerOn(clock, { maxConcurrency: 10, tokensPerMinute: 60_000 });
    (await controller.acquire(300))({ kind: 'ok' });
    (await controller.acquire(200))({ kind: 'ok' });
    expect(clock.now()).toBe(1_300);
    await controller.acquire(0);
    expect(clock.now()).toBe(1_500);
  });

  it.each<{ name: string; outcome: CallOutcome; resume: number }>([
    {
      name: 'no requests left',
      outcome: { kind: 'ok', rateLimit: { remainingRequests: 0, resetRequestsMs: 750 } },
      resume: 750,
    },
    {
      name: 'no tokens left',
      outcome: { kind: 'ok', rateLimit: { remainingTokens: 0, resetTokensMs: 2_000 } },
      resume: 2_000,
    },
    {
      name: 'neither left: the later reset',
      outcome: {
        kind: 'ok',
        rateLimit: { remainingRequests: 0, resetRequestsMs: 300, remainingTokens: 0, resetTokensMs: 900 },
      },
      resume: 900,
    },
    {
      name: 'some left',
      outcome: { kind: 'ok', rateLimit: { remainingRequests: 3, resetRequestsMs: 750 } },
      resume: 0,
    },
    { name: 'a failure', outcome: { kind: 'failed' }, resume: 0 },
  ])('x-ratelimit with $name resumes starts after $resume ms', async ({ outcome, resume }) => {
    const clock = virtualClock(20_000);
    const controller = controllerOn(clock, { maxConcurrency: 4 });
    (await controller.acquire(0))(outcome);
    const starts = await startAll(controller, clock, 2);
    expect(starts.map((start) => start.at)).toEqual([20_000 + resume, 20_000 + resume]);
    expect(controller.stats().rateLimited).toBe(0);
  });

  it('counts a `done` called twice once: one slot freed, one 429 counted, the limit halved once', async () => {
    const clock = virtualClock(1_000);
    const controller = controllerOn(clock, { maxConcurrency: 8 });
    const first = await controller.acquire(0);
    first({ kind: 'rate-limited', retryAfterMs: 0 });
    first({ kind: 'rate-limited', retryAfterMs: 0 });
    expect(controller.concurrency()).toBe(4);
    expect(controller.stats().rateLimited).toBe(1);

    // Four slots: fill them, free one twice, and only one more call may start.
    const held = await startAll(controller, clock, 4);
    held[0]?.done({ kind: 'ok' });
    held[0]?.done({ kind: 'ok' });
    await controller.acquire(0);
    let started = false;
    void controller.acquire(0).then(() => {
      started = true;
    });
    await settle();
    expect(started).toBe(false);
  });

  it('halves once per round: 429s for calls already in flight at the decrease do not halve again', async () => {
    const clock = virtualClock(1_000);
    const controller = controllerOn(clock, { maxConcurrency: 8 });
    const held = await startAll(controller, clock, 8);
    for (const call of held) call.done({ kind: 'rate-limited', retryAfterMs: 0 });
    expect(controller.concurrency()).toBe(4);
    expect(controller.stats().rateLimited).toBe(8);
    // A call sent after the decrease that is refused again halves again.
    (await controller.acquire(0))({ kind: 'rate-limited', retryAfterMs: 0 });
    expect(controller.concurrency()).toBe(2);
  });

  it('learns a request rate from a 429 (80% of the rate that drew it) and raises it by 0.05/s per success', async () => {
    const clock = virtualClock(1_000);
    const controller = controllerOn(clock, { maxConcurrency: 8 });
    // Ten starts within a second, the last one refused: 10/s drew it, so 8/s is learned (125 ms apart).
    const held = await startAll(controller, clock, 8);
    for (const call of held) call.done({ kind: 'ok' });
    const more = await startAll(controller, clock, 2);
    more[0]?.done({ kind: 'ok' });
    more[1]?.done({ kind: 'rate-limited', retryAfterMs: 0 });
    const paced = await startAll(controller, clock, 3);
    const gaps = paced.slice(1).map((call, index) => call.at - (paced[index]?.at ?? 0));
    expect(gaps).toEqual([125, 125]);
    // 8 successes later the rate is 8.4/s: starts ~119 ms apart.
    for (const call of paced) call.done({ kind: 'ok' });
    for (let index = 0; index < 5; index++) (await controller.acquire(0))({ kind: 'ok' });
    const later = await startAll(controller, clock, 2);
    expect((later[1]?.at ?? 0) - (later[0]?.at ?? 0)).toBeCloseTo(1000 / 8.4, 6);
  });
});
