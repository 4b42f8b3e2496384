import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cost } from '../core/cost/cost.js';
import { formatUsd, parseUsd } from '../core/money.js';
import type { Span } from '../core/spans/span.js';
import { type FakeAnthropicServer, startFakeAnthropicServer } from '../testing/fake-anthropic-server.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import { startTestGateway, type TestGateway } from './gateway-test-harness.js';

let openai: FakeOpenAIServer;
let anthropic: FakeAnthropicServer;
let gateway: TestGateway | undefined;

beforeAll(async () => {
  openai = await startFakeOpenAIServer({ apiKey: 'sk-upstream' });
  anthropic = await startFakeAnthropicServer({ apiKey: 'sk-ant-upstream' });
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close()]);
});
beforeEach(() => {
  openai.reset();
  openai.setReply({});
  anthropic.reset();
  anthropic.setReply({});
});
afterEach(async () => {
  await gateway?.gateway.close();
  gateway = undefined;
});

const env = { UPSTREAM_KEY: 'sk-upstream', ANTHROPIC_KEY: 'sk-ant-upstream' };
const deployment = (name: string, extra = '') =>
  `    - { model_name: ${name}, provider: openai, model: gpt-4o-mini, api_base: "${openai.baseURL}", api_key_env: UPSTREAM_KEY${extra} }`;
const yamlWith = (models: readonly string[], rest = '') =>
  `gateway:\n  model_list:\n${models.join('\n')}\n${rest}`;

async function start(yaml: string): Promise<TestGateway> {
  gateway = await startTestGateway(yaml, { env });
  return gateway;
}

const chat = (extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Explain B-trees in one line.' }],
  max_tokens: 100,
  ...extra,
});

/** 1,200 prompt tokens (200 cached), 300 output (50 reasoning) at gpt-4o-mini's catalog price. */
const usage = { input: 1200, cachedInput: 200, output: 300, reasoning: 50 };
const expected = (() => {
  const priced = cost(usage, 'gpt-4o-mini');
  if (priced.status !== 'priced') throw new Error('gpt-4o-mini must be in the catalog');
  return priced.total;
})();

function onlySpan(spans: readonly Span[]): Span {
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

/** Reads a stream's SSE `data:` payloads. */
function dataLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6));
}

