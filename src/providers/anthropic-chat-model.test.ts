import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAnthropicServer, startFakeAnthropicServer } from '../testing/fake-anthropic-server.js';
import { createAnthropicChatModel } from './anthropic-chat-model.js';
import type { GenerateRequest, GenerateResult } from './chat-model.js';

let server: FakeAnthropicServer;
let legacy: FakeAnthropicServer;
beforeAll(async () => {
  server = await startFakeAnthropicServer({ apiKey: 'sk-ant-test' });
  legacy = await startFakeAnthropicServer({ deltaUsage: 'output-only' });
});
afterAll(async () => {
  await server.close();
  await legacy.close();
});
beforeEach(() => {
  server.reset();
  server.setReply({});
});

const request: GenerateRequest = {
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello.' },
    { role: 'system', content: 'Answer in French.' },
    { role: 'user', content: 'Again' },
  ],
};

async function streamed(model: ReturnType<typeof createAnthropicChatModel>): Promise<GenerateResult> {
  for await (const part of model.stream(request)) if (part.type === 'finish') return part.result;
  throw new Error('no finish');
}

const model = (baseUrl: string, extra: { defaultMaxTokens?: number } = {}) =>
  createAnthropicChatModel({ model: 'claude-sonnet-4-5', baseUrl, apiKey: 'sk-ant-test', ...extra });

describe('createAnthropicChatModel', () => {
  it('sends system turns as the top-level system field, the key and the API version', async () => {
    await model(server.url).generate({ ...request, temperature: 0.5, stop: ['END'], seed: 3 });
    const [sent] = server.requests;
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.headers).toMatchObject({ 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' });
    expect(sent?.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      system: 'You are terse.\n\nAnswer in French.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Again' },
      ],
      temperature: 0.5,
      stop_sequences: ['END'],
    });
  });

  it.each([
    [{}, undefined, 4096],
    [{ defaultMaxTokens: 1000 }, undefined, 1000],
    [{}, 256, 256],
  ])(
    'max_tokens with options %j and maxOutputTokens %s is %i',
    async (options, maxOutputTokens, expected) => {
      await model(server.url, options).generate({ ...request, maxOutputTokens });
      expect(server.requests[0]?.body).toMatchObject({ max_tokens: expected });
    },
  );

  it('reports cache reads and 5-minute and 1-hour cache writes the same, streamed or not', async () => {
    const usage = { input: 1000, cachedInput: 600, cacheWrite: 250, cacheWrite1h: 50, output: 40 };
    server.setReply({ usage, model: 'claude-sonnet-4-5-20250929' });
    const plain = await model(server.url).generate(request);
    const result = await streamed(model(server.url));
    expect(plain.usage).toEqual(usage);
    expect(result.usage).toEqual(usage);
    expect(result.responseModel).toBe('claude-sonnet-4-5-20250929');
  });

  it('combines message_start counts with an output-only message_delta (older API versions)', async () => {
    const usage = { input: 300, cachedInput: 200, cacheWrite: 50, cacheWrite1h: 0, output: 25 };
    legacy.setReply({ usage });
    expect((await streamed(model(legacy.url))).usage).toEqual(usage);
  });

  it('reads cache writes without the TTL split as 5-minute writes', async () => {
    server.setReply({
      rawUsage: {
        input_tokens: 10,
        cache_read_input_tokens: 5,
        cache_creation_input_tokens: 7,
        output_tokens: 3,
      },
    });
    expect((await model(server.url).generate(request)).usage).toEqual({
      input: 22,
      cachedInput: 5,
      cacheWrite: 7,
      cacheWrite1h: undefined,
      output: 3,
    });
  });

  it('reads anthropic-ratelimit-* headers and the request-id', async () => {
    const reset = new Date(Date.now() + 60_000).toISOString();
    server.setReply({
      headers: {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-requests-reset': reset,
      },
    });
    const result = await model(server.url).generate(request);
    expect(result.rateLimit).toMatchObject({ limitRequests: 50, remainingRequests: 49 });
    expect(result.rateLimit?.resetRequestsMs).toBeGreaterThan(55_000);
    expect(result.requestId).toMatch(/^req_fake/);
  });

  it.each([
    ['max_tokens', 'length'],
    ['tool_use', 'tool-calls'],
    ['stop_sequence', 'stop'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
  ])('maps stop_reason %s to %s', async (wire, expected) => {
    server.setReply({ finishReason: wire });
    expect((await model(server.url).generate(request)).finishReason).toBe(expected);
    expect((await streamed(model(server.url))).finishReason).toBe(expected);
  });

  it('turns an overloaded (529) answer into a retryable error with its type', async () => {
    server.setReply({ error: { status: 529 } });
    const failing = createAnthropicChatModel({
      model: 'claude-sonnet-4-5',
      baseUrl: server.url,
      apiKey: 'sk-ant-test',
      maxRetries: 0,
    });
    await expect(failing.generate(request)).rejects.toMatchObject({
      status: 529,
      retryable: true,
      details: { code: 'overloaded_error' },
    });
  });
});
