import { describe, expect, it } from 'vitest';
import { dollarsText, perQueryDollarsText, spendDollarsText } from './dollars-text.js';

describe('dollarsText', () => {
  it.each([
    [10_055_000_000_000_000n, '$10,055.00'],
    [975_000_000_000_000n, '$975.00'],
    [5_000_000_000n, '$0.00'], // half a cent rounds to even
    [15_000_000_000n, '$0.02'],
    [1_234_567_890_000_000_000n, '$1,234,567.89'],
    [-2_500_000_000_000n, '-$2.50'],
    [0n, '$0.00'],
  ])('%s pico-dollars read %s', (amount, text) => {
    expect(dollarsText(amount)).toBe(text);
  });
});

describe('perQueryDollarsText', () => {
  it.each([
    [33_516_666_667n, '$0.03352'],
    [7_000_000_000n, '$0.007'],
    [210_000_000n, '$0.00021'],
    [1_234_567n, '$0.00000123'],
    [1n, '$0.000000000001'],
    [2_000_000_000_000n, '$2.00'],
    [0n, '$0.00'],
  ])('%s pico-dollars read %s', (amount, text) => {
    expect(perQueryDollarsText(amount)).toBe(text);
  });
});

describe('spendDollarsText', () => {
  it.each([
    [29_700_000n, '$0.0000297'],
    [4_999_999_999n, '$0.005'],
    [5_000_000_000n, '$0.005'],
    [5_000_000_001n, '$0.01'],
    [60_000_132_500_000n, '$60.00'],
    [0n, '$0.00'],
    [-29_700_000n, '-$0.0000297'],
  ])('%s pico-dollars read %s: never a paid call shown as $0.00', (amount, text) => {
    expect(spendDollarsText(amount)).toBe(text);
  });
});
