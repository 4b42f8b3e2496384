import { describe, expect, it } from 'vitest';
import type { Expectations } from '../eval-row.js';
import { type ContainsOptions, type ContainsSource, contains, notContains } from './contains.js';

const input = (text: string, expectations: Expectations = {}) => ({
  row: { id: 'row-1', index: 0, inputs: { question: 'q' }, expectations },
  prediction: { text },
});

describe('contains', () => {
  it.each<[string, ContainsSource, ContainsOptions, Expectations, boolean, readonly string[]]>([
    ['all present', ['TCP', 'UDP'], {}, {}, true, []],
    ['one missing', ['TCP', 'QUIC'], {}, {}, false, ['QUIC']],
    ['case matters by default', ['tcp'], {}, {}, false, ['tcp']],
    ['ignoring case', ['tcp', 'udp'], { ignoreCase: true }, {}, true, []],
    ['any: one is enough', ['QUIC', 'UDP'], { match: 'any' }, {}, true, ['QUIC']],
    ['any: none present', ['QUIC', 'SCTP'], { match: 'any' }, {}, false, ['QUIC', 'SCTP']],
    [
      'from an expectation list',
      { expectation: 'keywords' },
      {},
      { keywords: ['TCP', 'ordered'] },
      false,
      ['ordered'],
    ],
    [
      'from an expectation string',
      { expectation: 'expected_response' },
      {},
      { expected_response: 'UDP' },
      true,
      [],
    ],
  ])('%s', async (_, source, options, expectations, pass, missing) => {
    const score = await contains(source, options).score(input('TCP is reliable; UDP is not.', expectations));
    expect(score.value).toBe(pass);
    expect(score.details?.['missing']).toEqual(missing);
  });

  it.each([
    [{}, 'the row has no expectations.keywords'],
    [{ keywords: [] }, 'expectations.keywords must be a non-empty string or list of non-empty strings'],
    [{ keywords: [3] }, 'expectations.keywords must be a non-empty string or list of non-empty strings'],
  ])('gives an error for expectations %j', async (expectations, error) => {
    const score = await contains({ expectation: 'keywords' }).score(input('text', expectations));
    expect(score).toEqual({ value: undefined, error });
  });

  it('names what is missing', async () => {
    const score = await contains(['alpha', 'beta']).score(input('alpha only'));
    expect(score.rationale).toBe("missing 'beta'");
  });

  it('refuses an empty list of strings when made', () => {
    expect(() => contains([])).toThrow('expected a non-empty list of non-empty strings to look for');
    expect(() => notContains([''])).toThrow(RangeError);
  });
});

describe('notContains', () => {
  it.each<[string, ContainsSource, boolean, boolean, string | undefined]>([
    ['Here is the answer.', ['As an AI'], false, true, undefined],
    ['As an AI, I cannot', ['As an AI', 'sorry'], false, false, "contains 'As an AI'"],
    ['as an ai model', ['As an AI'], false, true, undefined],
    ['as an ai model', ['As an AI'], true, false, "contains 'As an AI'"],
  ])('%j (ignoreCase %s)', async (text, source, ignoreCase, pass, rationale) => {
    const score = await notContains(source, { ignoreCase }).score(input(text));
    expect(score.value).toBe(pass);
    expect(score.rationale).toBe(rationale);
  });

  it('reads forbidden strings from an expectation', async () => {
    const score = await notContains({ expectation: 'forbidden' }).score(
      input('the key is sk-123', { forbidden: 'sk-' }),
    );
    expect(score).toMatchObject({ value: false, details: { found: ['sk-'] } });
    expect(notContains(['x']).name).toBe('not_contains');
  });
});
