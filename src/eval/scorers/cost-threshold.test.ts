import { describe, expect, it } from 'vitest';
import type { Prediction } from '../scorer.js';
import { costThreshold } from './cost-threshold.js';

const input = (prediction: Partial<Prediction>) => ({
  row: { id: 'r', index: 0, inputs: { q: 1 }, expectations: {} },
  prediction: { text: 'answer', ...prediction },
});

describe('costThreshold', () => {
  const limit = 1_000_000_000n; // $0.001
  it.each<[string, Partial<Prediction>, boolean | undefined, string | undefined]>([
    ['just under', { cost: 999_999_999n }, true, undefined],
    ['at the limit', { cost: limit }, true, undefined],
    ['free', { cost: 0n }, true, undefined],
    ['one pico-dollar over', { cost: limit + 1n }, false, 'cost $0.001000000001, over the limit of $0.001'],
    ['unpriced', {}, undefined, undefined],
  ])('%s gives %s', async (_, prediction, value, rationale) => {
    const score = await costThreshold(limit).score(input(prediction));
    expect(score.value).toBe(value);
    expect(score.rationale).toBe(rationale);
    if (value === undefined) expect(score.error).toBe('the call has no price: no cost to judge');
  });

  it('refuses a negative limit', () => {
    expect(() => costThreshold(-1n)).toThrow('limit must be ≥ 0 pico-dollars, got -1');
  });
});
