import { describe, expect, it } from 'vitest';
import { type LengthBoundsOptions, lengthBounds } from './length-bounds.js';

const input = (text: string) => ({
  row: { id: 'r', index: 0, inputs: { q: 1 }, expectations: {} },
  prediction: { text },
});

describe('lengthBounds', () => {
  it.each<[string, LengthBoundsOptions, boolean, number, string | undefined]>([
    ['hello', { max: 5 }, true, 5, undefined],
    ['hello!', { max: 5 }, false, 6, '6 chars, above the maximum of 5'],
    ['hi', { min: 3 }, false, 2, '2 chars, below the minimum of 3'],
    ['héllo 👋', { min: 7, max: 7 }, true, 7, undefined],
    ['one two  three\nfour', { unit: 'words', max: 4 }, true, 4, undefined],
    ['  one two  ', { unit: 'words', min: 3 }, false, 2, '2 words, below the minimum of 3'],
    ['', { unit: 'words', max: 10 }, true, 0, undefined],
  ])('%j with %j passes: %s', async (text, options, pass, length, rationale) => {
    const score = await lengthBounds(options).score(input(text));
    expect(score.value).toBe(pass);
    expect(score.details?.['length']).toBe(length);
    expect(score.rationale).toBe(rationale);
  });

  it.each<[LengthBoundsOptions, string]>([
    [{}, 'lengthBounds needs a min, a max or both'],
    [{ min: 5, max: 2 }, 'min (5) is above max (2)'],
    [{ min: -1 }, 'min must be a whole number ≥ 0, got -1'],
    [{ max: 1.5 }, 'max must be a whole number ≥ 0, got 1.5'],
  ])('refuses %j', (options, message) => {
    expect(() => lengthBounds(options)).toThrow(message);
  });
});
