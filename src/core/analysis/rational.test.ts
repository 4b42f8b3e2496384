import { describe, expect, it } from 'vitest';
import {
  addRationals,
  ceilRational,
  compareRationals,
  divideRationals,
  formatRational,
  multiplyRationals,
  nonNegativeDecimal,
  parseDecimal,
  rational,
  rationalToPicodollars,
  subtractRationals,
} from './rational.js';

describe('parseDecimal', () => {
  it.each<[string | number, bigint, bigint]>([
    ['0.0025', 1n, 400n],
    [0.0025, 1n, 400n],
    [0.1, 1n, 10n],
    ['10_000', 10_000n, 1n],
    ['1e-7', 1n, 10_000_000n],
    [1e-7, 1n, 10_000_000n],
    ['2.5E3', 2500n, 1n],
    ['-1.50', -3n, 2n],
    ['+.5', 1n, 2n],
    ['7.', 7n, 1n],
    [' 42 ', 42n, 1n],
    ['0', 0n, 1n],
    [-0, 0n, 1n],
  ])('%j is %s/%s exactly', (text, numerator, denominator) => {
    expect(parseDecimal(text)).toEqual({ numerator, denominator });
  });

  it.each(['', '.', 'abc', '1,000', '$5', '1_', '_1', '0x10', '1e', 'NaN', 'Infinity', '1e99999'])(
    'refuses %j',
    (text) => {
      expect(() => parseDecimal(text)).toThrow(RangeError);
    },
  );

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('refuses the number %s', (value) => {
    expect(() => parseDecimal(value)).toThrow(RangeError);
  });
});

describe('arithmetic', () => {
  const third = rational(1n, 3n);

  it('keeps fractions reduced with a positive denominator', () => {
    expect(rational(6n, -4n)).toEqual({ numerator: -3n, denominator: 2n });
    expect(rational(0n, 7n)).toEqual({ numerator: 0n, denominator: 1n });
    expect(() => rational(1n, 0n)).toThrow(RangeError);
  });

  it('adds, subtracts, multiplies and divides exactly', () => {
    expect(addRationals(third, third, third)).toEqual(rational(1n));
    expect(addRationals()).toEqual(rational(0n));
    expect(subtractRationals(rational(1n), third)).toEqual(rational(2n, 3n));
    expect(multiplyRationals(parseDecimal('0.1'), parseDecimal('0.2'))).toEqual(parseDecimal('0.02'));
    expect(divideRationals(rational(1n), third)).toEqual(rational(3n));
    expect(() => divideRationals(rational(1n), rational(0n))).toThrow(RangeError);
  });

  it.each<[bigint, bigint, -1 | 0 | 1]>([
    [1n, 4n, -1],
    [2n, 6n, 0],
    [1n, 2n, 1],
  ])('compares %s/%s with 1/3', (numerator, denominator, order) => {
    expect(compareRationals(rational(numerator, denominator), third)).toBe(order);
  });

  it.each<[bigint, bigint, bigint]>([
    [7n, 2n, 4n],
    [6n, 2n, 3n],
    [-7n, 2n, -3n],
    [0n, 1n, 0n],
    [1n, 1_000_000n, 1n],
  ])('ceil(%s/%s) = %s', (numerator, denominator, ceiling) => {
    expect(ceilRational(rational(numerator, denominator))).toBe(ceiling);
  });
});

describe('conversions', () => {
  it.each<[bigint, bigint, bigint]>([
    [1n, 3n, 333_333_333_333n],
    [5n, 10n ** 13n, 0n], // 0.5 pico rounds to even 0
    [15n, 10n ** 13n, 2n], // 1.5 pico rounds to even 2
    [-15n, 10n ** 13n, -2n],
    [10_055n, 1n, 10_055_000_000_000_000n],
  ])('%s/%s dollars = %s pico-dollars', (numerator, denominator, picos) => {
    expect(rationalToPicodollars(rational(numerator, denominator))).toBe(picos);
  });

  it.each<[bigint, bigint, number, boolean, string]>([
    [300_000n, 1n, 2, true, '300,000'],
    [2n, 3n, 6, false, '0.666667'],
    [1n, 8n, 2, false, '0.12'], // 0.125 → half to even
    [3n, 8n, 2, false, '0.38'],
    [-1_234_567n, 100n, 1, true, '-12,345.7'],
    [5n, 2n, 0, false, '2'],
    [0n, 1n, 3, false, '0'],
  ])('formats %s/%s to %s decimals (group %s) as %s', (numerator, denominator, decimals, group, text) => {
    expect(formatRational(rational(numerator, denominator), decimals, { group })).toBe(text);
  });

  it('names the field of a bad or negative input', () => {
    expect(nonNegativeDecimal('3.5', 'hours')).toEqual(rational(7n, 2n));
    expect(() => nonNegativeDecimal('-1', 'hours')).toThrow('hours must not be negative, got -1');
    expect(() => nonNegativeDecimal('x', 'hours')).toThrow("hours: not a decimal number: 'x'");
  });
});
