import { describe, expect, it } from 'vitest';
import { packedPrompt, parsePackedAnswer } from './packed-prompt.js';

describe('packedPrompt', () => {
  it('numbers the items in tags and asks for a JSON array of that many answers', () => {
    const prompt = packedPrompt(['What is 2 + 2?', 'Name a colour.']);
    expect(prompt).toContain('Reply with only a JSON array of 2 objects');
    expect(prompt).toContain(
      '<item id="1">\nWhat is 2 + 2?\n</item>\n<item id="2">\nName a colour.\n</item>',
    );
  });
});

describe('parsePackedAnswer', () => {
  it.each([
    ['a clean array', '[{"item": 1, "answer": "4"}, {"item": 2, "answer": "red"}]', ['4', 'red']],
    ['items out of order', '[{"item": 2, "answer": "red"}, {"item": 1, "answer": "4"}]', ['4', 'red']],
    [
      'a fenced block after prose',
      'Sure!\n```json\n[{"item": 1, "answer": "4"}, {"item": "2", "answer": "red"}]\n```',
      ['4', 'red'],
    ],
    [
      'an object wrapping the array',
      '{"answers": [{"item": 1, "answer": "4"}, {"item": 2, "answer": "red"}]}',
      ['4', 'red'],
    ],
    ['a bare array of strings, in order', '["4", "red"]', ['4', 'red']],
    ['a missing item', '[{"item": 1, "answer": "4"}]', ['4', undefined]],
    [
      'an empty and a non-string answer',
      '[{"item": 1, "answer": " "}, {"item": 2, "answer": 7}]',
      [undefined, undefined],
    ],
    [
      'a number given twice',
      '[{"item": 1, "answer": "4"}, {"item": 1, "answer": "5"}, {"item": 2, "answer": "red"}]',
      [undefined, 'red'],
    ],
    [
      'an out-of-range number',
      '[{"item": 3, "answer": "x"}, {"item": 2, "answer": "red"}]',
      [undefined, 'red'],
    ],
    ['a bare array of the wrong length', '["4"]', [undefined, undefined]],
    ['prose', 'The first is 4 and the second is red.', [undefined, undefined]],
    ['a cut-off array', '[{"item": 1, "answer": "4"}, {"item": 2, "ans', [undefined, undefined]],
  ])('%s', (_name, reply, expected) => {
    expect(parsePackedAnswer(reply, 2)).toEqual(expected);
  });
});
