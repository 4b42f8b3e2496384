import { OpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatUsd } from '../core/money.js';
import type { Span } from '../core/spans/span.js';
import { countChatTokens, countTokens } from '../core/tokens/count-tokens.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import { createTracer } from './create-tracer.js';
import { setDefaultTracer } from './default-tracer.js';
import { instrumentOpenAI } from './instrument-openai.js';
import { createMemorySink, type MemorySink } from './memory-sink.js';
import type { Tracer } from './tracer.js';

let server: FakeOpenAIServer;
let sink: MemorySink;
let tracer: Tracer;
let client: OpenAI;
/** The same server, without instrumentation: what the caller would have seen. */
let plain: OpenAI;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
beforeEach(() => {
  server.reset();
  server.setReply({});
  sink = createMemorySink();
  tracer = createTracer({ sink });
  client = instrumentOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 }), {
    tracer,
  });
  plain = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 });
});
afterAll(() => server.close());

const messages = [{ role: 'user' as const, content: 'Tell me a joke' }];
/** 1,200 prompt tokens of which 1,000 cached; 300 completion tokens. */
const usage = { input: 1200, cachedInput: 1000, output: 300, reasoning: 0 };
/** gpt-4o at $2.50 / $1.25 cached / $10 per 1M: 200 × 2.5 + 1,000 × 1.25 + 300 × 10 = 4,750 µ$. */
const expectedCost = '0.00475';

