import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { aboveRatio, atLeastRatio, ratioText, settingUsd } from './exact-ratio.js';

describe('exact ratios', () => {
  it.each([
    // part, whole, ratio, at least, above
    [150n, 100n, 1.5, true, false],
    [149n, 100n, 1.5, false, false],
    [151n, 100n, 1.5, true, true],
    [25n, 100n, 0.25, true, false],
    [0n, 100n, 0, true, false],
    [5n, 0n, 1.5, false, false],
    // Far beyond a float's 53 bits: 1.5 × (2^70 + 1) is not representable, the comparison still exact.
    [3n * 2n ** 69n + 1n, 2n ** 70n + 1n, 1.5, false, false],
    [3n * 2n ** 69n + 2n, 2n ** 70n + 1n, 1.5, true, true],
  ])('%s / %s against %s', (part, whole, ratio, atLeast, above) => {
    expect(atLeastRatio(part, whole, ratio)).toBe(atLeast);
    expect(aboveRatio(part, whole, ratio)).toBe(above);
  });

  it('prints a ratio with two decimals rounded half to even, for messages only', () => {
    expect(ratioText(205n, 100n)).toBe('2.05');
    expect(ratioText(2n, 3n)).toBe('0.67');
    expect(ratioText(1n, 0n)).toBe('∞');
  });

  it('reads decimal-dollar settings exactly and names a malformed one', () => {
    expect(settingUsd('5.00', 'spendSpike.minSpendUsd')).toBe(5_000_000_000_000n);
    expect(settingUsd('0.000001', 'x')).toBe(1_000_000n);
    expect(() => settingUsd('5e3', 'spendSpike.minSpendUsd')).toThrow(UsageError);
    expect(() => settingUsd('$5', 'spendSpike.minSpendUsd')).toThrow(/spendSpike\.minSpendUsd.*'\$5'/);
  });
});
