import { describe, expect, it } from 'vitest';
import { cost } from '../core/cost/cost.js';
import { createPriceBook } from '../core/prices/price-book.js';
import type { PriceEntry } from '../core/prices/price-entry.js';
import type { Span } from '../core/spans/span.js';
import { createTracer } from './create-tracer.js';
import { createMemorySink } from './memory-sink.js';
import { sequentialSpanIds } from './span-ids.js';

/** 2026-03-01T23:59:59.500Z, half a second before a price change in the book below. */
const lateEvening = Date.UTC(2026, 2, 1, 23, 59, 59, 500);

function manualClock(start = lateEvening) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const entry = (input: bigint, effectiveFrom?: string): PriceEntry => ({
  kind: 'tokens',
  id: 'acme-1',
  provider: 'acme',
  mode: 'chat',
  source: `test:acme-1@${effectiveFrom ?? 'always'}`,
  rates: { input, output: input * 4n },
  batch: {},
  tiers: {},
  bands: [],
  ...(effectiveFrom === undefined ? {} : { effectiveFrom }),
});
const book = createPriceBook([entry(1_000_000n), entry(2_000_000n, '2026-03-02')]);

function setup(options: { clock?: ReturnType<typeof manualClock> } = {}) {
  const sink = createMemorySink();
  const clock = options.clock ?? manualClock();
  const tracer = createTracer({ sink, clock, ids: sequentialSpanIds(), priceBook: book });
  return { sink, clock, tracer };
}

describe('createTracer: LLM spans', () => {
  it('names, times and prices a call at the price of its start day (UTC), even when it ends the next day', () => {
    const { sink, clock, tracer } = setup();
    const handle = tracer.startLlmSpan({
      operation: 'chat',
      provider: 'acme',
      requestModel: 'acme-1',
      attributes: { 'gen_ai.request.temperature': 0.5 },
    });
    clock.advance(120.25);
    handle.firstToken();
    clock.advance(700);
    handle.firstToken();
    const span = handle.end({
      responseModel: 'acme-1',
      usage: { input: 1_000, output: 100 },
      attributes: { 'gen_ai.response.id': 'r-1' },
    });
    expect(span).toEqual({
      id: '0000000000000001',
      traceId: '00000000000000000000000000000001',
      name: 'chat acme-1',
      kind: 'llm',
      startTime: lateEvening,
      durationMs: 820.25,
      timeToFirstTokenMs: 120.25,
      status: 'ok',
      operation: 'chat',
      provider: 'acme',
      requestModel: 'acme-1',
      responseModel: 'acme-1',
      usage: { input: 1_000, output: 100 },
      // The 2026-03-01 price (1 µ$/token in, 4 out), not the one in force when the call ended.
      cost: { status: 'priced', total: 1_400_000_000n, priceId: 'acme-1', source: 'test:acme-1@always' },
      attribution: {},
      attributes: { 'gen_ai.request.temperature': 0.5, 'gen_ai.response.id': 'r-1' },
    } satisfies Span);
    expect(sink.spans).toEqual([span]);
  });

  it('prices a real catalog model exactly as core cost() does', () => {
    const sink = createMemorySink();
    const tracer = createTracer({ sink, clock: manualClock(), ids: sequentialSpanIds() });
    const usage = { input: 12_000, cachedInput: 8_000, output: 800 };
    const span = tracer
      .startLlmSpan({ operation: 'chat', provider: 'openai', requestModel: 'gpt-4o' })
      .end({ responseModel: 'gpt-4o-2024-08-06', usage });
    const expected = cost(usage, 'gpt-4o-2024-08-06', { on: '2026-03-01' });
    if (expected.status !== 'priced') throw new Error('gpt-4o must be in the catalog');
    expect(span.cost).toEqual({
      status: 'priced',
      total: expected.total,
      priceId: expected.model,
      source: expected.source,
    });
    expect(span.cost?.status === 'priced' && span.cost.total).toBe(28_000_000_000n);
  });

  it('leaves an unknown model unpriced with the reason, never $0', () => {
    const { tracer } = setup();
    const span = tracer
      .startLlmSpan({ operation: 'chat', provider: 'acme', requestModel: 'acme-9000' })
      .end({ usage: { input: 10, output: 10 } });
    expect(span.cost).toMatchObject({ status: 'unpriced', reason: 'unknown-model' });
    expect(span.cost).not.toHaveProperty('total');
  });

  it('prices by the requested model when the answering model has no price', () => {
    const { tracer } = setup();
    const span = tracer
      .startLlmSpan({ operation: 'chat', provider: 'acme', requestModel: 'acme-1' })
      .end({ responseModel: 'acme-1-internal-build-7', usage: { input: 10, output: 0 } });
    expect(span.cost).toEqual({
      status: 'priced',
      total: 10_000_000n,
      priceId: 'acme-1',
      source: 'test:acme-1@always',
    });
  });

  it('prices a failed call that still reported usage, and records the error type', () => {
    const { tracer } = setup();
    class RateLimitError extends Error {}
    const span = tracer
      .startLlmSpan({ operation: 'chat', provider: 'acme', requestModel: 'acme-1' })
      .fail(new RateLimitError('slow down'), { usage: { input: 500, output: 20 } });
    expect(span).toMatchObject({
      status: 'error',
      error: { type: 'RateLimitError', message: 'slow down' },
      cost: { status: 'priced', total: 580_000_000n },
    });
  });

  it('gives a failed call without usage no cost, and an ok call without usage an unpriced one', () => {
    const { tracer } = setup();
    const failed = tracer
      .startLlmSpan({ operation: 'chat', provider: 'acme', requestModel: 'acme-1' })
      .fail('boom');
    const silent = tracer
      .startLlmSpan({ operation: 'chat', provider: 'acme', requestModel: 'acme-1' })
      .end({});
    expect(failed).toMatchObject({ status: 'error', error: { type: '_OTHER', message: 'boom' } });
    expect(failed).not.toHaveProperty('cost');
    expect(silent.cost).toMatchObject({ status: 'unpriced', reason: 'incomplete-usage' });
  });

  it('records a span once: later end/fail calls return the first result and firstToken after end is ignored', () => {
    const { sink, tracer } = setup();
    const handle = tracer.startLlmSpan({ operation: 'chat', provider: 'acme', requestModel: 'acme-1' });
    const first = handle.end({ usage: { input: 1, output: 1 } });
    handle.firstToken();
    expect(handle.fail(new Error('late'))).toBe(first);
    expect(handle.end({ usage: { input: 9, output: 9 } })).toBe(first);
    expect(sink.spans).toHaveLength(1);
    expect(first).not.toHaveProperty('timeToFirstTokenMs');
    expect(tracer.stats).toEqual({ recorded: 1, dropped: 0, sinkErrors: 0 });
  });

  it('marks embeddings, estimated usage and simulator calls', () => {
    const { tracer } = setup();
    const embedding = tracer
      .startLlmSpan({ operation: 'embeddings', provider: 'acme', requestModel: 'acme-1' })
      .end({ usage: { input: 100 }, usageEstimated: true });
    const simulated = tracer
      .startLlmSpan({ name: 'answer', operation: 'chat', provider: 'sim', requestModel: 'sim/fast' })
      .end({});
    expect(embedding).toMatchObject({
      kind: 'embedding',
      usageEstimated: true,
      cost: { status: 'priced', total: 100_000_000n },
    });
    expect(simulated).toMatchObject({ name: 'answer', simulated: true });
  });
});

