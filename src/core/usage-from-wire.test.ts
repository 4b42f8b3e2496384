import { describe, expect, it } from 'vitest';
import { validateUsage } from './usage.js';
import {
  usageFromAnthropic,
  usageFromGemini,
  usageFromOpenAIChat,
  usageFromOpenAIResponses,
} from './usage-from-wire.js';

// Payloads below are shaped exactly like the providers' documented responses (fields, nesting, nulls).
describe('usageFromOpenAIChat', () => {
  it.each([
    {
      name: 'gpt-4o with cached prompt and no reasoning',
      wire: {
        prompt_tokens: 2006,
        completion_tokens: 300,
        total_tokens: 2306,
        prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      usage: { input: 2006, cachedInput: 1920, output: 300, reasoning: 0 },
    },
    {
      name: 'o3-mini with reasoning tokens inside completion_tokens',
      wire: {
        prompt_tokens: 75,
        completion_tokens: 1186,
        total_tokens: 1261,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 1024 },
      },
      usage: { input: 75, cachedInput: 0, output: 1186, reasoning: 1024 },
    },
    {
      name: 'vLLM / Ollama style: no details at all',
      wire: { prompt_tokens: 12, completion_tokens: 40, total_tokens: 52, prompt_tokens_details: null },
      usage: { input: 12, cachedInput: undefined, output: 40, reasoning: undefined },
    },
    {
      name: 'DeepSeek: prompt_cache_hit_tokens instead of details',
      wire: {
        prompt_tokens: 1500,
        completion_tokens: 200,
        prompt_cache_hit_tokens: 1024,
        prompt_cache_miss_tokens: 476,
      },
      usage: { input: 1500, cachedInput: 1024, output: 200, reasoning: undefined },
    },
  ])('$name', ({ wire, usage }) => {
    expect(usageFromOpenAIChat(wire)).toEqual(usage);
    expect(validateUsage(usageFromOpenAIChat(wire))).toEqual([]);
  });

  it('treats garbage counts as unknown, never as zero', () => {
    const usage = usageFromOpenAIChat({ prompt_tokens: -3, completion_tokens: 2.5 as number });
    expect(usage.input).toBeUndefined();
    expect(usage.output).toBeUndefined();
  });
});

describe('usageFromOpenAIResponses', () => {
  it('maps input/output and their details', () => {
    const wire = {
      input_tokens: 36,
      input_tokens_details: { cached_tokens: 12 },
      output_tokens: 87,
      output_tokens_details: { reasoning_tokens: 64 },
      total_tokens: 123,
    };
    expect(usageFromOpenAIResponses(wire)).toEqual({ input: 36, cachedInput: 12, output: 87, reasoning: 64 });
  });
});

describe('usageFromAnthropic', () => {
  it.each([
    {
      name: 'no caching (cache fields 0)',
      wire: {
        input_tokens: 2095,
        output_tokens: 503,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      usage: { input: 2095, cachedInput: 0, cacheWrite: 0, cacheWrite1h: undefined, output: 503 },
    },
    {
      name: 'cache read: input_tokens excludes the cached part, frugal input includes it',
      wire: {
        input_tokens: 21,
        output_tokens: 393,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 188086,
      },
      usage: { input: 188107, cachedInput: 188086, cacheWrite: 0, cacheWrite1h: undefined, output: 393 },
    },
    {
      name: 'cache writes split into 5-minute and 1-hour TTLs',
      wire: {
        input_tokens: 50,
        output_tokens: 20,
        cache_creation_input_tokens: 3000,
        cache_read_input_tokens: 1000,
        cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
      },
      usage: { input: 4050, cachedInput: 1000, cacheWrite: 1000, cacheWrite1h: 2000, output: 20 },
    },
    {
      name: 'older responses: cache_creation_input_tokens only (all 5-minute)',
      wire: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 1500 },
      usage: { input: 1510, cachedInput: 0, cacheWrite: 1500, cacheWrite1h: undefined, output: 5 },
    },
    {
      name: 'message_start in a stream: output not known yet',
      wire: {
        input_tokens: 472,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: null,
      },
      usage: { input: 472, cachedInput: 0, cacheWrite: 0, cacheWrite1h: undefined, output: undefined },
    },
  ])('$name', ({ wire, usage }) => {
    const converted = usageFromAnthropic(wire);
    expect(converted).toEqual(usage);
    expect(validateUsage(converted)).toEqual([]);
  });

  it('leaves input unknown when input_tokens is missing', () => {
    expect(usageFromAnthropic({ output_tokens: 7 }).input).toBeUndefined();
  });
});

describe('usageFromGemini', () => {
  it.each([
    {
      name: 'gemini-2.5-pro with thinking: thoughts are output and reasoning',
      wire: { promptTokenCount: 11, candidatesTokenCount: 30, thoughtsTokenCount: 512, totalTokenCount: 553 },
      usage: { input: 11, cachedInput: 0, output: 542, reasoning: 512 },
    },
    {
      name: 'context cache hit, no thinking (proto3 omits zero thoughts)',
      wire: {
        promptTokenCount: 250000,
        cachedContentTokenCount: 240000,
        candidatesTokenCount: 100,
        totalTokenCount: 250100,
      },
      usage: { input: 250000, cachedInput: 240000, output: 100, reasoning: 0 },
    },
    {
      name: 'tool-use prompt tokens are input',
      wire: {
        promptTokenCount: 100,
        toolUsePromptTokenCount: 40,
        candidatesTokenCount: 10,
        totalTokenCount: 150,
      },
      usage: { input: 140, cachedInput: 0, output: 10, reasoning: 0 },
    },
    {
      name: 'zero-output reply: candidatesTokenCount omitted',
      wire: { promptTokenCount: 9, totalTokenCount: 9 },
      usage: { input: 9, cachedInput: 0, output: 0, reasoning: 0 },
    },
  ])('$name', ({ wire, usage }) => {
    const converted = usageFromGemini(wire);
    expect(converted).toEqual(usage);
    expect(validateUsage(converted)).toEqual([]);
  });

  it('an empty usageMetadata is unknown usage, not zero', () => {
    expect(usageFromGemini({})).toEqual({});
  });
});
