import { Anthropic, APIError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAnthropicServer, startFakeAnthropicServer } from './fake-anthropic-server.js';

let server: FakeAnthropicServer;
let client: Anthropic;

beforeEach(async () => {
  await server?.close();
  server = await startFakeAnthropicServer();
  client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.baseURL, maxRetries: 0 });
});
afterAll(() => server?.close());

const request = {
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Say hello' }],
};
/** 1,000 input tokens: 100 fresh, 600 read from cache, 200 written for 5 minutes and 100 for 1 hour. */
const cachedUsage = { input: 1000, cachedInput: 600, cacheWrite: 200, cacheWrite1h: 100, output: 40 };
const cachedUsageWire = {
  input_tokens: 100,
  cache_read_input_tokens: 600,
  cache_creation_input_tokens: 300,
  cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 100 },
  output_tokens: 40,
};

describe('fake Anthropic messages, driven by @anthropic-ai/sdk', () => {
  it('answers non-streaming with content, model and usage split into fresh, cache reads and cache writes', async () => {
    server.setReply({ text: 'Hello!', model: 'claude-sonnet-4-5-20250929', usage: cachedUsage });
    const message = await client.messages.create(request);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello!' }]);
    expect(message.model).toBe('claude-sonnet-4-5-20250929');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject(cachedUsageWire);
    const [recorded] = server.requests;
    // This SDK version sends the key as a bearer token; the fake takes it there or in `x-api-key`.
    expect(recorded?.headers['authorization']).toBe('Bearer sk-ant-test');
    expect(recorded?.headers['anthropic-version']).toBeDefined();
    expect(recorded?.body).toMatchObject(request);
  });

  it('streams message_start, content blocks, message_delta with cumulative usage, message_stop', async () => {
    server.setReply({ text: 'Hello there', usage: cachedUsage });
    const stream = await client.messages.create({ ...request, stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const start = events[0];
    expect(start?.type === 'message_start' && start.message.usage).toMatchObject({
      ...cachedUsageWire,
      output_tokens: 1,
    });
    const delta = events[5];
    expect(delta?.type === 'message_delta' && delta.usage).toMatchObject({
      input_tokens: 100,
      cache_read_input_tokens: 600,
      output_tokens: 40,
    });
  });

  it('streams tool use, and the SDK MessageStream helper accumulates the final message', async () => {
    server.setReply({
      text: 'Let me look.',
      toolCalls: [{ id: 'toolu_1', name: 'lookup', arguments: { city: 'Paris' } }],
      usage: cachedUsage,
    });
    const final = await client.messages.stream(request).finalMessage();
    expect(final.content).toEqual([
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { city: 'Paris' } },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage).toMatchObject({
      input_tokens: 100,
      output_tokens: 40,
      cache_creation_input_tokens: 300,
    });
  });

  it('sends only output tokens in message_delta when asked to, like older API versions', async () => {
    const old = await startFakeAnthropicServer({ deltaUsage: 'output-only', reply: { usage: cachedUsage } });
    const oldClient = new Anthropic({ apiKey: 'k', baseURL: old.baseURL, maxRetries: 0 });
    const events = [];
    for await (const event of await oldClient.messages.create({ ...request, stream: true }))
      events.push(event);
    expect(events.find((event) => event.type === 'message_delta')?.usage).toEqual({ output_tokens: 40 });
    await old.close();
  });

  it('fails with Anthropic-shaped errors: 429 with rate-limit headers, 529 overloaded, in-stream error', async () => {
    server.enqueue({ error: { status: 429, retryAfterSeconds: 7 } });
    const limited = await client.messages.create(request).catch((error) => error);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');

    server.enqueue({ error: { status: 529 } });
    const overloaded = await client.messages.create(request).catch((error) => error);
    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect(overloaded.status).toBe(529);

    server.enqueue({ streamError: { afterChunks: 2, error: { status: 529 } } });
    const stream = await client.messages.create({ ...request, stream: true });
    const inStream = await (async () => {
      for await (const _ of stream);
    })().catch((error) => error);
    expect(inStream).toBeInstanceOf(APIError);
    expect(inStream.message).toContain('Overloaded');
  });

  it('requires x-api-key and anthropic-version, and counts tokens', async () => {
    const noKey = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(request),
    });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { type: 'authentication_error' } });
    const noVersion = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k' },
      body: JSON.stringify(request),
    });
    expect(noVersion.status).toBe(400);
    server.setReply({ usage: { input: 42 } });
    const counted = await client.messages.countTokens({ model: request.model, messages: request.messages });
    expect(counted.input_tokens).toBe(42);
  });

  it('drops the connection mid-stream', async () => {
    server.setReply({ text: 'a b c d', disconnectAfterChunks: 3 });
    const stream = await client.messages.create({ ...request, stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((caught) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(seen).toEqual(['message_start', 'content_block_start']);
  });
});