describe('accounting', () => {
  it('passes a chat completion through and records its exact cost, shown in the reply headers', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')]));
    openai.setReply({ usage, text: 'B-trees keep sorted keys in wide nodes.' });
    const reply = await g.post('/v1/chat/completions', chat(), {
      'x-frugal-feature': 'faq',
      'x-frugal-tags': 'a, b',
    });
    expect(reply.status).toBe(200);
    expect(reply.json().choices[0].message.content).toBe('B-trees keep sorted keys in wide nodes.');
    expect(reply.headers.get('x-frugal-cost-usd')).toBe(formatUsd(expected));
    expect(reply.headers.get('x-frugal-cache')).toBe('miss');
    // The upstream got its own key, never the client's, and the deployment's model name.
    const sent = openai.requests[0]!;
    expect(sent.headers['authorization']).toBe('Bearer sk-upstream');
    expect((sent.body as { model: string }).model).toBe('gpt-4o-mini');
    const requestId = reply.headers.get('x-frugal-request-id')!;
    const [spans] = await g.closeAndRead([requestId]);
    const span = onlySpan(spans!);
    expect(span.cost).toMatchObject({ status: 'priced', total: expected });
    expect(span.usage).toMatchObject(usage);
    expect(span.attribution).toEqual({ feature: 'faq', tags: ['a', 'b'] });
    expect(span.attributes['frugal.gateway.deployment']).toBe('gpt-4o-mini#0');
  });

  it('prices a stream exactly as the same call unstreamed, asking upstream for usage and hiding it from a client that did not ask', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')], '  cache: { enabled: false }\n'));
    openai.setReply({ usage, text: 'Wide nodes, few levels.' });
    const whole = await g.post('/v1/chat/completions', chat());
    const streamed = await g.post('/v1/chat/completions', chat({ stream: true }));
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    const events = dataLines(streamed.text);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(
      'Wide nodes, few levels.',
    );
    // Not even `usage: null`: the stream the client would have had without frugal asking for usage.
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    expect((openai.requests[1]!.body as { stream_options: unknown }).stream_options).toEqual({
      include_usage: true,
    });
    // The cost travels in an SSE comment before [DONE] (headers left with the first event, before it was known).
    expect(streamed.text).toContain(`: x-frugal-cost-usd=${formatUsd(expected)}`);
    const [first, second] = await g.closeAndRead([
      whole.headers.get('x-frugal-request-id')!,
      streamed.headers.get('x-frugal-request-id')!,
    ]);
    const plain = onlySpan(first!);
    const stream = onlySpan(second!);
    expect(stream.cost).toEqual(plain.cost);
    expect(stream.usage).toEqual(plain.usage);
    expect(stream.usageEstimated).toBeUndefined();
    expect(stream.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps the usage chunk for a client that asked for it', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')]));
    openai.setReply({ usage });
    const streamed = await g.post(
      '/v1/chat/completions',
      chat({ stream: true, stream_options: { include_usage: true } }),
    );
    const chunks = dataLines(streamed.text)
      .slice(0, -1)
      .map((data) => JSON.parse(data));
    expect(chunks.at(-1).usage.prompt_tokens).toBe(1200);
  });

  it('counts the tokens of a stream that reports no usage, and marks the span estimated', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')]));
    openai.setReply({ usage: null, text: 'one two three four' });
    const streamed = await g.post('/v1/chat/completions', chat({ stream: true }));
    expect(streamed.text).toContain('x-frugal-usage-estimated=true');
    const [spans] = await g.closeAndRead([streamed.headers.get('x-frugal-request-id')!]);
    const span = onlySpan(spans!);
    expect(span.usageEstimated).toBe(true);
    expect(span.usage?.output).toBeGreaterThan(0);
    expect(span.cost?.status).toBe('priced');
  });

  it('serves /v1/messages from an Anthropic deployment, converting its usage', async () => {
    const g = await start(
      `gateway:\n  model_list:\n    - { model_name: claude, provider: anthropic, model: claude-sonnet-4-5, api_base: "${anthropic.url}", api_key_env: ANTHROPIC_KEY }\n`,
    );
    anthropic.setReply({
      usage: { input: 1000, cachedInput: 400, cacheWrite: 100, output: 200 },
      text: 'Hi.',
    });
    const reply = await g.post(
      '/v1/messages',
      { model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'Hello' }] },
      { 'anthropic-version': '2023-06-01', 'x-api-key': 'ignored-without-keys' },
    );
    expect(reply.status).toBe(200);
    expect(reply.json().content[0].text).toBe('Hi.');
    expect(anthropic.requests[0]!.headers['x-api-key']).toBe('sk-ant-upstream');
    const [spans] = await g.closeAndRead([reply.headers.get('x-frugal-request-id')!]);
    const span = onlySpan(spans!);
    expect(span.usage).toMatchObject({ input: 1000, cachedInput: 400, cacheWrite: 100, output: 200 });
    const priced = cost(span.usage!, 'claude-sonnet-4-5');
    expect(span.cost).toMatchObject({
      status: 'priced',
      total: priced.status === 'priced' ? priced.total : -1n,
    });
  });

  it('serves an OpenAI client from the simulator, labelled simulated', async () => {
    const g = await start('');
    const reply = await g.post('/v1/chat/completions', {
      model: 'sim/small',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-frugal-simulated')).toBe('true');
    const [spans] = await g.closeAndRead([reply.headers.get('x-frugal-request-id')!]);
    expect(onlySpan(spans!).simulated).toBe(true);
  });
});

