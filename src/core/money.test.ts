import { describe, expect, it } from 'vitest';
import { divideRoundHalfEven, formatUsd, parseUsd, roundUsd } from './money.js';

describe('money', () => {
  it.each([
    [0n, '0.00'],
    [1n, '0.000000000001'],
    [975_000_000_000_000n, '975.00'],
    [477_000_000n, '0.000477'],
    [-2_500_000_000_000n, '-2.50'],
  ])('formatUsd(%s) = %s', (picos, text) => {
    expect(formatUsd(picos)).toBe(text);
    expect(parseUsd(text)).toBe(picos);
  });

  it.each([
    [33_516_666_666n, 5, '0.03352'],
    [15_000_000_000n, 2, '0.02'],
    [25_000_000_000n, 2, '0.02'],
    [35_000_000_000n, 2, '0.04'],
  ])('roundUsd(%s, %s) = %s (half to even)', (picos, decimals, text) => {
    expect(roundUsd(picos, decimals)).toBe(text);
  });

  it.each([
    [7n, 2n, 4n],
    [5n, 2n, 2n],
    [-5n, 2n, -2n],
    [-7n, 2n, -4n],
    [10n, 3n, 3n],
    [11n, 3n, 4n],
  ])('divideRoundHalfEven(%s, %s) = %s', (a, b, q) => {
    expect(divideRoundHalfEven(a, b)).toBe(q);
  });

  it('refuses inexact dollar text', () => {
    expect(() => parseUsd('1e-6')).toThrow(RangeError);
    expect(() => parseUsd('0.0000000000001')).toThrow(RangeError);
  });
});
