import { APIError, AzureOpenAI, InternalServerError, OpenAI, RateLimitError } from 'openai';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from './fake-openai-server.js';
import { deterministicVector } from './openai-embeddings-route.js';

let server: FakeOpenAIServer;
let client: OpenAI;

beforeEach(async () => {
  await server?.close();
  server = await startFakeOpenAIServer();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 });
});
afterAll(() => server?.close());

const messages = [{ role: 'user' as const, content: 'Say hello' }];
const usage = { input: 120, cachedInput: 100, output: 30, reasoning: 12 };

describe('fake OpenAI chat completions, driven by the openai SDK', () => {
  it('answers non-streaming with the scripted text, model and usage, and logs the request', async () => {
    server.setReply({ text: 'Hi there!', model: 'gpt-4o-2024-08-06', usage });
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages, temperature: 0.2 });
    expect(completion.choices[0]?.message.content).toBe('Hi there!');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.model).toBe('gpt-4o-2024-08-06');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 120,
      completion_tokens: 30,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 12 },
    });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(request?.headers['authorization']).toBe('Bearer sk-test');
    expect(request?.body).toEqual({ model: 'gpt-4o', messages, temperature: 0.2 });
  });

  it('streams chunks without usage unless the request asks for it', async () => {
    server.setReply({ text: 'One two three', usage });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('One two three');
    expect(chunks.every((chunk) => !('usage' in chunk) && chunk.choices.length === 1)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams a final usage chunk with empty choices under stream_options.include_usage', async () => {
    server.setReply({ text: 'One two', usage });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 30 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('answers tool calls, streamed and not, which the SDK stream helper reassembles', async () => {
    server.setReply({
      text: '',
      toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { city: 'Paris' } }],
    });
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages });
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"city":"Paris"}' } },
    ]);
    const final = await client.chat.completions.stream({ model: 'gpt-4o', messages }).finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      id: 'call_1',
      function: { name: 'lookup', arguments: '{"city":"Paris"}' },
    });
  });

  it('fails with OpenAI-shaped errors and retry headers the SDK honours', async () => {
    server.enqueue({ error: { status: 429, retryAfterMs: 20 } }, { text: 'after the wait' });
    const retrying = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 1 });
    const started = Date.now();
    const completion = await retrying.chat.completions.create({ model: 'gpt-4o', messages });
    expect(completion.choices[0]?.message.content).toBe('after the wait');
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
    expect(server.requests).toHaveLength(2);

    server.enqueue({ error: { status: 429, retryAfterSeconds: 3 } });
    const limited = await client.chat.completions
      .create({ model: 'gpt-4o', messages })
      .catch((error) => error);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.code).toBe('rate_limit_exceeded');
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    server.enqueue({ error: { status: 500 } });
    const failed = await client.chat.completions
      .create({ model: 'gpt-4o', messages })
      .catch((error) => error);
    expect(failed).toBeInstanceOf(InternalServerError);
    expect(failed.type).toBe('server_error');
  });

  it('cuts a stream: a dropped connection and an in-stream error both surface in the SDK', async () => {
    server.enqueue({ text: 'a b c d e', disconnectAfterChunks: 3 });
    const dropped = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of dropped) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((caught) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(seen.join('')).toBe('a b');

    server.enqueue({
      text: 'a b c',
      streamError: { afterChunks: 2, error: { status: 500, message: 'boom' } },
    });
    const broken = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const streamError = await (async () => {
      for await (const _ of broken);
    })().catch((caught) => caught);
    expect(streamError).toBeInstanceOf(APIError);
    expect(streamError.message).toContain('boom');
  });

  it('waits the scripted time to first byte and between chunks', async () => {
    server.setReply({ text: 'a b c', latency: { firstByteMs: 60, chunkDelayMs: 15 } });
    const started = Date.now();
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    for await (const _ of stream);
    // 6 events after the first (3 pieces, finish, [DONE] and the role chunk's successors) at 15 ms each.
    expect(Date.now() - started).toBeGreaterThanOrEqual(55 + 4 * 15);
  });

  it('computes replies per request, and drops a non-streaming request unanswered', async () => {
    server.setReply((request) => {
      const body = request.body as { messages: { content: string }[] };
      return { text: `echo: ${body.messages[0]?.content}`, model: 'echo-1' };
    });
    const echoed = await client.chat.completions.create({ model: 'gpt-4o', messages });
    expect(echoed.choices[0]?.message.content).toBe('echo: Say hello');
    expect(echoed.model).toBe('echo-1');
    server.enqueue({ disconnectAfterChunks: 0 });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages })).rejects.toThrow(
      'Connection error',
    );
  });

  it('refuses a request without a bearer token, and unknown routes', async () => {
    const response = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'missing_api_key' } });
    const unknown = await fetch(`${server.baseURL}/nothing`, { headers: { authorization: 'Bearer x' } });
    expect(unknown.status).toBe(404);
  });
});