describe('exact cache', () => {
  it('answers a repeated request from the cache at no cost and records what it saved', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini'), deployment('other-name')]));
    openai.setReply({ usage });
    const first = await g.post('/v1/chat/completions', chat());
    const second = await g.post('/v1/chat/completions', chat());
    expect(second.text).toBe(first.text);
    expect(second.headers.get('x-frugal-cache')).toBe('hit');
    expect(second.headers.get('x-frugal-cost-usd')).toBe('0');
    expect(second.headers.get('x-frugal-cache-saved-usd')).toBe(formatUsd(expected));
    // The same body for another public model is another answer (LiteLLM #3199), and no-store opts out.
    const other = await g.post('/v1/chat/completions', chat({ model: 'other-name' }));
    expect(other.headers.get('x-frugal-cache')).toBe('miss');
    const optedOut = await g.post('/v1/chat/completions', chat(), { 'cache-control': 'no-store' });
    expect(optedOut.headers.get('x-frugal-cache')).toBe('bypass');
    expect(openai.requests).toHaveLength(3);
    const [, hit] = await g.closeAndRead([
      first.headers.get('x-frugal-request-id')!,
      second.headers.get('x-frugal-request-id')!,
    ]);
    const span = onlySpan(hit!);
    expect(span.cost).toMatchObject({ status: 'priced', total: 0n });
    expect(span.attributes['frugal.cache.status']).toBe('hit');
    expect(parseUsd(span.attributes['frugal.cache.saved_usd'] as string)).toBe(expected);
  });

  it('replays a cached stream as the same events', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')]));
    openai.setReply({ usage, text: 'Streamed once.' });
    const first = await g.post('/v1/chat/completions', chat({ stream: true }));
    const second = await g.post('/v1/chat/completions', chat({ stream: true }));
    expect(second.headers.get('x-frugal-cache')).toBe('hit');
    expect(dataLines(second.text)).toEqual(dataLines(first.text));
    expect(openai.requests).toHaveLength(1);
  });
});

