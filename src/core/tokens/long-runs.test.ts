import { describe, expect, it } from 'vitest';
import { longRuns } from './long-runs.js';

describe('longRuns', () => {
  it.each<[string, string, number, [number, number][]]>([
    ['no run over the limit', 'short words only', 5, []],
    ['a letter run', 'ab abcd', 3, [[3, 7]]],
    ['letters with combining marks stay one run', 'e\u0301e\u0301', 3, [[0, 4]]],
    ['digits break runs', 'abc1abc', 3, []],
    ['a symbol run', 'x ==== y', 3, [[2, 6]]],
    ['a space run', 'x     y', 3, [[1, 6]]],
    ['CJK letters', '漢字測試', 3, [[0, 4]]],
    ['CJK punctuation breaks the run', '漢字，測試', 3, []],
    ['astral letters (surrogate pairs) are letters', '𝐀𝐁', 3, [[0, 4]]],
    ['emoji are symbols', 'a😀😀b', 3, [[1, 5]]],
    [
      'several runs, in order',
      'aaaa ---- bbbb',
      3,
      [
        [0, 4],
        [5, 9],
        [10, 14],
      ],
    ],
  ])('%s', (_, text, limit, expected) => {
    expect(longRuns(text, limit)).toEqual(expected);
  });
});

/** The obvious definition, character by character: the reference the sampling scan must agree with. */
function naiveLongRuns(text: string, maxRunLength: number): [number, number][] {
  const classOf = (character: string) =>
    /[\p{L}\p{M}]/u.test(character) ? 1 : /\p{N}/u.test(character) ? 0 : /\s/u.test(character) ? 3 : 2;
  const runs: [number, number][] = [];
  let start = 0;
  let runClass = -1;
  let index = 0;
  for (const character of text) {
    const characterClass = classOf(character);
    if (characterClass !== runClass) {
      if (runClass > 0 && index - start > maxRunLength) runs.push([start, index]);
      runClass = characterClass;
      start = index;
    }
    index += character.length;
  }
  if (runClass > 0 && index - start > maxRunLength) runs.push([start, index]);
  return runs;
}

describe('longRuns agrees with the character-by-character definition', () => {
  // A small deterministic generator: long same-class stretches mixed with noise, astral characters included.
  const alphabet = ['a', 'b', 'Z', 'é', '漢', '𝐀', '=', '-', '😀', ' ', '\n', '1', '，', '\u0301'];
  let seed = 20_261_122;
  const random = (below: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % below;
  };
  const texts = Array.from({ length: 300 }, () => {
    let text = '';
    while (text.length < 400) {
      const character = alphabet[random(alphabet.length)]!;
      text += character.repeat(random(3) === 0 ? random(60) + 1 : 1);
    }
    return text;
  });

  it.each([1, 2, 3, 7, 10, 25, 50])('on 300 random texts, limit %d', (limit) => {
    for (const text of texts) expect(longRuns(text, limit)).toEqual(naiveLongRuns(text, limit));
  });
});