describe('fake OpenAI responses, embeddings and models, driven by the openai SDK', () => {
  it('answers the Responses API with output text and usage', async () => {
    server.setReply({ text: 'Bonjour', usage });
    const response = await client.responses.create({ model: 'gpt-4o', input: 'Say hello in French' });
    expect(response.output_text).toBe('Bonjour');
    expect(response.status).toBe('completed');
    expect(response.usage).toMatchObject({
      input_tokens: 120,
      input_tokens_details: { cached_tokens: 100 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 12 },
    });
  });

  it('streams Responses events ending in response.completed, which the SDK helper accumulates', async () => {
    server.setReply({ text: 'Bon jour', usage });
    const stream = await client.responses.create({ model: 'gpt-4o', input: 'hi', stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' && completed.response.usage?.output_tokens).toBe(30);
    const final = await client.responses.stream({ model: 'gpt-4o', input: 'hi' }).finalResponse();
    expect(final.output_text).toBe('Bon jour');
  });

  it('returns embeddings as floats or base64 (decoded by the SDK to the same vectors)', async () => {
    const floats = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['cat', 'dog'],
      encoding_format: 'float',
    });
    expect(floats.data[0]?.embedding).toEqual(deterministicVector('cat', 8));
    expect(floats.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    const decoded = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['cat', 'dog'],
    });
    expect(server.requests.at(-1)?.body).toMatchObject({ encoding_format: 'base64' });
    expect(decoded.data.map((item) => item.embedding)).toEqual(floats.data.map((item) => item.embedding));
  });

  it('lists models', async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual(['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small']);
    await expect(client.models.retrieve('nope')).rejects.toMatchObject({ status: 404 });
  });
});

describe('fake Azure OpenAI chat completions, driven by the openai SDK', () => {
  it('answers the deployment URL with an api-key header, naming the deployment as the model', async () => {
    const azure = new AzureOpenAI({
      endpoint: server.url,
      apiKey: 'azure-key',
      apiVersion: '2024-10-21',
      deployment: 'prod-4o',
      maxRetries: 0,
    });
    server.setReply({ text: 'Bonjour' });
    const completion = await azure.chat.completions.create({ model: '', messages });
    expect(completion.choices[0]?.message.content).toBe('Bonjour');
    const [request] = server.requests;
    expect(request?.path).toBe('/openai/deployments/prod-4o/chat/completions');
    expect(request?.query).toEqual({ 'api-version': '2024-10-21' });
    expect(request?.headers['api-key']).toBe('azure-key');
  });

  it('refuses an Azure path without api-version (404) and an api-key header on OpenAI paths (401)', async () => {
    const post = (path: string, headers: Record<string, string>) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ messages }),
      });
    expect((await post('/openai/deployments/d/chat/completions', { 'api-key': 'k' })).status).toBe(404);
    expect((await post('/v1/chat/completions', { 'api-key': 'k' })).status).toBe(401);
  });
});
