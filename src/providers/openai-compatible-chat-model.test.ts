import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import type { GenerateRequest, GenerateResult } from './chat-model.js';
import { createOpenAICompatibleChatModel } from './openai-compatible-chat-model.js';
import { azureOpenAIBaseUrl } from './openai-compatible-presets.js';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.setReply({});
});

const request: GenerateRequest = { messages: [{ role: 'user', content: 'Hi' }] };

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // consume
  }
}

describe('createOpenAICompatibleChatModel', () => {
  it('sends model, messages and options as OpenAI fields, bearer key, extra headers and query', async () => {
    const model = createOpenAICompatibleChatModel({
      model: 'gpt-4o-mini',
      baseUrl: server.baseURL,
      apiKey: 'sk-test',
      headers: { 'x-team': 'search' },
      query: { tenant: 'a' },
    });
    expect(model).toMatchObject({ id: 'openai/gpt-4o-mini', provider: 'openai', simulated: false });
    await model.generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      maxOutputTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      stop: ['\n'],
      seed: 7,
      responseFormat: 'json',
      providerOptions: { reasoning_effort: 'low' },
    });
    const [sent] = server.requests;
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.query).toEqual({ tenant: 'a' });
    expect(sent?.headers).toMatchObject({ authorization: 'Bearer sk-test', 'x-team': 'search' });
    expect(sent?.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_completion_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['\n'],
      seed: 7,
      response_format: { type: 'json_object' },
      reasoning_effort: 'low',
    });
  });

  it('asks streams for usage with stream_options.include_usage', async () => {
    const model = createOpenAICompatibleChatModel({ model: 'm', baseUrl: server.baseURL, apiKey: 'k' });
    await drain(model.stream(request));
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it.each([
    ['groq', 'max_tokens', true],
    ['deepseek', 'max_tokens', true],
    ['mistral', 'max_tokens', false],
    ['openai', 'max_completion_tokens', true],
  ])('%s preset: %s, stream_options sent: %s', async (provider, field, streamOptions) => {
    const model = createOpenAICompatibleChatModel({
      provider,
      model: 'm',
      baseUrl: server.baseURL,
      apiKey: 'k',
    });
    await drain(model.stream({ ...request, maxOutputTokens: 5 }));
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body[field]).toBe(5);
    expect('stream_options' in body).toBe(streamOptions);
    expect(model.id).toBe(`${provider}/m`);
  });

  it('reads rate-limit headers and the request id of an answer, streamed or not', async () => {
    server.setReply({
      headers: {
        'x-ratelimit-limit-requests': '10000',
        'x-ratelimit-remaining-requests': '9999',
        'x-ratelimit-reset-requests': '6ms',
        'x-ratelimit-limit-tokens': '200000',
        'x-ratelimit-remaining-tokens': '199000',
        'x-ratelimit-reset-tokens': '1m30s',
      },
    });
    const model = createOpenAICompatibleChatModel({ model: 'm', baseUrl: server.baseURL, apiKey: 'k' });
    let streamed: GenerateResult | undefined;
    for await (const part of model.stream(request)) if (part.type === 'finish') streamed = part.result;
    for (const result of [await model.generate(request), streamed]) {
      expect(result?.rateLimit).toEqual({
        limitRequests: 10000,
        remainingRequests: 9999,
        resetRequestsMs: 6,
        limitTokens: 200000,
        remainingTokens: 199000,
        resetTokensMs: 90_000,
      });
      expect(result?.requestId).toMatch(/^req_fake/);
    }
  });

  it.each([
    ['content_filter', 'content-filter'],
    ['tool_calls', 'tool-calls'],
    ['something_new', 'other'],
  ])('maps finish_reason %s to %s', async (wire, expected) => {
    server.setReply({ finishReason: wire });
    const model = createOpenAICompatibleChatModel({ model: 'm', baseUrl: server.baseURL, apiKey: 'k' });
    expect((await model.generate(request)).finishReason).toBe(expected);
  });

  it('speaks Azure OpenAI: deployment URL, api-version, api-key header', async () => {
    const model = createOpenAICompatibleChatModel({
      provider: 'azure',
      model: 'gpt-4o',
      baseUrl: azureOpenAIBaseUrl(`${server.url}/`, 'prod-4o'),
      apiKey: 'azure-key',
    });
    const plain = await model.generate(request);
    await drain(model.stream(request));
    expect(plain.text).toBe('Hello from the fake server.');
    for (const sent of server.requests) {
      expect(sent.path).toBe('/openai/deployments/prod-4o/chat/completions');
      expect(sent.query).toEqual({ 'api-version': '2024-10-21' });
      expect(sent.headers['api-key']).toBe('azure-key');
      expect(sent.headers['authorization']).toBeUndefined();
    }
  });

  it('talks to a keyless local server (llamacpp) without an authorization header', async () => {
    const model = createOpenAICompatibleChatModel({
      provider: 'llamacpp',
      model: 'local',
      baseUrl: server.baseURL,
    });
    await expect(model.generate(request)).rejects.toMatchObject({ status: 401 });
    expect(server.requests[0]?.headers['authorization']).toBeUndefined();
  });
});
