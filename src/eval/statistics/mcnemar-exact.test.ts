import { describe, expect, it } from 'vitest';
import { mcnemarExact } from './mcnemar-exact.js';

describe('mcnemarExact', () => {
  // Hand-computed: 2·Σ_{i≤min(b,c)} C(b+c, i) / 2^(b+c); cross-checked with R's binom.test(b, b + c)$p.value.
  it.each([
    [10, 2, (2 * (1 + 12 + 66)) / 4096], // 0.03857
    [2, 10, (2 * (1 + 12 + 66)) / 4096], // symmetric
    [5, 0, 2 / 32], // 0.0625: five of five discordant pairs one way is not enough at 5%
    [6, 0, 2 / 64], // 0.03125
    [3, 3, 1],
    [0, 0, 1],
    [1, 0, 1],
    [12, 2, (2 * (1 + 14 + 91)) / 16384], // Newcombe's example (a): 0.01294
  ])('b=%i c=%i gives p=%f', (b, c, expected) => {
    expect(mcnemarExact(b, c)).toBeCloseTo(expected, 12);
  });

  it('stays accurate for large counts', () => {
    // binom.test(400, 1000)$p.value = 2.7e-10 (one-sided tail 1.36e-10)
    const p = mcnemarExact(400, 600);
    expect(p).toBeGreaterThan(2.5e-10);
    expect(p).toBeLessThan(2.9e-10);
    expect(mcnemarExact(5000, 5000)).toBe(1);
  });

  it('rejects counts that are not whole and non-negative', () => {
    expect(() => mcnemarExact(-1, 2)).toThrow('b must be a whole number ≥ 0, got -1');
    expect(() => mcnemarExact(1, 2.5)).toThrow('c must be a whole number ≥ 0, got 2.5');
  });
});
