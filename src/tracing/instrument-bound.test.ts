import { describe, expect, it } from 'vitest';
import { countChatTokens, countTokens } from '../core/tokens/count-tokens.js';
import { requestBound } from './instrument-bound.js';
import { requestHash } from './request-hash.js';

const messages = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'What is an index?' },
];

describe('requestBound', () => {
  it('counts an OpenAI chat request as core counts it, with its tools, and takes its output cap', async () => {
    const tools = [
      { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } },
    ];
    const bound = await requestBound(
      { model: 'gpt-4o', messages, tools, max_completion_tokens: 300, max_tokens: 9 },
      false,
    );
    const expected = await countChatTokens(messages, { model: 'gpt-4o', tools: tools as never });
    expect(bound).toEqual({
      requestModel: 'gpt-4o',
      promptTokens: expected.tokens,
      promptExact: expected.exact,
      maxOutputTokens: 300,
    });
  });

  it('counts Anthropic’s system and tools, adding the tool-use prompt, as an estimate for Claude', async () => {
    const tools = [{ name: 'lookup', description: 'Find a page', input_schema: { type: 'object' } }];
    const plain = await requestBound(
      { model: 'claude-sonnet-4-5', system: 'You are terse.', messages: messages.slice(1), max_tokens: 1024 },
      false,
    );
    const withTools = await requestBound(
      {
        model: 'claude-sonnet-4-5',
        system: 'You are terse.',
        messages: messages.slice(1),
        tools,
        max_tokens: 1024,
      },
      false,
    );
    expect(plain).toMatchObject({ promptExact: false, maxOutputTokens: 1024 });
    expect(withTools.promptTokens).toBeGreaterThan(plain.promptTokens + 400);
  });

  it('reads Responses input and instructions, and gives embeddings no output', async () => {
    const responses = await requestBound(
      {
        model: 'gpt-4o',
        instructions: 'Be brief.',
        input: 'Summarise the plot of Hamlet.',
        max_output_tokens: 200,
      },
      false,
    );
    const text = await countTokens('Be brief.\nSummarise the plot of Hamlet.', { model: 'gpt-4o' });
    expect(responses).toMatchObject({ promptTokens: text.tokens, maxOutputTokens: 200 });
    const embedding = await requestBound({ model: 'text-embedding-3-small', input: ['a', 'b'] }, true);
    expect(embedding.maxOutputTokens).toBe(0);
  });

  it('falls back to the body’s UTF-8 size, an upper bound, when the messages cannot be counted', async () => {
    const body = {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: { unexpected: 'shape' } }],
      max_tokens: 10,
    };
    const bound = await requestBound(body, false);
    expect(bound.promptTokens).toBeGreaterThan(0);
    expect(bound.promptTokens).toBeLessThanOrEqual(Buffer.byteLength(JSON.stringify(body)));
  });
});

describe('requestHash', () => {
  const request = { model: 'gpt-4o', messages, temperature: 0.2 };

  it('is the same for the same request, whatever the key order, streaming flags or caller ids', () => {
    const reordered = {
      temperature: 0.2,
      messages,
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      user: 'u1',
    };
    expect(requestHash(reordered)).toBe(requestHash(request));
    expect(requestHash(request)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('differs when anything that shapes the answer differs', () => {
    const variants = [
      { ...request, model: 'gpt-4o-mini' },
      { ...request, temperature: 0.3 },
      { ...request, messages: [...messages, { role: 'user', content: 'More.' }] },
      { ...request, tools: [] },
    ];
    const hashes = new Set([request, ...variants].map(requestHash));
    expect(hashes.size).toBe(5);
  });
});
