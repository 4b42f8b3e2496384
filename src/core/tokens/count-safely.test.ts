import { describe, expect, it } from 'vitest';
import { countSafely, defaultMaxRunLength } from './count-safely.js';
import { countTokens } from './count-tokens.js';
import { loadTokenizer } from './load-tokenizer.js';

const o200k = await loadTokenizer('o200k_base');

/** Letters that do not repeat in any short period: no merge-cache hits, the slow case for BPE. */
const scrambled = (length: number) =>
  Array.from({ length }, (_, index) =>
    String.fromCharCode(97 + ((index * 7919 + ((index * index) % 13)) % 26)),
  ).join('');

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('countSafely (untrusted text)', () => {
  it.each<[string, string]>([
    ["200,000 × 'a'", 'a'.repeat(200_000)],
    ['200,000 scrambled letters', scrambled(200_000)],
    ['200,000 CJK characters', '漢字測試'.repeat(50_000)],
    ['200,000 spaces', ' '.repeat(200_000)],
    ["200,000 × '='", '='.repeat(200_000)],
  ])('%s: finishes quickly and is labelled an estimate', async (_, text) => {
    const started = performance.now();
    const counted = await countTokens(text, { model: 'gpt-4o' });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(counted.exact).toBe(false);
    expect(counted.note).toBe(
      '1 run(s) longer than 500 characters were cut before counting (untrusted-input guard)',
    );
    expect(counted.tokens).toBeGreaterThan(0);
  });

  it.each(['llama-3.1-8b', 'mixtral-8x7b', 'deepseek-chat', 'qwen3-8b', 'gpt-4'])(
    '%s: the guard holds for every tokenizer',
    async (model) => {
      await countTokens('', { model }); // load the vocabulary outside the timed part
      for (const text of ['a'.repeat(200_000), scrambled(200_000), ' '.repeat(200_000)]) {
        const started = performance.now();
        const counted = await countTokens(text, { model });
        expect(performance.now() - started).toBeLessThan(3_000);
        expect(counted.exact).toBe(false);
      }
    },
  );

  it.each(['gpt-4o', 'deepseek-chat'])(
    '%s: runs just under the limit are counted exactly, still quickly',
    async (model) => {
      await countTokens('', { model });
      const runs = Array.from({ length: 400 }, (_, index) =>
        scrambled(defaultMaxRunLength + index).slice(index),
      );
      const started = performance.now();
      const counted = await countTokens(runs.join(' '), { model });
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(counted.exact).toBe(true);
      expect(counted.tokens).toBeGreaterThan(100_000);
    },
  );

  it('stays close to the true count where the true count is affordable', () => {
    for (const text of ['a'.repeat(5_000), scrambled(5_000), `Intro. ${'x'.repeat(3_000)} outro.`]) {
      const guarded = countSafely(text, o200k);
      const truth = o200k(text);
      expect(guarded.cutRuns).toBe(1);
      expect(Math.abs(guarded.tokens - truth) / truth).toBeLessThanOrEqual(0.05);
    }
  });

  it('counts the text around a long run as usual, and the run in pieces of 100 characters', () => {
    const pieces: string[] = [];
    const count = (text: string) => {
      pieces.push(text);
      return 1;
    };
    const result = countSafely(`before ${'b'.repeat(1_200)} after`, count, 500);
    expect(result).toEqual({ tokens: 14, cutRuns: 1 });
    expect(pieces.map((piece) => piece.length)).toEqual([7, ...Array(12).fill(100), 6]);
  });

  it('never cuts a surrogate pair in two', () => {
    const pieces: string[] = [];
    countSafely('😀'.repeat(700), (text) => pieces.push(text), 51);
    expect(pieces.map((piece) => piece.length)).toEqual(Array(28).fill(50));
    expect(pieces.some((piece) => loneSurrogate.test(piece))).toBe(false);
    expect(pieces.join('')).toBe('😀'.repeat(700));
  });

  it('leaves text without long runs to the tokenizer in one call, exactly', () => {
    const text = 'word '.repeat(1_000);
    const calls: string[] = [];
    expect(countSafely(text, (piece) => calls.push(piece) && o200k(piece))).toEqual({
      tokens: o200k(text),
      cutRuns: 0,
    });
    expect(calls).toEqual([text]);
  });

  it('a run of exactly the limit is counted whole', () => {
    const run = 'c'.repeat(defaultMaxRunLength);
    expect(countSafely(`${run} end`, o200k)).toEqual({ tokens: o200k(`${run} end`), cutRuns: 0 });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %s', (limit) => {
    expect(() => countSafely('text', o200k, limit)).toThrow(RangeError);
  });
});
