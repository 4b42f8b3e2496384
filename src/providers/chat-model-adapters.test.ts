import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../core/errors.js';
import type { Usage } from '../core/usage.js';
import { startFakeAnthropicServer } from '../testing/fake-anthropic-server.js';
import { startFakeGeminiServer } from '../testing/fake-gemini-server.js';
import { startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import type { FakeServer } from '../testing/fake-server.js';
import { createAnthropicChatModel } from './anthropic-chat-model.js';
import type { ChatModel, GenerateRequest, GenerateResult, StreamPart } from './chat-model.js';
import { createGeminiChatModel } from './gemini-chat-model.js';
import type { HttpOptions } from './http-exchange.js';
import { createOpenAICompatibleChatModel } from './openai-compatible-chat-model.js';

/**
 * One suite run against every HTTP adapter and its fake server: the behaviour the `ChatModel` port promises
 * (same answer and usage streamed or not, one retry policy, timeouts, aborts), whatever the wire protocol.
 */
type Adapter = {
  readonly name: string;
  start(): Promise<FakeServer>;
  model(server: FakeServer, options: HttpOptions): ChatModel;
  /** The usage every adapter must report exactly, in frugal's convention. */
  readonly usage: Usage;
};

const adapters: readonly Adapter[] = [
  {
    name: 'openai-compatible',
    start: () => startFakeOpenAIServer(),
    model: (server, options) =>
      createOpenAICompatibleChatModel({
        ...options,
        model: 'gpt-4o-mini',
        baseUrl: `${server.url}/v1`,
        apiKey: 'sk-test-secret',
      }),
    usage: { input: 120, cachedInput: 100, output: 30, reasoning: 12 },
  },
  {
    name: 'anthropic',
    start: () => startFakeAnthropicServer(),
    model: (server, options) =>
      createAnthropicChatModel({
        ...options,
        model: 'claude-sonnet-4-5',
        baseUrl: server.url,
        apiKey: 'sk-ant-test-secret',
      }),
    usage: { input: 150, cachedInput: 100, cacheWrite: 20, cacheWrite1h: 10, output: 30 },
  },
  {
    name: 'gemini',
    start: () => startFakeGeminiServer(),
    model: (server, options) =>
      createGeminiChatModel({
        ...options,
        model: 'gemini-2.5-flash',
        baseUrl: server.url,
        apiKey: 'AIza-test',
      }),
    usage: { input: 120, cachedInput: 100, output: 42, reasoning: 12 },
  },
];

const request: GenerateRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say hello' },
  ],
};

