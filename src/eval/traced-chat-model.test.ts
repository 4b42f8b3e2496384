import { afterAll, describe, expect, it } from 'vitest';
import { cost } from '../core/cost/cost.js';
import { BudgetExceededError, ProviderError } from '../core/errors.js';
import type { Span } from '../core/spans/span.js';
import type { ChatModel, GenerateRequest, GenerateResult, StreamPart } from '../providers/chat-model.js';
import { createOpenAICompatibleChatModel } from '../providers/openai-compatible-chat-model.js';
import { createSimulatorChatModel } from '../providers/simulator/create-simulator-chat-model.js';
import { startFakeOpenAIServer } from '../testing/index.js';
import { createTracer } from '../tracing/create-tracer.js';
import { createMemorySink, type MemorySink } from '../tracing/memory-sink.js';
import { createRunBudget } from './run-budget.js';
import { tracedChatModel } from './traced-chat-model.js';

const question: GenerateRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What is a database index?' },
  ],
  maxOutputTokens: 200,
  temperature: 0.2,
};
const knowledge = [{ question: 'What is a database index?', facts: ['data structure', 'read speed'] }];

/** A virtual clock the simulator's waits advance, so the tracer sees the simulator's declared latencies exactly. */
function virtualTime() {
  let time = 1_700_000_000_000;
  return {
    clock: { now: () => time },
    sleep: async (ms: number) => {
      time += ms;
    },
  };
}

function setUp(options: { timed?: boolean } = {}) {
  const sink = createMemorySink();
  const time = virtualTime();
  const tracer = createTracer({ sink, ...(options.timed ? { clock: time.clock } : {}) });
  const simulator = (name: string) =>
    createSimulatorChatModel(name, {
      knowledge,
      ...(options.timed ? { timeScale: 1, sleep: time.sleep } : {}),
    });
  return { sink, tracer, simulator };
}

async function streamed(model: ChatModel, request: GenerateRequest): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of model.stream(request)) parts.push(part);
  return parts;
}

const finishOf = (parts: readonly StreamPart[]) => {
  const last = parts.at(-1);
  if (last?.type !== 'finish') throw new Error('no finish part');
  return last.result;
};

const llmSpans = (sink: MemorySink) => sink.spans.filter((span) => span.kind === 'llm');

const priceOf = (result: GenerateResult, model: string) => {
  const priced = cost(result.usage, model);
  if (priced.status !== 'priced') throw new Error(`no price for ${model}`);
  return priced.total;
};

const server = await startFakeOpenAIServer({
  reply: (request) => {
    const body = request.body as { model: string; messages: { content: string }[] };
    if (body.model === 'broken') return { error: { status: 500, message: 'upstream exploded' } };
    if (body.messages.some((message) => message.content.includes('(report no usage)')))
      return { text: 'An index speeds up reads.', usage: null };
    return { text: 'An index is a data structure.', usage: { input: 21, output: 7 } };
  },
});
afterAll(() => server.close());
const overHttp = (model: string) =>
  createOpenAICompatibleChatModel({ model, baseUrl: server.baseURL, apiKey: 'test-key', maxRetries: 0 });

