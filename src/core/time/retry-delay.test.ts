import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs } from './retry-delay.js';

const now = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('retryAfterMs', () => {
  it.each([
    ['2', 2_000],
    [' 0 ', 0],
    ['1.5', 1_500],
    ['Sun, 22 Nov 2026 12:00:07 GMT', 7_000],
    ['Sun, 22 Nov 2026 11:59:00 GMT', 0],
  ])('reads %j as %d ms', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });

  it.each([[null], [undefined], ['soon'], ['-3']])('ignores %j', (header) => {
    expect(retryAfterMs(header, now)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('doubles per retry between half and all of the ceiling, capped', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    expect([1, 2, 3, 4].map((retry) => backoffMs(retry, 100, 500, low))).toEqual([50, 100, 200, 250]);
    expect([1, 2, 3, 4].map((retry) => backoffMs(retry, 100, 500, high))).toEqual([100, 200, 400, 500]);
  });
});
