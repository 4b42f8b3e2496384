import { describe, expect, it } from 'vitest';
import { regex } from './regex.js';

const input = (text: string) => ({
  row: { id: 'r', index: 0, inputs: { q: 1 }, expectations: {} },
  prediction: { text },
});

describe('regex', () => {
  it.each([
    [/\b\d{4}\b/, true, 'built in 1998', true],
    [/\b\d{4}\b/, true, 'built long ago', false],
    ['^Answer:', true, 'Answer: 42', true],
    ['^answer:', true, 'Answer: 42', false],
    [/^answer:/i, true, 'Answer: 42', true],
    [/sorry/i, false, 'Sorry, I cannot', false],
    [/sorry/i, false, 'Here you go', true],
  ])('%s (mustMatch %s) on %j passes: %s', async (pattern, mustMatch, text, pass) => {
    expect((await regex(pattern, { mustMatch }).score(input(text))).value).toBe(pass);
  });

  it('gives the same verdict on every call, even for a global pattern', async () => {
    const scorer = regex(/a/g);
    const verdicts = await Promise.all([1, 2, 3].map(() => scorer.score(input('a'))));
    expect(verdicts.map((score) => score.value)).toEqual([true, true, true]);
  });

  it('explains a fail', async () => {
    expect((await regex(/\d+/).score(input('none'))).rationale).toBe('no match for /\\d+/');
    expect((await regex(/secret/, { mustMatch: false }).score(input('my secret'))).rationale).toBe(
      "matched 'secret', which is not allowed",
    );
  });
});
