import { describe, expect, it } from 'vitest';
import { formatPerMillion, pricePerMillionToPicos } from './price-per-million.js';

describe('prices per 1M tokens ↔ pico-dollars per token', () => {
  const good: [string, bigint][] = [
    ['2.5', 2_500_000n],
    ['2.50', 2_500_000n],
    ['15', 15_000_000n],
    ['0.075', 75_000n],
    ['0.000001', 1n],
    ['0.0000010', 1n],
    ['0', 0n],
    [' 3 ', 3_000_000n],
  ];
  it.each(good)('%s → %s', (text, picos) => {
    expect(pricePerMillionToPicos(text)).toBe(picos);
  });

  const bad: [string, RegExp][] = [
    ['0.0000001', /at most 6 decimals/],
    ['1e-7', /decimal USD price/],
    ['-1', /decimal USD price/],
    ['$2', /decimal USD price/],
    ['', /decimal USD price/],
  ];
  it.each(bad)('%s is refused', (text, message) => {
    expect(() => pricePerMillionToPicos(text)).toThrow(message);
  });

  it('formats back to exact dollars per 1M', () => {
    expect(formatPerMillion(2_500_000n)).toBe('2.50');
    expect(formatPerMillion(2_125_000n)).toBe('2.125');
    expect(formatPerMillion(1n)).toBe('0.000001');
  });
});
