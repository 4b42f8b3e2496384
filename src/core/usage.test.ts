import { describe, expect, it } from 'vitest';
import { addUsage, totalTokens, validateUsage } from './usage.js';

describe('validateUsage', () => {
  it.each([
    { usage: { input: 10, output: 5 }, problems: [] },
    { usage: {}, problems: [] },
    { usage: { input: -1 }, problems: ['input'] },
    { usage: { output: 1.5 }, problems: ['output'] },
    { usage: { input: 10, cachedInput: 8, cacheWrite: 3 }, problems: ['input'] },
    { usage: { input: 10, cachedInput: 4, cacheWrite: 3, cacheWrite1h: 3 }, problems: [] },
    { usage: { output: 10, reasoning: 11 }, problems: ['output'] },
  ])('$usage → $problems', ({ usage, problems }) => {
    expect(validateUsage(usage).map((problem) => problem.field)).toEqual(problems);
  });
});

describe('addUsage', () => {
  it('keeps unknown only where every operand is unknown', () => {
    expect(addUsage({ input: 3, output: 4 }, { input: 1, reasoning: 2 })).toEqual({
      input: 4,
      cachedInput: undefined,
      cacheWrite: undefined,
      cacheWrite1h: undefined,
      output: 4,
      reasoning: 2,
    });
  });
});

describe('totalTokens', () => {
  it('is undefined when a side is unknown', () => {
    expect(totalTokens({ input: 3 })).toBeUndefined();
    expect(totalTokens({ input: 3, output: 4 })).toBe(7);
  });
});
