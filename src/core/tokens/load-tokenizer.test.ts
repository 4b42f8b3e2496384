import { describe, expect, it } from 'vitest';
import { loadedTokenizers, loadTokenizer } from './load-tokenizer.js';

// This file runs in its own module graph (Vitest isolates test files), so nothing is loaded before it.
describe('loadTokenizer', () => {
  it('loads only the vocabulary asked for, once', async () => {
    expect(loadedTokenizers()).toEqual([]);
    const first = loadTokenizer('cl100k_base');
    expect(loadTokenizer('cl100k_base')).toBe(first);
    const count = await first;
    expect(count('hello world')).toBe(2);
    expect(loadedTokenizers()).toEqual(['cl100k_base']);
    await loadTokenizer('llama3');
    expect(loadedTokenizers()).toEqual(['cl100k_base', 'llama3']);
  });

  it('does not cache a custom importer, nor a failed load', async () => {
    const custom = async () => (text: string) => text.length;
    expect((await loadTokenizer('qwen3', custom))('abc')).toBe(3);
    expect(loadedTokenizers()).not.toContain('qwen3');
    const failing = async () => {
      throw new Error('missing');
    };
    await expect(loadTokenizer('mistral_v1', failing)).rejects.toThrow('missing');
    expect(loadedTokenizers()).not.toContain('mistral_v1');
  });
});
