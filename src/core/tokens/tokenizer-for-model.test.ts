import { describe, expect, it } from 'vitest';
import type { TokenizerName } from './token-count.js';
import { tokenizerForModel } from './tokenizer-for-model.js';

describe('tokenizerForModel', () => {
  it.each<[string, TokenizerName, boolean]>([
    // OpenAI o200k_base: the families, dated snapshots, provider prefixes, fine-tunes, any case.
    ['gpt-4o', 'o200k_base', true],
    ['gpt-4o-mini-2024-07-18', 'o200k_base', true],
    ['chatgpt-4o-latest', 'o200k_base', true],
    ['gpt-4.1-nano', 'o200k_base', true],
    ['gpt-4.5-preview-2025-02-27', 'o200k_base', true],
    ['gpt-5', 'o200k_base', true],
    ['gpt-5-mini-2025-08-07', 'o200k_base', true],
    ['o1', 'o200k_base', true],
    ['o1-mini-2024-09-12', 'o200k_base', true],
    ['o3-pro', 'o200k_base', true],
    ['o4-mini', 'o200k_base', true],
    ['openai/gpt-4o', 'o200k_base', true],
    ['azure/gpt-4.1', 'o200k_base', true],
    ['openrouter/openai/gpt-5-nano', 'o200k_base', true],
    ['GPT-4O', 'o200k_base', true],
    ['ft:gpt-4o-mini-2024-07-18:acme::abc123', 'o200k_base', true],
    ['gpt-oss-120b', 'o200k_base', true],
    ['gpt-realtime-2025-08-28', 'o200k_base', true],
    ['omni-moderation-latest', 'o200k_base', true],
    // OpenAI cl100k_base.
    ['gpt-4', 'cl100k_base', true],
    ['gpt-4-0613', 'cl100k_base', true],
    ['gpt-4-turbo-2024-04-09', 'cl100k_base', true],
    ['gpt-3.5-turbo', 'cl100k_base', true],
    ['gpt-3.5-turbo-0125', 'cl100k_base', true],
    ['azure/gpt-35-turbo', 'cl100k_base', true],
    ['text-embedding-3-small', 'cl100k_base', true],
    ['text-embedding-ada-002', 'cl100k_base', true],
    // Encoding names count as themselves.
    ['cl100k_base', 'cl100k_base', true],
    ['qwen3', 'qwen3', true],
    // Open-weights families with a shipped tokenizer.
    ['llama-3.1-8b-instant', 'llama3', true],
    ['groq/llama3-70b-8192', 'llama3', true],
    ['meta-llama/Llama-3.3-70B-Instruct', 'llama3', true],
    ['bedrock/meta.llama3-1-70b-instruct-v1:0', 'llama3', true],
    ['llama3.2:3b', 'llama3', true],
    ['deepseek-r1-distill-llama-70b', 'llama3', true],
    ['mistralai/Mistral-7B-Instruct-v0.2', 'mistral_v1', true],
    ['open-mixtral-8x7b', 'mistral_v1', true],
    ['mistral-7b-instruct-v0.3', 'mistral_v1', false],
    ['deepseek-chat', 'deepseek_v3', true],
    ['deepseek/deepseek-reasoner', 'deepseek_v3', true],
    ['deepseek-ai/DeepSeek-V3.1', 'deepseek_v3', true],
    ['deepseek-coder', 'deepseek_v3', false],
    ['Qwen/Qwen2.5-72B-Instruct', 'qwen3', true],
    ['qwen3-235b-a22b', 'qwen3', true],
    ['qwq-32b', 'qwen3', true],
    ['deepseek-r1-distill-qwen-32b', 'qwen3', true],
    ['qwen-max', 'qwen3', false],
    // No public or shipped tokenizer: the o200k_base stand-in.
    ['claude-sonnet-4-20250514', 'o200k_base', false],
    ['us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'o200k_base', false],
    ['gemini-2.5-flash', 'o200k_base', false],
    ['mistral-large-latest', 'o200k_base', false],
    ['llama-4-maverick', 'o200k_base', false],
    ['command-r-plus', 'o200k_base', false],
  ])('%s → %s (exact: %s)', (model, encoding, exact) => {
    const choice = tokenizerForModel(model);
    expect(choice).toMatchObject({ model, encoding, exact });
    if (!exact) expect(choice.note).toBeTruthy();
  });

  it('never throws on an unknown model: an o200k_base estimate that names it', () => {
    expect(tokenizerForModel('my-own-model')).toEqual({
      model: 'my-own-model',
      encoding: 'o200k_base',
      exact: false,
      note: "unknown model 'my-own-model': o200k_base stand-in (on English text it counted 0.3-14% fewer tokens than five other tokenizers)",
    });
  });

  it.each([undefined, '', '  '])('no model (%j) counts o200k_base tokens, exactly', (model) => {
    expect(tokenizerForModel(model)).toEqual({
      model: null,
      encoding: 'o200k_base',
      exact: true,
      note: 'no model given: o200k_base tokens',
    });
  });

  it('says why Claude is an estimate', () => {
    expect(tokenizerForModel('claude-opus-4-1').note).toMatch(/^Claude 3\+ has no public tokenizer/);
  });
});