describe('bad input gets the right status and a clear message, and the gateway keeps serving', () => {
  it.each([
    ['malformed JSON', '{"model": ', 400, 'invalid_json'],
    ['a body that is not an object', '[1, 2]', 400, 'invalid_request'],
    [
      'messages of the wrong type',
      JSON.stringify({ model: 'gpt-4o-mini', messages: 'hi' }),
      400,
      'invalid_request',
    ],
    ['a bad max_tokens', JSON.stringify(chat({ max_tokens: -3 })), 400, 'invalid_request'],
    ['an unknown model', JSON.stringify(chat({ model: 'gpt-99' })), 404, 'model_not_found'],
  ])('%s', async (_name, body, status, code) => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')]));
    const reply = await g.post('/v1/chat/completions', body);
    expect(reply.status).toBe(status);
    expect(reply.json().error.code).toBe(code);
    expect(reply.json().error.message.length).toBeGreaterThan(10);
    expect(openai.requests).toHaveLength(0);
    expect((await g.post('/v1/chat/completions', chat())).status).toBe(200);
  });

  it('names the field at fault', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')]));
    const reply = await g.post('/v1/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ content: 'x' }],
    });
    expect(reply.json().error.param).toBe('messages[0].role');
  });

  it('refuses a body over the limit with 413 without reading it all', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')], '  max_body_bytes: 2048\n'));
    const reply = await g.post(
      '/v1/chat/completions',
      chat({ messages: [{ role: 'user', content: 'x'.repeat(10_000) }] }),
    );
    expect(reply.status).toBe(413);
    expect(reply.json().error.code).toBe('request_too_large');
  });

  it('refuses a store flush interval that is not a positive number of milliseconds, naming the path', async () => {
    await expect(
      startTestGateway(yamlWith([deployment('gpt-4o-mini')], '  store_flush_ms: 0\n')),
    ).rejects.toThrow(/frugal\.yaml at gateway\.store_flush_ms: expected milliseconds > 0/);
  });

  it('answers Anthropic clients in the Anthropic error shape', async () => {
    const g = await start('');
    const reply = await g.post('/v1/messages', {
      model: 'sim/small',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(reply.status).toBe(400);
    expect(reply.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(reply.json().error.message).toContain('max_tokens');
  });

  it('turns an upstream answering garbage into a 502 and records the failed attempt at no cost', async () => {
    const garbage: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('<html>not json');
    });
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}/v1`;
    try {
      const g = await start(
        `gateway:\n  model_list:\n    - { model_name: broken, provider: openai, model: gpt-4o-mini, api_base: "${base}", api_key_env: UPSTREAM_KEY }\n  router: { retries: 0 }\n`,
      );
      const reply = await g.post('/v1/chat/completions', chat({ model: 'broken' }));
      expect(reply.status).toBe(502);
      expect(reply.json().error.message).toContain('not a JSON object');
      const [spans] = await g.closeAndRead([reply.headers.get('x-frugal-request-id')!]);
      const span = onlySpan(spans!);
      expect(span.status).toBe('error');
      expect(span.cost).toBeUndefined();
    } finally {
      garbage.close();
    }
  });

  it('relays a stream in order however upstream splits it: content, then the cost comment, then [DONE]', async () => {
    const event = (fields: Record<string, unknown>) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-4o-mini', ...fields })}\n\n`;
    const delta = (content: string) =>
      event({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });
    const events = [
      event({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }),
      delta('Wide '),
      delta('nodes, '),
      delta('few levels.'),
      event({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
      event({ choices: [], usage: { prompt_tokens: 1200, completion_tokens: 300 } }),
      'data: [DONE]\n\n',
    ];
    // Splits: the whole stream in one write (the terminal event arrives with every content event), then the last
    // content event arriving with the terminal one after a pause, then the terminal event alone.
    const splits = [
      [events.join('')],
      [events.slice(0, 3).join(''), events.slice(3).join('')],
      [events.slice(0, -1).join(''), events.at(-1)!],
    ];
    let split = 0;
    const upstream: Server = createServer((_request, response) => {
      const parts = splits[split++]!;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(parts[0]);
      if (parts.length === 1) response.end();
      else setTimeout(() => response.end(parts[1]), 30);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
    try {
      const g = await start(
        `gateway:\n  model_list:\n    - { model_name: m, provider: openai, model: gpt-4o-mini, api_base: "${base}", api_key_env: UPSTREAM_KEY }\n  cache: { enabled: false }\n`,
      );
      const price = cost({ input: 1200, output: 300 }, 'gpt-4o-mini');
      if (price.status !== 'priced') throw new Error('gpt-4o-mini has no price');
      const ids: string[] = [];
      for (const _ of splits) {
        const reply = await g.post('/v1/chat/completions', chat({ model: 'm', stream: true }));
        expect(reply.status).toBe(200);
        ids.push(reply.headers.get('x-frugal-request-id')!);
        // Every event as upstream sent it but the usage chunk (the client did not ask for it), then the cost, then
        // the terminal event, nothing else.
        expect(reply.text).toBe(
          `${events.slice(0, 5).join('')}: x-frugal-cost-usd=${formatUsd(price.total)}\n\ndata: [DONE]\n\n`,
        );
      }
      const spans = await g.closeAndRead(ids);
      for (const found of spans) expect(onlySpan(found!).cost).toMatchObject({ total: price.total });
    } finally {
      upstream.close();
    }
  });

  it('ends a truncated stream with an error event and records the usage streamed so far, estimated', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')]));
    openai.setReply({ text: 'one two three four five six', disconnectAfterChunks: 3 });
    const reply = await g.post('/v1/chat/completions', chat({ stream: true }));
    expect(reply.status).toBe(200);
    const last = dataLines(reply.text).at(-1)!;
    expect(JSON.parse(last).error.message).toContain('upstream stream failed');
    const [spans] = await g.closeAndRead([reply.headers.get('x-frugal-request-id')!]);
    const span = onlySpan(spans!);
    expect(span.status).toBe('error');
    expect(span.usageEstimated).toBe(true);
    expect(span.usage?.output).toBeGreaterThan(0);
    expect(span.cost?.status).toBe('priced');
  });

  it('sends a stream cut before its first event to another deployment; the client sees only the stream that worked', async () => {
    const g = await start(
      yamlWith([deployment('gpt-4o-mini'), deployment('gpt-4o-mini')], '  cache: { enabled: false }\n'),
    );
    openai.enqueue({ disconnectAfterChunks: 0 }, { usage, text: 'Wide nodes, few levels.' });
    const reply = await g.post('/v1/chat/completions', chat({ stream: true }));
    expect(reply.status).toBe(200);
    const events = dataLines(reply.text);
    expect(events.at(-1)).toBe('[DONE]');
    const text = events
      .slice(0, -1)
      .map((data) => JSON.parse(data).choices[0]?.delta?.content ?? '')
      .join('');
    expect(text).toBe('Wide nodes, few levels.');
    expect(reply.text).not.toContain('upstream stream failed');
    expect(openai.requests).toHaveLength(2);
    const [spans] = await g.closeAndRead([reply.headers.get('x-frugal-request-id')!]);
    expect(spans!.map((span) => span.status).sort()).toEqual(['error', 'ok']);
    expect(spans!.find((span) => span.status === 'ok')!.cost).toMatchObject({ total: expected });
  });

  it('answers a 502 for a stream cut before its first event when no other deployment is left', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')], '  router: { retries: 0 }\n'));
    openai.enqueue({ disconnectAfterChunks: 0 });
    const reply = await g.post('/v1/chat/completions', chat({ stream: true }));
    expect(reply.status).toBe(502);
    expect(reply.json().error.code).toBe('connection_error');
    const [spans] = await g.closeAndRead([reply.headers.get('x-frugal-request-id')!]);
    expect(onlySpan(spans!).status).toBe('error');
  });

  it('gives up on a slow upstream after the timeout with a 504', async () => {
    const g = await start(
      yamlWith([deployment('gpt-4o-mini', ', timeout_ms: 150')], '  router: { retries: 0 }\n'),
    );
    openai.setReply({ latency: { firstByteMs: 1000 } });
    const started = Date.now();
    const reply = await g.post('/v1/chat/completions', chat());
    expect(reply.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(600);
    expect(reply.json().error.code).toBe('upstream_timeout');
  });
});

describe('routing and resilience', () => {
  it('retries another deployment after a 5xx, and cools the failing one down', async () => {
    const failing = await startFakeOpenAIServer({ reply: { error: { status: 503, message: 'overloaded' } } });
    try {
      const g = await start(
        yamlWith(
          [
            `    - { model_name: gpt-4o-mini, provider: openai, model: gpt-4o-mini, api_base: "${failing.baseURL}", api_key_env: UPSTREAM_KEY, weight: 1000 }`,
            deployment('gpt-4o-mini'),
          ],
          '  router: { allowed_fails: 1, cooldown_ms: 60000 }\n  cache: { enabled: false }\n',
        ),
      );
      openai.setReply({ usage });
      const first = await g.post('/v1/chat/completions', chat());
      expect(first.status).toBe(200);
      expect(failing.requests).toHaveLength(1);
      for (let i = 0; i < 5; i++) expect((await g.post('/v1/chat/completions', chat())).status).toBe(200);
      // Cooling down: the failing deployment (weight 1000) was not tried again.
      expect(failing.requests).toHaveLength(1);
      const [spans] = await g.closeAndRead([first.headers.get('x-frugal-request-id')!]);
      expect(spans!.map((span) => span.status).sort()).toEqual(['error', 'ok']);
      expect(spans!.find((span) => span.status === 'ok')!.cost).toMatchObject({ total: expected });
    } finally {
      await failing.close();
    }
  });

  it('falls back to another model name when every deployment of the first is rate limited', async () => {
    const limited = await startFakeOpenAIServer({ reply: { error: { status: 429, retryAfterMs: 5000 } } });
    try {
      const g = await start(
        yamlWith(
          [
            `    - { model_name: primary, provider: openai, model: gpt-4o, api_base: "${limited.baseURL}", api_key_env: UPSTREAM_KEY }`,
            deployment('backup'),
          ],
          '  router: { fallbacks: { primary: [backup] } }\n',
        ),
      );
      const reply = await g.post('/v1/chat/completions', chat({ model: 'primary' }));
      expect(reply.status).toBe(200);
      expect(limited.requests).toHaveLength(1);
      expect(openai.requests).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });

  it('says 429 with Retry-After when the only deployment is rate limited upstream', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')], '  router: { retries: 0 }\n'));
    openai.setReply({ error: { status: 429, retryAfterMs: 3000 } });
    const reply = await g.post('/v1/chat/completions', chat());
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('3');
  });

  it('balances by weight', async () => {
    const second = await startFakeOpenAIServer();
    try {
      const g = await start(
        yamlWith(
          [
            deployment('gpt-4o-mini', ', weight: 3'),
            `    - { model_name: gpt-4o-mini, provider: openai, model: gpt-4o-mini, api_base: "${second.baseURL}", api_key_env: UPSTREAM_KEY, weight: 1 }`,
          ],
          '  cache: { enabled: false }\n',
        ),
      );
      for (let i = 0; i < 200; i++) await g.post('/v1/chat/completions', chat());
      // 150 expected on the first; 6 standard deviations is ±37.
      expect(openai.requests.length).toBeGreaterThan(113);
      expect(openai.requests.length).toBeLessThan(187);
      expect(openai.requests.length + second.requests.length).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('aborts the upstream call when the client disconnects mid-stream and records what was used', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')]));
    openai.setReply({ text: 'a b c d e f g h i j k l m n o p', latency: { chunkDelayMs: 100 } });
    const controller = new AbortController();
    const response = await fetch(`${g.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chat({ stream: true })),
      signal: controller.signal,
    });
    const requestId = response.headers.get('x-frugal-request-id')!;
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [spans] = await g.closeAndRead([requestId]);
    const span = onlySpan(spans!);
    expect(span.status).toBe('error');
    expect(span.error?.message).toContain('client disconnected');
    expect(span.usageEstimated).toBe(true);
    expect(span.usage?.input).toBeGreaterThan(0);
    expect(span.durationMs).toBeLessThan(1200);
  });
});

describe('secrets and policies', () => {
  it('never lets the upstream key into a reply or a span, even when the upstream echoes it', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')], '  router: { retries: 0 }\n'));
    openai.setReply({ error: { status: 401, message: 'Incorrect API key provided: sk-upstream.' } });
    const reply = await g.post('/v1/chat/completions', chat());
    expect(reply.status).toBe(502);
    expect(reply.text).not.toContain('sk-upstream');
    const [spans] = await g.closeAndRead([reply.headers.get('x-frugal-request-id')!]);
    const span = onlySpan(spans!);
    expect(
      JSON.stringify(span, (_key, value) => (typeof value === 'bigint' ? String(value) : value)),
    ).not.toContain('sk-upstream');
    expect(g.logs.join('\n')).not.toContain('sk-upstream');
  });

  it('lets a registered routing policy choose the model, and records why', async () => {
    gateway = await startTestGateway(
      yamlWith([deployment('gpt-4o-mini'), deployment('big')], '  router: { policy: cheapest-first }\n'),
      {
        env,
        policies: {
          'cheapest-first': {
            route: (request) =>
              request.model === 'frugal/auto' ? { model: 'gpt-4o-mini', reason: 'short prompt' } : undefined,
          },
        },
      },
    );
    const reply = await gateway.post('/v1/chat/completions', chat({ model: 'frugal/auto' }));
    expect(reply.status).toBe(200);
    const [spans] = await gateway.closeAndRead([reply.headers.get('x-frugal-request-id')!]);
    const span = onlySpan(spans!);
    expect(span.attributes).toMatchObject({
      'frugal.route.requested_model': 'frugal/auto',
      'frugal.route.reason': 'short prompt',
      'frugal.gateway.model': 'gpt-4o-mini',
    });
  });

  it('refuses to start with a policy that is not registered, naming the config path', async () => {
    await expect(
      startTestGateway(yamlWith([deployment('gpt-4o-mini')], '  router: { policy: missing }\n'), { env }),
    ).rejects.toThrow(
      /frugal\.yaml at gateway\.router\.policy: expected a policy of gateway.policies or one registered with startGateway, found 'missing'/,
    );
  });
});

describe('limits and budgets', () => {
  it('refuses over a per-model rate limit with 429 and Retry-After', async () => {
    const g = await start(
      yamlWith([deployment('gpt-4o-mini')], '  rate_limits: { gpt-4o-mini: { rpm: 2 } }\n'),
    );
    expect((await g.post('/v1/chat/completions', chat({ seed: 1 }))).status).toBe(200);
    expect((await g.post('/v1/chat/completions', chat({ seed: 2 }))).status).toBe(200);
    const refused = await g.post('/v1/chat/completions', chat({ seed: 3 }));
    expect(refused.status).toBe(429);
    expect(refused.json().error.code).toBe('rate_limit_exceeded');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('refuses a call a hard budget cannot cover before sending it', async () => {
    const g = await start(
      `budgets:\n  - { scope: global, period: day, limit_usd: "0.0001", hard: true }\n${yamlWith([deployment('gpt-4o-mini')])}`,
    );
    const reply = await g.post('/v1/chat/completions', chat({ max_tokens: 100_000 }));
    expect(reply.status).toBe(429);
    expect(reply.json().error.code).toBe('budget_exceeded');
    expect(openai.requests).toHaveLength(0);
  });

  it('drains a request in flight on shutdown and records it', async () => {
    const g = await start(yamlWith([deployment('gpt-4o-mini')]));
    openai.setReply({ usage, latency: { firstByteMs: 300 } });
    const pending = g.post('/v1/chat/completions', chat());
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = g.gateway.close();
    const reply = await pending;
    await closing;
    expect(reply.status).toBe(200);
    const [spans] = await g.closeAndRead([reply.headers.get('x-frugal-request-id')!]);
    expect(onlySpan(spans!).cost).toMatchObject({ total: expected });
  });
});
