import { describe, expect, it } from 'vitest';
import type { Expectations } from '../eval-row.js';
import type { Prediction } from '../scorer.js';
import { exactMatch } from './exact-match.js';

const input = (text: string, expectations: Expectations, prediction: Partial<Prediction> = {}) => ({
  row: { id: 'row-1', index: 0, inputs: { question: 'q' }, expectations },
  prediction: { text, ...prediction },
});

describe('exactMatch', () => {
  it.each([
    ['Paris', 'Paris', {}, true],
    ['paris', 'Paris', {}, false],
    ['paris', 'Paris', { ignoreCase: true }, true],
    ['  Paris\n', 'Paris', {}, false],
    ['  New   York\n', 'New York', { ignoreWhitespace: true }, true],
    [' NEW\tYORK ', 'new york', { ignoreWhitespace: true, ignoreCase: true }, true],
    ['NewYork', 'New York', { ignoreWhitespace: true }, false],
  ])('%j vs %j with %j passes: %s', async (answer, expected, options, pass) => {
    const score = await exactMatch(options).score(input(answer, { expected_response: expected }));
    expect(score.value).toBe(pass);
    if (!pass)
      expect(score.rationale).toBe(`expected '${expected}', got '${answer.replaceAll('\n', '\\n')}'`);
  });

  it('gives an error, not a fail, for a row without an expected response', async () => {
    const score = await exactMatch().score(input('Paris', { expected_facts: ['Paris'] }));
    expect(score).toEqual({ value: undefined, error: 'the row has no expectations.expected_response' });
  });

  it('is a deterministic pass-fail scorer with a default or given name', () => {
    expect(exactMatch()).toMatchObject({ name: 'exact_match', kind: 'pass-fail', usesJudge: false });
    expect(exactMatch({ name: 'answer' }).name).toBe('answer');
  });
});