describe('tracedChatModel', () => {
  it.each(['generate', 'stream'] as const)(
    '%s gives exactly one priced, simulated LLM span for a sim model',
    async (mode) => {
      const { sink, tracer, simulator } = setUp({ timed: true });
      const model = tracedChatModel(simulator('sim/small'), tracer);
      const result =
        mode === 'generate' ? await model.generate(question) : finishOf(await streamed(model, question));
      const spans = llmSpans(sink);
      expect(sink.spans).toHaveLength(1);
      const span = spans[0] as Span;
      expect(span).toMatchObject({
        kind: 'llm',
        status: 'ok',
        operation: 'chat',
        provider: 'sim',
        requestModel: 'sim/small',
        responseModel: 'sim/small',
        usage: result.usage,
        simulated: true,
        attributes: {
          'gen_ai.request.temperature': 0.2,
          'gen_ai.request.max_tokens': 200,
          'gen_ai.response.finish_reasons': ['stop'],
        },
      });
      expect(span.cost).toMatchObject({ status: 'priced', total: priceOf(result, 'sim/small') });
      expect(span.requestHash).toMatch(/^[0-9a-f]{16,}$/);
      expect(span.usageEstimated).toBeUndefined();
      // The simulator's declared latency is what the (virtual) clock saw.
      expect(span.durationMs).toBeCloseTo(result.latencyMs, 1);
      if (mode === 'stream') {
        expect(span.timeToFirstTokenMs).toBe(result.timeToFirstTokenMs);
        expect(span.timeToFirstTokenMs).toBeGreaterThan(0);
        expect(span.timeToFirstTokenMs).toBeLessThan(span.durationMs);
      } else {
        expect(span.timeToFirstTokenMs).toBeUndefined();
      }
    },
  );

  it('streams the same parts as the model it wraps', async () => {
    const { tracer, simulator } = setUp();
    const plain = await streamed(simulator('sim/medium'), question);
    const traced = await streamed(tracedChatModel(simulator('sim/medium'), tracer), question);
    expect(traced).toEqual(plain);
    expect(traced.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
  });

  it.each(['generate', 'stream'] as const)(
    '%s over HTTP gives a priced span marked not simulated',
    async (mode) => {
      const { sink, tracer } = setUp();
      const inner = overHttp('gpt-4o-mini');
      const model = tracedChatModel(inner, tracer);
      const result =
        mode === 'generate' ? await model.generate(question) : finishOf(await streamed(model, question));
      expect(result.usage).toMatchObject({ input: 21, output: 7 });
      const [span] = llmSpans(sink);
      expect(sink.spans).toHaveLength(1);
      expect(span).toMatchObject({
        provider: inner.provider,
        requestModel: 'gpt-4o-mini',
        usage: { input: 21, output: 7 },
        simulated: false,
      });
      expect(span?.cost).toMatchObject({ status: 'priced', total: priceOf(result, 'gpt-4o-mini') });
      if (mode === 'stream') expect(span?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    },
  );

  it('counts the usage a provider did not report and marks it estimated', async () => {
    const { sink, tracer } = setUp();
    const result = await tracedChatModel(overHttp('gpt-4o-mini'), tracer).generate({
      messages: [{ role: 'user', content: 'What is a database index? (report no usage)' }],
    });
    const [span] = llmSpans(sink);
    expect(span?.usageEstimated).toBe(true);
    expect(span?.usage?.input).toBeGreaterThan(10);
    expect(span?.usage?.output).toBeGreaterThan(3);
    expect(span?.cost?.status).toBe('priced');
    expect(result.text).toBe('An index speeds up reads.');
  });

  it.each<{ name: string; change: Partial<GenerateRequest>; same: boolean }>([
    { name: 'the same request', change: {}, same: true },
    {
      name: 'an abort signal (not part of the request)',
      change: { signal: new AbortController().signal },
      same: true,
    },
    { name: 'another temperature', change: { temperature: 0.9 }, same: false },
    { name: 'another output cap', change: { maxOutputTokens: 201 }, same: false },
    {
      name: 'another question',
      change: { messages: [{ role: 'user', content: 'What is a race condition?' }] },
      same: false,
    },
  ])('hashes $name the same: $same', async ({ change, same }) => {
    const { sink, tracer, simulator } = setUp();
    const model = tracedChatModel(simulator('sim/small'), tracer);
    await model.generate(question);
    await model.generate({ ...question, ...change });
    const [first, second] = llmSpans(sink);
    expect(first?.requestHash === second?.requestHash).toBe(same);
  });

  it('hashes the model too: the same request to another model has another hash', async () => {
    const { sink, tracer, simulator } = setUp();
    await tracedChatModel(simulator('sim/small'), tracer).generate(question);
    await tracedChatModel(simulator('sim/large'), tracer).generate(question);
    const [small, large] = llmSpans(sink);
    expect(small?.requestHash).not.toBe(large?.requestHash);
  });

  it('records a failed call as one error span and rethrows the error', async () => {
    const { sink, tracer } = setUp();
    const error = await tracedChatModel(overHttp('broken'), tracer)
      .generate(question)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(sink.spans).toHaveLength(1);
    expect(sink.spans[0]).toMatchObject({
      kind: 'llm',
      status: 'error',
      requestModel: 'broken',
      error: { type: 'ProviderError' },
    });
    expect(sink.spans[0]?.usage).toBeUndefined();
    expect(sink.spans[0]?.cost).toBeUndefined();
  });

  it('records a stream cut off after its first token as one error span with time to first token', async () => {
    const { sink, tracer, simulator } = setUp();
    const abort = new AbortController();
    const model = tracedChatModel(simulator('sim/large'), tracer);
    const parts: StreamPart[] = [];
    const error = await (async () => {
      for await (const part of model.stream({ ...question, signal: abort.signal })) {
        parts.push(part);
        abort.abort(new Error('user went away'));
      }
    })().catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('user went away');
    expect(parts).toHaveLength(1);
    expect(sink.spans).toHaveLength(1);
    expect(sink.spans[0]).toMatchObject({
      status: 'error',
      error: { message: 'user went away' },
      simulated: true,
    });
    expect(sink.spans[0]?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('passes calls through untraced when there is no tracer', async () => {
    const { sink, simulator } = setUp();
    const traced = tracedChatModel(simulator('sim/small'));
    const expected = await simulator('sim/small').generate(question);
    expect(await traced.generate(question)).toEqual(expected);
    const tracedStream = tracedChatModel(simulator('sim/small'));
    expect(await streamed(tracedStream, question)).toEqual(await streamed(simulator('sim/small'), question));
    expect(sink.spans).toHaveLength(0);
    expect(traced).toMatchObject({ id: 'sim/small', provider: 'sim', model: 'sim/small', simulated: true });
  });

  it('uses the tracer of the async scope when none is given, as a child of the current step', async () => {
    const { sink, tracer, simulator } = setUp();
    const model = tracedChatModel(simulator('sim/small'));
    await tracer.withAttributes({ feature: 'faq', tags: ['eval:judge'] }, () =>
      tracer.trace('row', () => model.generate(question)),
    );
    const step = sink.spans.find((span) => span.kind === 'step');
    const [llm] = llmSpans(sink);
    expect(llm?.parentId).toBe(step?.id);
    expect(llm?.traceId).toBe(step?.traceId);
    expect(llm?.attribution).toMatchObject({ feature: 'faq', tags: ['eval:judge'] });
  });

  it('with a tracer admission, admits the call before it is sent and settles it to the span’s cost', async () => {
    const sink = createMemorySink();
    const budget = createRunBudget(1_000_000_000n, 0);
    const tracer = createTracer({ sink, admission: budget });
    const model = tracedChatModel(createSimulatorChatModel('sim/small', { knowledge }), tracer);
    const result = await model.generate(question);
    const [span] = llmSpans(sink);
    expect(budget.reserved()).toBe(0n);
    expect(budget.spent()).toBe(priceOf(result, 'sim/small'));
    expect(span?.cost).toMatchObject({ status: 'priced', total: budget.spent() });

    // Streamed calls are admitted and settled too.
    const streamedResult = finishOf(await streamed(model, question));
    expect(budget.spent()).toBe(priceOf(result, 'sim/small') + priceOf(streamedResult, 'sim/small'));
    expect(budget.reserved()).toBe(0n);
  });

  it('ends the span and releases the reservation when the caller stops reading a stream early', async () => {
    const sink = createMemorySink();
    const budget = createRunBudget(1_000_000_000n, 0);
    const tracer = createTracer({ sink, admission: budget });
    const model = tracedChatModel(createSimulatorChatModel('sim/small', { knowledge }), tracer);
    for await (const part of model.stream(question)) {
      expect(part.type).toBe('text-delta');
      break;
    }
    const [span] = llmSpans(sink);
    expect(span).toMatchObject({
      status: 'error',
      error: { message: 'the caller stopped reading the stream' },
    });
    expect(budget.reserved()).toBe(0n);
  });

  it('with a tracer admission that refuses, sends nothing and records no span', async () => {
    const sink = createMemorySink();
    // Less than one call's reservation: 200 output tokens at $0.60/1M alone are 120,000,000 pico-dollars.
    const budget = createRunBudget(100_000_000n, 0);
    const tracer = createTracer({ sink, admission: budget });
    const inner = createSimulatorChatModel('sim/small', { knowledge });
    const error = await tracedChatModel(inner, tracer)
      .generate(question)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(sink.spans).toHaveLength(0);
    expect(budget.spent()).toBe(0n);
    // The simulator was never called: its next call is its first.
    const next = await inner.generate(question);
    expect((next.raw as { call: number }).call).toBe(1);
  });

  it('with a tracer admission, refuses a model it cannot price before anything reaches the server', async () => {
    const sink = createMemorySink();
    const tracer = createTracer({ sink, admission: createRunBudget(10n ** 15n, 0) });
    const before = server.requests.length;
    const error = await tracedChatModel(overHttp('no-such-model-anywhere'), tracer)
      .generate(question)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as Error).message).toMatch(/cannot be bounded/);
    expect(server.requests.length).toBe(before);
  });
});
