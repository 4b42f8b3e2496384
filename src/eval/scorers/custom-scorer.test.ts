import { describe, expect, it } from 'vitest';
import type { Score, ScoreKind } from '../scorer.js';
import { customScorer, type ScoreFunction } from './custom-scorer.js';

const input = {
  row: { id: 'r', index: 0, inputs: { q: 1 }, expectations: {} },
  prediction: { text: 'four words in here' },
};

describe('customScorer', () => {
  it.each<[string, ScoreKind, ScoreFunction, Score]>([
    [
      'a boolean verdict',
      'pass-fail',
      ({ prediction }) => prediction.text.includes('words'),
      { value: true },
    ],
    [
      'a number verdict',
      'numeric',
      ({ prediction }) => prediction.text.split(' ').length / 8,
      { value: 0.5 },
    ],
    ['an async verdict', 'numeric', async () => 0.25, { value: 0.25 }],
    [
      'a whole Score',
      'pass-fail',
      () => ({ value: false, rationale: 'too short' }),
      { value: false, rationale: 'too short' },
    ],
    [
      'a thrown error',
      'numeric',
      () => {
        throw new Error('boom');
      },
      { value: undefined, error: 'mine threw: boom' },
    ],
    [
      'a rejected promise',
      'pass-fail',
      () => Promise.reject(new Error('late boom')),
      { value: undefined, error: 'mine threw: late boom' },
    ],
    [
      'a thrown non-error',
      'pass-fail',
      () => {
        throw 'text';
      },
      { value: undefined, error: 'mine threw: text' },
    ],
    [
      'a number from a pass-fail scorer',
      'pass-fail',
      () => 1,
      { value: undefined, error: 'mine returned 1, expected true or false' },
    ],
    [
      'a boolean from a numeric scorer',
      'numeric',
      () => true,
      { value: undefined, error: 'mine returned true, expected a finite number' },
    ],
    [
      'NaN',
      'numeric',
      () => Number.NaN,
      { value: undefined, error: 'mine returned NaN, expected a finite number' },
    ],
    [
      'a Score with an error',
      'numeric',
      () => ({ value: 0, error: 'no data' }),
      { value: undefined, error: 'no data' },
    ],
  ])('%s', async (_, kind, fn, expected) => {
    const scorer = customScorer('mine', kind, fn);
    expect(scorer).toMatchObject({ name: 'mine', kind, usesJudge: false });
    expect(await scorer.score(input)).toEqual(expected);
  });

  it('needs a name', () => {
    expect(() => customScorer(' ', 'numeric', () => 1)).toThrow('a scorer needs a non-empty name');
  });
});