const onlySpan = (): Span => {
  expect(sink.spans).toHaveLength(1);
  return sink.spans[0]!;
};
const costOf = (span: Span) => (span.cost?.status === 'priced' ? formatUsd(span.cost.total) : span.cost);
/** Chunks with the per-request id and timestamp blanked, to compare two streams. */
const comparable = (chunks: readonly object[]) => chunks.map((chunk) => ({ ...chunk, id: 'x', created: 0 }));

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe('instrumentOpenAI: chat completions', () => {
  it('records a non-streamed call with model, parameters, usage and exact cost', async () => {
    server.setReply({ text: 'Why did the chicken...', model: 'gpt-4o-2024-08-06', usage });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      temperature: 0.3,
      max_tokens: 500,
    });
    expect(completion.choices[0]?.message.content).toBe('Why did the chicken...');
    const span = onlySpan();
    expect(span).toMatchObject({
      name: 'chat gpt-4o',
      kind: 'llm',
      status: 'ok',
      operation: 'chat',
      provider: 'openai',
      requestModel: 'gpt-4o',
      responseModel: 'gpt-4o-2024-08-06',
      usage,
      attributes: {
        'gen_ai.request.temperature': 0.3,
        'gen_ai.request.max_tokens': 500,
        'gen_ai.response.id': completion.id,
        'gen_ai.response.finish_reasons': ['stop'],
      },
    });
    expect(span.usageEstimated).toBeUndefined();
    expect(span.timeToFirstTokenMs).toBeUndefined();
    expect(costOf(span)).toBe(expectedCost);
  });

  it('streams exactly what the caller would see uninstrumented, and costs exactly the unstreamed price', async () => {
    server.setReply({ text: 'One two three four', model: 'gpt-4o-2024-08-06', usage });
    const seen = await collect(
      await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true }),
    );
    const unseen = await collect(
      await plain.chat.completions.create({ model: 'gpt-4o', messages, stream: true }),
    );
    expect(comparable(seen)).toEqual(comparable(unseen));
    expect(seen.some((chunk) => 'usage' in chunk)).toBe(false);
    const [asked, unasked] = server.requests;
    expect(asked?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(unasked?.body).not.toHaveProperty('stream_options');

    const streamed = onlySpan();
    await client.chat.completions.create({ model: 'gpt-4o', messages });
    const unstreamed = sink.spans[1]!;
    expect(streamed.usage).toEqual(usage);
    expect(streamed.cost?.status === 'priced' && streamed.cost.total).toBe(
      unstreamed.cost?.status === 'priced' && unstreamed.cost.total,
    );
    expect(costOf(streamed)).toBe(expectedCost);
    expect(streamed.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('leaves the usage chunk to a caller that asked for it', async () => {
    server.setReply({ usage });
    const body = {
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    } as const;
    const seen = await collect(await client.chat.completions.create(body));
    const unseen = await collect(await plain.chat.completions.create(body));
    expect(comparable(seen)).toEqual(comparable(unseen));
    expect(seen.at(-1)?.usage?.prompt_tokens).toBe(1200);
    expect(onlySpan().usage).toEqual(usage);
  });

  it('records time to first token at the first content chunk, after the scripted delays', async () => {
    server.setReply({ text: 'a b c', usage, latency: { firstByteMs: 40, chunkDelayMs: 25 } });
    await collect(await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true }));
    const span = onlySpan();
    // The role chunk comes first, the first content chunk one delay later.
    expect(span.timeToFirstTokenMs).toBeGreaterThanOrEqual(40 + 25 - 5);
    expect(span.durationMs).toBeGreaterThanOrEqual(span.timeToFirstTokenMs! + 3 * 25 - 5);
  });

  it('counts usage with core/tokens when a stream ends without any, and says it is estimated', async () => {
    server.setReply({ text: 'Hello there, friend.', usage: null });
    const chunks = await collect(
      await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true }),
    );
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'Hello there, friend.',
    );
    await vi.waitFor(() => expect(sink.spans).toHaveLength(1));
    const span = onlySpan();
    const prompt = await countChatTokens(messages, { model: 'gpt-4o' });
    const output = await countTokens('Hello there, friend.', { model: 'gpt-4o' });
    expect(span.usage).toEqual({ input: prompt.tokens, output: output.tokens });
    expect(span.usageEstimated).toBe(true);
    expect(span.cost?.status).toBe('priced');
  });

  it('counts a streamed tool call without usage from its text, function name and arguments', async () => {
    const call = { name: 'lookup_order', arguments: { order: 48213, carrier: 'UPS' } };
    server.setReply({ text: 'Let me check.', toolCalls: [call], usage: null });
    await collect(await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true }));
    await vi.waitFor(() => expect(sink.spans).toHaveLength(1));
    const generated = `Let me check.${call.name}${JSON.stringify(call.arguments)}`;
    const output = await countTokens(generated, { model: 'gpt-4o' });
    expect(onlySpan()).toMatchObject({ usage: { output: output.tokens }, usageEstimated: true });
    // Not the text alone: the call's name and arguments count too.
    expect(output.tokens).toBeGreaterThan((await countTokens('Let me check.', { model: 'gpt-4o' })).tokens);
  });

  it('leaves streams alone under streamUsage: false, and counts their usage instead', async () => {
    server.setReply({ text: 'Hello there, friend.', usage });
    const bare = instrumentOpenAI(new OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 }), {
      tracer,
      streamUsage: false,
    });
    await collect(await bare.chat.completions.create({ model: 'gpt-4o', messages, stream: true }));
    expect(server.requests[0]?.body).not.toHaveProperty('stream_options');
    await vi.waitFor(() => expect(sink.spans).toHaveLength(1));
    expect(onlySpan()).toMatchObject({ usageEstimated: true, cost: { status: 'priced' } });
  });

  it('records errors: a 500, a 429 with its type, and a stream cut mid-way, each rethrown to the caller', async () => {
    server.enqueue({ error: { status: 500 } }, { error: { status: 429, retryAfterSeconds: 1 } });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages })).rejects.toMatchObject({
      status: 500,
    });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages })).rejects.toMatchObject({
      status: 429,
    });
    await vi.waitFor(() => expect(sink.spans).toHaveLength(2));
    expect(sink.spans.map((span) => [span.status, span.error?.type])).toEqual([
      ['error', 'InternalServerError'],
      ['error', 'RateLimitError'],
    ]);

    server.enqueue({ text: 'a b c d e', model: 'gpt-4o-2024-08-06', disconnectAfterChunks: 3 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    await expect(collect(stream)).rejects.toThrow();
    const cut = sink.spans[2]!;
    expect(cut).toMatchObject({ status: 'error', responseModel: 'gpt-4o-2024-08-06' });
    expect(cut.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('marks a stream the caller stopped reading as incomplete, with estimated usage', async () => {
    server.setReply({ text: 'a b c d e f', usage });
    for await (const _ of await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true }))
      break;
    await vi.waitFor(() => expect(sink.spans).toHaveLength(1));
    expect(onlySpan()).toMatchObject({
      status: 'ok',
      usageEstimated: true,
      attributes: { 'frugal.stream.incomplete': true },
    });
  });
});

