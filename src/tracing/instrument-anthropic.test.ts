import { Anthropic } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatUsd } from '../core/money.js';
import type { Span } from '../core/spans/span.js';
import { type FakeAnthropicServer, startFakeAnthropicServer } from '../testing/fake-anthropic-server.js';
import { createTracer } from './create-tracer.js';
import { instrumentAnthropic } from './instrument-anthropic.js';
import { createMemorySink, type MemorySink } from './memory-sink.js';
import type { Tracer } from './tracer.js';

let server: FakeAnthropicServer;
let sink: MemorySink;
let tracer: Tracer;
let client: Anthropic;
let plain: Anthropic;

beforeAll(async () => {
  server = await startFakeAnthropicServer();
});
beforeEach(() => {
  server.reset();
  server.setReply({});
  sink = createMemorySink();
  tracer = createTracer({ sink });
  const options = { apiKey: 'sk-ant-test', baseURL: server.baseURL, maxRetries: 0 };
  client = instrumentAnthropic(new Anthropic(options), { tracer });
  plain = new Anthropic(options);
});
afterAll(() => server.close());

const request = {
  model: 'claude-sonnet-4-5',
  max_tokens: 512,
  temperature: 0.5,
  messages: [{ role: 'user' as const, content: 'Summarise the attached contract' }],
};
/** 1,000 input tokens: 100 fresh, 600 cache reads, 200 written for 5 minutes, 100 for 1 hour; 40 output. */
const usage = { input: 1000, cachedInput: 600, cacheWrite: 200, cacheWrite1h: 100, output: 40 };
/**
 * claude-sonnet-4-5 per 1M tokens: $3 input, $0.30 cache read, $3.75 5-minute write, $6 1-hour write, $15 output:
 * 100 × 3 + 600 × 0.3 + 200 × 3.75 + 100 × 6 + 40 × 15 = 300 + 180 + 750 + 600 + 600 = 2,430 µ$.
 */
const expectedCost = '0.00243';

const costOf = (span: Span | undefined) =>
  span?.cost?.status === 'priced' ? formatUsd(span.cost.total) : span?.cost;
/** Events with the per-request message id blanked, to compare two streams. */
const comparable = (events: readonly { type: string }[]) =>
  events.map((event) =>
    event.type === 'message_start' ? JSON.stringify(event).replace(/msg_fake\d+/, 'x') : event,
  );

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe('instrumentAnthropic', () => {
  it('prices cache reads and 5-minute and 1-hour cache writes at their own rates', async () => {
    server.setReply({ text: 'The contract says...', model: 'claude-sonnet-4-5-20250929', usage });
    const message = await client.messages.create(request);
    expect(message.content[0]).toEqual({ type: 'text', text: 'The contract says...' });
    expect(sink.spans).toHaveLength(1);
    expect(sink.spans[0]).toMatchObject({
      name: 'chat claude-sonnet-4-5',
      status: 'ok',
      provider: 'anthropic',
      requestModel: 'claude-sonnet-4-5',
      responseModel: 'claude-sonnet-4-5-20250929',
      usage,
      attributes: {
        'gen_ai.request.max_tokens': 512,
        'gen_ai.request.temperature': 0.5,
        'gen_ai.response.finish_reasons': ['end_turn'],
        'gen_ai.response.id': message.id,
      },
    });
    expect(costOf(sink.spans[0])).toBe(expectedCost);
  });

  it('streams unchanged events and records usage from message_start and message_delta at the same cost', async () => {
    server.setReply({
      text: 'The contract says',
      model: 'claude-sonnet-4-5-20250929',
      usage,
      latency: { chunkDelayMs: 10 },
    });
    const seen = await collect(await client.messages.create({ ...request, stream: true }));
    const unseen = await collect(await plain.messages.create({ ...request, stream: true }));
    expect(comparable(seen)).toEqual(comparable(unseen));
    expect(sink.spans).toHaveLength(1);
    const span = sink.spans[0]!;
    expect(span).toMatchObject({ status: 'ok', responseModel: 'claude-sonnet-4-5-20250929', usage });
    expect(costOf(span)).toBe(expectedCost);
    expect(span.timeToFirstTokenMs).toBeGreaterThanOrEqual(10 - 2);
    expect(span.timeToFirstTokenMs).toBeLessThan(span.durationMs);
  });

  it('combines usage the same way when message_delta carries only output tokens (older API versions)', async () => {
    const old = await startFakeAnthropicServer({ deltaUsage: 'output-only', reply: { usage } });
    const oldClient = instrumentAnthropic(
      new Anthropic({ apiKey: 'k', baseURL: old.baseURL, maxRetries: 0 }),
      {
        tracer,
      },
    );
    await collect(await oldClient.messages.create({ ...request, stream: true }));
    await old.close();
    expect(sink.spans[0]?.usage).toEqual(usage);
    expect(costOf(sink.spans[0])).toBe(expectedCost);
  });

  it('traces messages.stream(), whose helper sees the same events', async () => {
    server.setReply({
      text: 'Let me check.',
      toolCalls: [{ name: 'lookup', arguments: { clause: 7 } }],
      usage,
    });
    const final = await client.messages.stream(request).finalMessage();
    expect(final.content[1]).toMatchObject({ type: 'tool_use', name: 'lookup', input: { clause: 7 } });
    expect(sink.spans).toHaveLength(1);
    expect(sink.spans[0]).toMatchObject({
      usage,
      attributes: { 'gen_ai.response.finish_reasons': ['tool_use'] },
    });
    expect(costOf(sink.spans[0])).toBe(expectedCost);
  });

  it('records a 529 and a 429 as error spans, and an in-stream error with the usage known so far', async () => {
    server.enqueue({ error: { status: 529 } }, { error: { status: 429 } });
    await expect(client.messages.create(request)).rejects.toMatchObject({ status: 529 });
    await expect(client.messages.create(request)).rejects.toMatchObject({ status: 429 });
    await vi.waitFor(() => expect(sink.spans).toHaveLength(2));
    expect(sink.spans.map((span) => span.error?.type)).toEqual(['OverloadedError', 'RateLimitError']);

    server.enqueue({ usage, streamError: { afterChunks: 3, error: { status: 529 } } });
    await expect(collect(await client.messages.create({ ...request, stream: true }))).rejects.toThrow(
      'Overloaded',
    );
    expect(sink.spans[2]).toMatchObject({
      status: 'error',
      usage: { input: 1000, cachedInput: 600, output: 1 },
    });
  });

  it('traces beta.messages.create the same way', async () => {
    server.setReply({ usage });
    await client.beta.messages.create(request);
    expect(server.requests[0]?.path).toBe('/v1/messages');
    expect(sink.spans).toHaveLength(1);
    expect(costOf(sink.spans[0])).toBe(expectedCost);
  });

  it('estimates usage when the server reports none', async () => {
    server.setReply({ text: 'Fine.', usage: null });
    await client.messages.create(request);
    await vi.waitFor(() => expect(sink.spans).toHaveLength(1));
    expect(sink.spans[0]).toMatchObject({ usageEstimated: true, cost: { status: 'priced' } });
    expect(sink.spans[0]?.usage?.input).toBeGreaterThan(0);
  });
});
