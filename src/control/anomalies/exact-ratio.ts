import { UsageError } from '../../core/errors.js';
import { divideRoundHalfEven, type Picodollars, parseUsd } from '../../core/money.js';

/** Ratios from settings are honoured to six decimal places, in integer arithmetic. */
const SCALE = 1_000_000n;

/** A ratio setting (1.5, 0.25) as an integer count of millionths. */
export function scaledRatio(ratio: number): bigint {
  return BigInt(Math.round(ratio * 1_000_000));
}

/** Exactly whether part / whole ≥ ratio (false when whole ≤ 0: there is nothing to compare with). */
export function atLeastRatio(part: bigint, whole: bigint, ratio: number): boolean {
  return whole > 0n && part * SCALE >= scaledRatio(ratio) * whole;
}

/** Exactly whether part / whole > ratio (false when whole ≤ 0). */
export function aboveRatio(part: bigint, whole: bigint, ratio: number): boolean {
  return whole > 0n && part * SCALE > scaledRatio(ratio) * whole;
}

/** part / whole for display only (two decimals, "2.05"); never used to decide. */
export function ratioText(part: bigint, whole: bigint): string {
  if (whole <= 0n) return '∞';
  const hundredths = divideRoundHalfEven(part * 100n, whole);
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}

/** Parses a decimal-dollar setting into pico-dollars, naming the setting when it is malformed. */
export function settingUsd(text: string, name: string): Picodollars {
  try {
    return parseUsd(text);
  } catch (error) {
    throw new UsageError(`anomaly setting ${name} must be decimal dollars such as '5.00', got '${text}'`, {
      cause: error,
    });
  }
}