describe('instrumentOpenAI: the SDK helpers keep working', () => {
  it('keeps withResponse, tee, toReadableStream and the stream/parse helpers, each call traced once', async () => {
    server.setReply({ text: 'one two', usage });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('one two');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);

    const [left, right] = (
      await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true })
    ).tee();
    expect((await collect(left)).length).toBe((await collect(right)).length);

    const readable = (
      await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true })
    ).toReadableStream();
    const lines = (await new Response(readable).text()).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line)).some((chunk) => 'usage' in chunk)).toBe(false);

    const final = await client.chat.completions.stream({ model: 'gpt-4o', messages }).finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('one two');
    const parsed = await client.chat.completions.parse({ model: 'gpt-4o', messages });
    expect(parsed.choices[0]?.message.content).toBe('one two');

    expect(sink.spans).toHaveLength(5);
    expect(sink.spans.every((span) => span.status === 'ok' && costOf(span) === expectedCost)).toBe(true);
  });

  it('instruments once however often it is applied, follows withOptions, and uses the default tracer', async () => {
    instrumentOpenAI(client, { tracer });
    await client.chat.completions.create({ model: 'gpt-4o', messages });
    await client.withOptions({ timeout: 5000 }).chat.completions.create({ model: 'gpt-4o', messages });
    expect(sink.spans).toHaveLength(2);

    const byDefault = instrumentOpenAI(new OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 }));
    await byDefault.chat.completions.create({ model: 'gpt-4o', messages });
    expect(sink.spans).toHaveLength(2);
    setDefaultTracer(tracer);
    try {
      await tracer.trace('answer', () =>
        tracer.withAttributes({ feature: 'jokes' }, () =>
          byDefault.chat.completions.create({ model: 'gpt-4o', messages }),
        ),
      );
    } finally {
      setDefaultTracer(undefined);
    }
    const [llm, step] = sink.spans.slice(2);
    expect(llm).toMatchObject({ kind: 'llm', parentId: step?.id, attribution: { feature: 'jokes' } });
  });
});

describe('instrumentOpenAI: responses and embeddings', () => {
  it('records the Responses API streamed and not, at the same exact cost', async () => {
    server.setReply({
      text: 'Bonjour tout le monde',
      model: 'gpt-4o-2024-08-06',
      usage,
      latency: { chunkDelayMs: 5 },
    });
    const response = await client.responses.create({
      model: 'gpt-4o',
      input: 'Say hello',
      max_output_tokens: 64,
    });
    expect(response.output_text).toBe('Bonjour tout le monde');
    const events = await collect(
      await client.responses.create({ model: 'gpt-4o', input: 'Say hello', stream: true }),
    );
    expect(events.at(-1)?.type).toBe('response.completed');
    const [unstreamed, streamed] = sink.spans;
    for (const span of [unstreamed, streamed]) {
      expect(span).toMatchObject({
        operation: 'chat',
        requestModel: 'gpt-4o',
        responseModel: 'gpt-4o-2024-08-06',
        usage,
        attributes: { 'gen_ai.response.finish_reasons': ['completed'] },
      });
      expect(costOf(span!)).toBe(expectedCost);
    }
    expect(unstreamed?.attributes['gen_ai.request.max_tokens']).toBe(64);
    expect(streamed?.timeToFirstTokenMs).toBeGreaterThan(0);
    const helper = await client.responses.stream({ model: 'gpt-4o', input: 'hi' }).finalResponse();
    expect(helper.output_text).toBe('Bonjour tout le monde');
    expect(sink.spans).toHaveLength(3);
  });

  it('records embeddings as embedding spans priced on input tokens', async () => {
    server.setReply({ usage: { input: 1000 } });
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(result.data).toHaveLength(2);
    const span = onlySpan();
    expect(span).toMatchObject({
      kind: 'embedding',
      operation: 'embeddings',
      requestModel: 'text-embedding-3-small',
      usage: { input: 1000 },
      attributes: { 'gen_ai.embeddings.dimension.count': 8 },
    });
    // $0.02 per 1M input tokens.
    expect(costOf(span)).toBe('0.00002');
  });
});
