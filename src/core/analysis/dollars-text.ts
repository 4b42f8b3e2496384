import { type Picodollars, roundUsd } from '../money.js';

/** "$10,055.00": dollars rounded half to even to cents, with thousands separators, for report tables. */
export function dollarsText(amount: Picodollars): string {
  const [whole = '', fraction = ''] = roundUsd(amount < 0n ? -amount : amount, 2).split('.');
  return `${amount < 0n ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${fraction}`;
}

/**
 * A small per-unit cost: five decimals as in the textbook ("$0.03352"), more when needed to show three
 * significant digits ("$0.00021"), trailing zeros past the cents trimmed. Rounded half to even.
 */
export function perQueryDollarsText(amount: Picodollars): string {
  const magnitude = amount < 0n ? -amount : amount;
  let decimals = 5;
  while (decimals < 12 && magnitude !== 0n && magnitude * 10n ** BigInt(decimals) < 100n * 10n ** 12n)
    decimals++;
  return `${amount < 0n ? '-' : ''}$${roundUsd(magnitude, decimals).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}

/**
 * Dollars to the cent like `dollarsText`, except that an amount that is not zero never shows as "$0.00": one that
 * rounds to it shows its own digits as `perQueryDollarsText` does ("$0.0000297"), so spend tables never make
 * a paid call look free.
 */
export function spendDollarsText(amount: Picodollars): string {
  const text = dollarsText(amount);
  return amount !== 0n && /^-?\$0\.00$/.test(text) ? perQueryDollarsText(amount) : text;
}
