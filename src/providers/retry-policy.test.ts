import { describe, expect, it } from 'vitest';
import { ProviderError } from '../core/errors.js';
import { abortableSleep, createRetryPolicy, retryDelayMs, withRetries } from './retry-policy.js';

const providerError = (retryable: boolean, retryAfterMs?: number) =>
  new ProviderError('test', { retryable, retryAfterMs }, 'failed');

describe('retryDelayMs', () => {
  const policy = createRetryPolicy({
    random: () => 0.5,
    initialDelayMs: 500,
    maxDelayMs: 1_500,
    maxRetries: 5,
  });
  it.each([
    ['a non-retryable error', providerError(false), 1, undefined],
    ['a plain Error', new Error('boom'), 1, undefined],
    ['retry-after honoured', providerError(true, 2_000), 1, 2_000],
    ['retry-after of 0', providerError(true, 0), 1, 0],
    ['retry-after beyond 60 s: not retried', providerError(true, 61_000), 1, undefined],
    ['backoff, first retry', providerError(true), 1, 375],
    ['backoff, second retry', providerError(true), 2, 750],
    ['backoff capped', providerError(true), 5, 1_125],
    ['past maxRetries', providerError(true), 6, undefined],
  ])('%s', (_, error, retry, expected) => {
    expect(retryDelayMs(policy, error, retry)).toBe(expected);
  });

  it('defaults to two retries', () => {
    expect(createRetryPolicy().maxRetries).toBe(2);
  });
});

describe('withRetries', () => {
  it('retries retryable errors with the policy sleep, then returns the success', async () => {
    const waits: number[] = [];
    const policy = createRetryPolicy({ random: () => 0, sleep: async (ms) => void waits.push(ms) });
    const attempts: number[] = [];
    const result = await withRetries(policy, async (attempt) => {
      attempts.push(attempt);
      if (attempt < 2) throw providerError(true, attempt === 0 ? 42 : undefined);
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(attempts).toEqual([0, 1, 2]);
    expect(waits).toEqual([42, 500]);
  });

  it('rethrows the last error once retries are spent', async () => {
    const policy = createRetryPolicy({ maxRetries: 1, sleep: async () => undefined });
    let calls = 0;
    const last = providerError(true);
    await expect(
      withRetries(policy, async () => {
        calls += 1;
        throw calls === 2 ? last : providerError(true);
      }),
    ).rejects.toBe(last);
    expect(calls).toBe(2);
  });

  it("stops waiting at once when the caller's signal aborts", async () => {
    const policy = createRetryPolicy({ initialDelayMs: 10_000, maxDelayMs: 10_000 });
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 20);
    const started = performance.now();
    let calls = 0;
    await expect(
      withRetries(
        policy,
        async () => {
          calls += 1;
          throw providerError(true);
        },
        controller.signal,
      ),
    ).rejects.toBe(reason);
    expect(calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('abortableSleep waits, and rejects with the reason of an already aborted signal', async () => {
    const started = performance.now();
    await abortableSleep(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    await expect(abortableSleep(10, AbortSignal.abort('gone'))).rejects.toBe('gone');
  });
});
