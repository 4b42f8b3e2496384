/**
 * Money in frugal is a `bigint` count of pico-dollars (1e-12 USD). Prices are integers in micro-dollars per
 * million tokens, which is the same number as pico-dollars per token, so tokens × price is an exact integer.
 * Dollars appear only at the edges, as exact decimal strings.
 */
export type Picodollars = bigint;

export const PICOS_PER_DOLLAR = 1_000_000_000_000n;

/** Exact decimal dollars with all 12 fractional digits trimmed of trailing zeros (at least `minDecimals`). */
export function formatUsd(amount: Picodollars, minDecimals = 2): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const whole = abs / PICOS_PER_DOLLAR;
  let fraction = (abs % PICOS_PER_DOLLAR).toString().padStart(12, '0').replace(/0+$/, '');
  if (fraction.length < minDecimals) fraction = fraction.padEnd(minDecimals, '0');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Dollars rounded half-to-even to `decimals` places, for display ("$0.000477"). */
export function roundUsd(amount: Picodollars, decimals: number): string {
  const scale = 10n ** BigInt(12 - decimals);
  const rounded = divideRoundHalfEven(amount, scale) * scale;
  return formatUsd(rounded, decimals).replace(new RegExp(`(\\.\\d{${decimals}})\\d*$`), '$1');
}

/** Parses an exact decimal dollar string ("0.0025", "1e-6" is refused) into pico-dollars. */
export function parseUsd(text: string): Picodollars {
  const match = /^(-)?(\d+)(?:\.(\d{1,12}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not an exact dollar amount with at most 12 decimals: '${text}'`);
  const [, sign, whole, fraction = ''] = match;
  const picos = BigInt(whole!) * PICOS_PER_DOLLAR + BigInt(fraction.padEnd(12, '0'));
  return sign ? -picos : picos;
}

/** Integer division rounding half to even: the one rounding rule used wherever money must be divided. */
export function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) return divideRoundHalfEven(-numerator, -denominator);
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice < denominator) return quotient;
  const away = numerator < 0n ? quotient - 1n : quotient + 1n;
  if (twice > denominator) return away;
  return quotient % 2n === 0n ? quotient : away;
}

/** Dollars as a float for charts and ratios only; never accumulate these. */
export function usdToNumber(amount: Picodollars): number {
  return Number(amount) / 1e12;
}