async function collect(
  stream: AsyncIterable<StreamPart>,
): Promise<{ deltas: string[]; result: GenerateResult }> {
  const deltas: string[] = [];
  let result: GenerateResult | undefined;
  for await (const part of stream) {
    if (part.type === 'text-delta') deltas.push(part.text);
    else result = part.result;
  }
  if (result === undefined) throw new Error('no finish part');
  return { deltas, result };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe.each(adapters)('$name adapter over real HTTP', (adapter) => {
  let server: FakeServer;
  let waits: number[];
  const options = (extra: HttpOptions = {}): HttpOptions => ({
    retry: {
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    },
    ...extra,
  });

  beforeAll(async () => {
    server = await adapter.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    server.setReply({});
    waits = [];
  });

  it('streams the same text, usage, finish reason and model as it answers unstreamed', async () => {
    server.setReply({ text: 'One two three.', pieces: ['One', ' two', ' three.'], usage: adapter.usage });
    const model = adapter.model(server, options());
    const plain = await model.generate(request);
    const { deltas, result } = await collect(model.stream(request));
    expect(plain.text).toBe('One two three.');
    expect(deltas).toEqual(['One', ' two', ' three.']);
    expect(result.text).toBe(plain.text);
    expect(plain.usage).toEqual(adapter.usage);
    expect(result.usage).toEqual(plain.usage);
    expect([plain.finishReason, result.finishReason]).toEqual(['stop', 'stop']);
    expect(result.responseModel).toBe(plain.responseModel);
    expect(plain.responseModel).toBe(model.model);
    expect(plain.simulated).toBe(false);
    expect(plain.timeToFirstTokenMs).toBeUndefined();
    expect(plain.latencyMs).toBeGreaterThan(0);
    expect(result.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(result.latencyMs).toBeGreaterThanOrEqual(result.timeToFirstTokenMs ?? 0);
    expect(typeof plain.raw).toBe('object');
    expect(Array.isArray(result.raw)).toBe(true);
    expect((result.raw as unknown[]).length).toBeGreaterThanOrEqual(3);
    expect(server.requests).toHaveLength(2);
  });

  it('maps a length stop to finish reason length', async () => {
    const stop = { 'openai-compatible': 'length', anthropic: 'max_tokens', gemini: 'MAX_TOKENS' }[
      adapter.name
    ];
    server.setReply({ finishReason: stop });
    const model = adapter.model(server, options());
    expect((await model.generate(request)).finishReason).toBe('length');
    expect((await collect(model.stream(request))).result.finishReason).toBe('length');
  });

  it('retries a 429 after the retry-after-ms the provider asked for, then a 500, then succeeds', async () => {
    server.enqueue({ error: { status: 429, retryAfterMs: 1234 } }, { error: { status: 500 } });
    const result = await adapter.model(server, options()).generate(request);
    expect(result.text).toBe('Hello from the fake server.');
    expect(server.requests).toHaveLength(3);
    // 1234 ms as asked; then backoff 500 × 2^1 with jitter at its middle: 750 ms.
    expect(waits).toEqual([1234, 750]);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    server.setReply({ error: { status: 503 } });
    const error = await failure(adapter.model(server, options({ maxRetries: 1 })).generate(request));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect(server.requests).toHaveLength(2);
  });

  it.each([400, 401, 403, 404])('does not retry HTTP %i', async (status) => {
    server.setReply({ error: { status } });
    const error = await failure(adapter.model(server, options()).generate(request));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status, retryable: false });
    expect((error as ProviderError).details.code).toEqual(expect.any(String));
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('retries a stream refused with 429 before any event', async () => {
    server.enqueue({ error: { status: 429, retryAfterMs: 20 } });
    const { result } = await collect(adapter.model(server, options()).stream(request));
    expect(result.text).toBe('Hello from the fake server.');
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([20]);
  });

  it('retries a stream whose connection drops before its first event', async () => {
    server.enqueue({ disconnectAfterChunks: 0 });
    const { result } = await collect(adapter.model(server, options()).stream(request));
    expect(result.text).toBe('Hello from the fake server.');
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    ['an error event', { streamError: { afterChunks: 2, error: { status: 500 } } }],
    ['a dropped connection', { disconnectAfterChunks: 2 }],
  ])('never retries a stream that fails after its first event (%s)', async (_, reply) => {
    server.setReply({ text: 'One two three four', ...reply });
    const deltas: string[] = [];
    const error = await failure(
      (async () => {
        for await (const part of adapter.model(server, options()).stream(request)) {
          if (part.type === 'text-delta') deltas.push(part.text);
        }
      })(),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('times out a slow answer with a retryable timeout error, retried under the policy', async () => {
    server.setReply({ latency: { firstByteMs: 400 } });
    const model = adapter.model(server, options({ timeoutMs: 60, maxRetries: 1 }));
    const error = await failure(model.generate(request));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, details: { code: 'timeout' } });
    expect(server.requests).toHaveLength(2);
  });

  it('times out a stream that stalls between events', async () => {
    server.setReply({ text: 'One two', latency: { chunkDelayMs: 400 } });
    const model = adapter.model(server, options({ timeoutMs: 100 }));
    const error = await failure(collect(model.stream(request)));
    expect(error).toMatchObject({ details: { code: 'timeout' } });
    expect(server.requests).toHaveLength(1);
  });

  it('does not count a slow consumer against the timeout', async () => {
    server.setReply({ text: 'One two', pieces: ['One', ' two'] });
    const model = adapter.model(server, options({ timeoutMs: 80 }));
    const deltas: string[] = [];
    for await (const part of model.stream(request)) {
      if (part.type === 'text-delta') deltas.push(part.text);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(deltas).toEqual(['One', ' two']);
  });

  it("stops a stream mid-way with the caller's abort reason", async () => {
    server.setReply({ text: 'One two three', latency: { chunkDelayMs: 100 } });
    const controller = new AbortController();
    const reason = new Error('enough');
    const deltas: string[] = [];
    const error = await failure(
      (async () => {
        for await (const part of adapter
          .model(server, options())
          .stream({ ...request, signal: controller.signal })) {
          if (part.type === 'text-delta') deltas.push(part.text);
          controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    expect(deltas).toEqual(['One']);
    expect(server.requests).toHaveLength(1);
  });

  it("rejects at once with the caller's abort reason, without retrying", async () => {
    server.setReply({ latency: { firstByteMs: 400 } });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 30);
    const started = performance.now();
    const model = adapter.model(server, options());
    const error = await failure(model.generate({ ...request, signal: controller.signal }));
    expect(error).toBe(reason);
    expect(performance.now() - started).toBeLessThan(300);
    expect(server.requests).toHaveLength(1);
    const aborted = await failure(collect(model.stream({ ...request, signal: controller.signal })));
    expect(aborted).toBe(reason);
  });

  it('never puts the API key in an error, even when the provider echoes it', async () => {
    const key = {
      'openai-compatible': 'sk-test-secret',
      anthropic: 'sk-ant-test-secret',
      gemini: 'AIza-test',
    }[adapter.name]!;
    server.setReply({ error: { status: 401, message: `bad key ${key}` } });
    const error = (await failure(adapter.model(server, options()).generate(request))) as ProviderError;
    expect(error.message).toContain('bad key [redacted]');
    expect(JSON.stringify(error.details.body)).not.toContain(key);
    expect(`${error.message}${JSON.stringify(error.details)}`).not.toContain(key);
  });
});
