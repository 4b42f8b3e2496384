import { formatUsd } from '../money.js';

const MICROS_PER_DOLLAR = 1_000_000n;

/**
 * Exact pico-dollars per token from a price in USD per 1M tokens written as a plain decimal ("2.5",
 * "0.075", "15"). Pico-dollars per token are micro-dollars per 1M tokens, so at most 6 decimals are exact;
 * more, an exponent, a sign or anything else is refused with a RangeError saying what was expected.
 */
export function pricePerMillionToPicos(text: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match)
    throw new RangeError(`expected a non-negative decimal USD price per 1M tokens, found '${text}'`);
  const [, whole, fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > 6) {
    throw new RangeError(`expected at most 6 decimals (micro-dollars per 1M tokens), found '${text}'`);
  }
  return BigInt(whole!) * MICROS_PER_DOLLAR + BigInt(fraction.slice(0, 6).padEnd(6, '0'));
}

/** A per-token rate shown as exact USD per 1M tokens: 2_500_000n → "2.50". */
export function formatPerMillion(picosPerToken: bigint): string {
  return formatUsd(picosPerToken * MICROS_PER_DOLLAR);
}
