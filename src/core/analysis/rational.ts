import { divideRoundHalfEven, PICOS_PER_DOLLAR, type Picodollars } from '../money.js';

/**
 * An exact fraction of two bigints, always reduced, with a positive denominator. The analyses (TCO,
 * break-even) multiply decimal inputs (prices, token counts, shares, days) as fractions and round once,
 * at the end, to pico-dollars with the one rounding rule: no floating point ever touches a dollar.
 */
export type Rational = { readonly numerator: bigint; readonly denominator: bigint };

/** A decimal given as text ("0.0025", "1e-7", "10_000"), as a JS number (read through its decimal text), or exact. */
export type DecimalValue = string | number | Rational;

const decimalPattern = /^([+-])?(\d+(?:_\d+)*)?(?:\.(\d+(?:_\d+)*)?)?(?:e([+-]?\d{1,4}))?$/i;

/** The reduced fraction numerator / denominator. */
export function rational(numerator: bigint, denominator = 1n): Rational {
  if (denominator === 0n) throw new RangeError('division by zero');
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = greatestCommonDivisor(numerator < 0n ? -numerator : numerator, denominator * sign);
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

/**
 * Parses decimal text exactly. Numbers are read through `String(value)`, which is the shortest text that
 * round-trips, so `0.0025` is exactly 25/10000. Underscores may separate digits. Refuses anything else.
 */
export function parseDecimal(value: string | number): Rational {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new RangeError(`not a finite number: ${value}`);
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = decimalPattern.exec(text);
  if (!match || (match[2] === undefined && match[3] === undefined)) {
    throw new RangeError(`not a decimal number: '${value}'`);
  }
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const digits = BigInt(`${whole}${fraction}`.replaceAll('_', '') || '0');
  const scale = fraction.replaceAll('_', '').length - Number(exponent);
  const signed = sign === '-' ? -digits : digits;
  return scale >= 0 ? rational(signed, 10n ** BigInt(scale)) : rational(signed * 10n ** BigInt(-scale));
}

/** Any `DecimalValue` as an exact fraction. */
export function toRational(value: DecimalValue): Rational {
  return typeof value === 'object' ? rational(value.numerator, value.denominator) : parseDecimal(value);
}

/** A non-negative exact decimal, or a RangeError that names `field` (for inputs given in code). */
export function nonNegativeDecimal(value: DecimalValue, field: string): Rational {
  let parsed: Rational;
  try {
    parsed = toRational(value);
  } catch (error) {
    throw new RangeError(`${field}: ${(error as Error).message}`, { cause: error });
  }
  if (parsed.numerator < 0n)
    throw new RangeError(`${field} must not be negative, got ${formatRational(parsed, 12)}`);
  return parsed;
}

/** a + b + ... */
export function addRationals(...values: readonly Rational[]): Rational {
  return values.reduce(
    (sum, value) =>
      rational(
        sum.numerator * value.denominator + value.numerator * sum.denominator,
        sum.denominator * value.denominator,
      ),
    rational(0n),
  );
}

/** a − b */
export function subtractRationals(a: Rational, b: Rational): Rational {
  return addRationals(a, { numerator: -b.numerator, denominator: b.denominator });
}

/** a × b × ... */
export function multiplyRationals(...values: readonly Rational[]): Rational {
  return values.reduce(
    (product, value) =>
      rational(product.numerator * value.numerator, product.denominator * value.denominator),
    rational(1n),
  );
}

/** a ÷ b (RangeError when b is zero). */
export function divideRationals(a: Rational, b: Rational): Rational {
  return rational(a.numerator * b.denominator, a.denominator * b.numerator);
}

/** −1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareRationals(a: Rational, b: Rational): -1 | 0 | 1 {
  const difference = a.numerator * b.denominator - b.numerator * a.denominator;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** The smallest integer ≥ value. */
export function ceilRational(value: Rational): bigint {
  const quotient = value.numerator / value.denominator;
  return value.numerator > 0n && value.numerator % value.denominator !== 0n ? quotient + 1n : quotient;
}

/** A number of dollars as pico-dollars, rounded half to even when it has more than 12 decimals. */
export function rationalToPicodollars(dollars: Rational): Picodollars {
  return divideRoundHalfEven(dollars.numerator * PICOS_PER_DOLLAR, dollars.denominator);
}

/**
 * Decimal text of the value rounded half to even to at most `maxDecimals` places, trailing zeros
 * trimmed; `group` adds thousands separators to the whole part ("1,500,000").
 */
export function formatRational(value: Rational, maxDecimals = 6, { group = false } = {}): string {
  const scale = 10n ** BigInt(maxDecimals);
  const scaled = divideRoundHalfEven(value.numerator * scale, value.denominator);
  const negative = scaled < 0n;
  const magnitude = negative ? -scaled : scaled;
  const whole = (magnitude / scale).toString();
  const fraction =
    maxDecimals > 0 ? (magnitude % scale).toString().padStart(maxDecimals, '0').replace(/0+$/, '') : '';
  const grouped = group ? whole.replace(/\B(?=(\d{3})+$)/g, ',') : whole;
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

function greatestCommonDivisor(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}
