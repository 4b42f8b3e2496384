import { describe, expect, it } from 'vitest';
import { decodeAttributes, encodeAttributes, PICOS_PER_MICRO, splitPicos } from './span-columns.js';

describe('splitPicos', () => {
  it.each([0n, 1n, 999_999n, 1_000_000n, 1_234_567_890_123n, 2n ** 63n - 1n, -1n, -1_000_001n])(
    'splits %s into micros and a 0..999,999 remainder that recombine exactly',
    (total) => {
      const { micros, picos } = splitPicos(total);
      expect(picos >= 0n && picos < PICOS_PER_MICRO).toBe(true);
      expect(micros * PICOS_PER_MICRO + picos).toBe(total);
    },
  );
});

describe('attributes as JSON', () => {
  it('keeps the numbers plain JSON would lose', () => {
    const attributes = {
      nan: Number.NaN,
      up: Number.POSITIVE_INFINITY,
      down: Number.NEGATIVE_INFINITY,
      zero: -0,
      n: 1.5,
    };
    const decoded = decodeAttributes(encodeAttributes(attributes));
    expect(decoded).toStrictEqual(attributes);
    expect(Object.is(decoded['zero'], -0)).toBe(true);
  });

  it('writes ordinary attributes as plain JSON', () => {
    expect(encodeAttributes({ a: 'x', b: [''], c: true, d: 2 })).toBe('{"a":"x","b":[""],"c":true,"d":2}');
  });
});