describe('createTracer: step spans and attribution', () => {
  it('nests steps and LLM spans, merges attribution (inner wins, tags accumulate) over the defaults', async () => {
    const sink = createMemorySink();
    const clock = manualClock();
    const tracer = createTracer({
      sink,
      clock,
      ids: sequentialSpanIds(),
      priceBook: book,
      defaultAttribution: { feature: 'default', apiKeyId: 'key-1', tags: ['prod'] },
    });
    const result = await tracer.withAttributes({ feature: 'search', user: 'u-1', tags: ['eval'] }, () =>
      tracer.trace(
        'answer question',
        async () => {
          clock.advance(5);
          return tracer.withAttributes({ user: 'u-2', tags: ['prod', 'retry'] }, () => {
            tracer.startLlmSpan({ operation: 'chat', provider: 'acme', requestModel: 'acme-1' }).end({});
            return 42;
          });
        },
        { 'app.step': 'answer' },
      ),
    );
    expect(result).toBe(42);
    const [llm, step] = sink.spans;
    expect(step).toMatchObject({
      id: '0000000000000001',
      name: 'answer question',
      kind: 'step',
      status: 'ok',
      durationMs: 5,
      attribution: { feature: 'search', user: 'u-1', apiKeyId: 'key-1', tags: ['prod', 'eval'] },
      attributes: { 'app.step': 'answer' },
    });
    expect(step).not.toHaveProperty('parentId');
    expect(llm).toMatchObject({
      parentId: step?.id,
      traceId: step?.traceId,
      attribution: { feature: 'search', user: 'u-2', apiKeyId: 'key-1', tags: ['prod', 'eval', 'retry'] },
    });
  });

  it('records a throwing step as an error and rethrows the same error to the caller', async () => {
    const { sink, tracer } = setup();
    const failure = new TypeError('bad input');
    await expect(
      tracer.trace('parse', () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(sink.spans[0]).toMatchObject({
      status: 'error',
      error: { type: 'TypeError', message: 'bad input' },
    });
  });

  it('never lets a failing sink break the traced call: counts it and reports it', async () => {
    const reported: unknown[] = [];
    // A real sink in a real failure state: its span list is frozen, so every write throws.
    const broken = createMemorySink();
    Object.freeze(broken.spans);
    const tracer = createTracer({ sink: broken, onError: (error) => reported.push(error) });
    const value = await tracer.trace('step', async () => {
      tracer.startLlmSpan({ operation: 'chat', provider: 'acme', requestModel: 'x' }).end({});
      return 'still works';
    });
    expect(value).toBe('still works');
    expect(tracer.stats).toEqual({ recorded: 0, dropped: 2, sinkErrors: 2 });
    expect(broken.spans).toEqual([]);
    expect(reported).toHaveLength(2);
    expect(reported[0]).toBeInstanceOf(TypeError);
  });
});
