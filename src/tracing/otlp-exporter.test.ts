import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPriceBook } from '../core/prices/price-book.js';
import type { Span } from '../core/spans/span.js';
import { combineSinks } from './combine-sinks.js';
import { createTracer } from './create-tracer.js';
import { createMemorySink } from './memory-sink.js';
import { createOtlpExporter } from './otlp-exporter.js';
import { sequentialSpanIds } from './span-ids.js';

type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: unknown };
type Reply = { status: number; headers?: Record<string, string>; body?: string };

/** A real OTLP/HTTP receiver on 127.0.0.1: records and parses every request, answers from a script. */
async function startReceiver(script: Reply[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: JSON.parse(text),
      });
      const reply = script.shift() ?? { status: 200, body: '{}' };
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const book = createPriceBook([
  {
    kind: 'tokens',
    id: 'acme-1',
    provider: 'acme',
    mode: 'chat',
    source: 'test:acme-1',
    rates: { input: 2_500_000n, cachedInput: 1_250_000n, output: 10_000_000n },
    batch: {},
    tiers: {},
    bands: [],
  },
]);

const spanAt = (n: number): Span => ({
  id: n.toString(16).padStart(16, '0'),
  traceId: 'b'.repeat(32),
  name: `step ${n}`,
  kind: 'step',
  startTime: 1_760_000_000_000,
  durationMs: 1,
  status: 'ok',
  attribution: {},
  attributes: {},
});

const quiet = { flushOnExit: false, flushIntervalMs: 60_000 } as const;

describe('createOtlpExporter against a real OTLP/HTTP receiver', () => {
  it('POSTs ExportTraceServiceRequest JSON with hex ids, kinds, nanosecond strings, status and attributes', async () => {
    const receiver = await startReceiver();
    const exporter = createOtlpExporter({
      ...quiet,
      endpoint: `${receiver.endpoint}/`,
      serviceName: 'checkout',
      resourceAttributes: { 'deployment.environment.name': 'test' },
      headers: { authorization: 'Bearer t0ken' },
    });
    let now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const clock = { now: () => now };
    const tracer = createTracer({ sink: exporter, clock, ids: sequentialSpanIds(), priceBook: book });
    await tracer.withAttributes({ feature: 'answer', user: 'u-7', tags: ['eval'] }, () =>
      tracer.trace('answer question', async () => {
        const call = tracer.startLlmSpan({
          operation: 'chat',
          provider: 'acme',
          requestModel: 'acme-1',
          attributes: { 'gen_ai.request.temperature': 1 },
        });
        now += 40.5;
        call.firstToken();
        now += 200;
        call.end({ responseModel: 'acme-1', usage: { input: 1_200, cachedInput: 1_000, output: 300 } });
        const failed = tracer.startLlmSpan({ operation: 'chat', provider: 'acme', requestModel: 'nobody-7' });
        now += 10;
        failed.fail(new RangeError('context too long'));
      }),
    );
    await tracer.flush();

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/traces');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Bearer t0ken');
    const start = '1795348800000000000';
    expect(request?.body).toEqual({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'deployment.environment.name', value: { stringValue: 'test' } },
              { key: 'service.name', value: { stringValue: 'checkout' } },
            ],
          },
          scopeSpans: [
            {
              scope: { name: 'frugal' },
              spans: [
                {
                  traceId: '00000000000000000000000000000001',
                  spanId: '0000000000000002',
                  parentSpanId: '0000000000000001',
                  name: 'chat acme-1',
                  kind: 3,
                  startTimeUnixNano: start,
                  endTimeUnixNano: '1795348800240500000',
                  attributes: [
                    { key: 'gen_ai.request.temperature', value: { doubleValue: 1 } },
                    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                    { key: 'gen_ai.provider.name', value: { stringValue: 'acme' } },
                    { key: 'gen_ai.system', value: { stringValue: 'acme' } },
                    { key: 'gen_ai.request.model', value: { stringValue: 'acme-1' } },
                    { key: 'gen_ai.response.model', value: { stringValue: 'acme-1' } },
                    { key: 'gen_ai.usage.input_tokens', value: { intValue: '1200' } },
                    { key: 'gen_ai.usage.output_tokens', value: { intValue: '300' } },
                    { key: 'gen_ai.usage.cache_read.input_tokens', value: { intValue: '1000' } },
                    // 200 × 2.5 µ$ + 1,000 × 1.25 µ$ + 300 × 10 µ$ = 0.00475 $
                    { key: 'frugal.cost.usd', value: { stringValue: '0.00475' } },
                    { key: 'frugal.cost.price_id', value: { stringValue: 'acme-1' } },
                    { key: 'frugal.cost.price_source', value: { stringValue: 'test:acme-1' } },
                    { key: 'frugal.feature', value: { stringValue: 'answer' } },
                    { key: 'frugal.user', value: { stringValue: 'u-7' } },
                    { key: 'frugal.tags', value: { arrayValue: { values: [{ stringValue: 'eval' }] } } },
                    { key: 'frugal.time_to_first_token_ms', value: { doubleValue: 40.5 } },
                  ],
                  status: { code: 0 },
                },
                {
                  traceId: '00000000000000000000000000000001',
                  spanId: '0000000000000003',
                  parentSpanId: '0000000000000001',
                  name: 'chat nobody-7',
                  kind: 3,
                  startTimeUnixNano: '1795348800240000000',
                  endTimeUnixNano: '1795348800250000000',
                  attributes: [
                    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                    { key: 'gen_ai.provider.name', value: { stringValue: 'acme' } },
                    { key: 'gen_ai.system', value: { stringValue: 'acme' } },
                    { key: 'gen_ai.request.model', value: { stringValue: 'nobody-7' } },
                    { key: 'error.type', value: { stringValue: 'RangeError' } },
                    { key: 'frugal.feature', value: { stringValue: 'answer' } },
                    { key: 'frugal.user', value: { stringValue: 'u-7' } },
                    { key: 'frugal.tags', value: { arrayValue: { values: [{ stringValue: 'eval' }] } } },
                  ],
                  status: { code: 2, message: 'context too long' },
                },
                {
                  traceId: '00000000000000000000000000000001',
                  spanId: '0000000000000001',
                  name: 'answer question',
                  kind: 1,
                  startTimeUnixNano: start,
                  endTimeUnixNano: '1795348800250500000',
                  attributes: [
                    { key: 'frugal.feature', value: { stringValue: 'answer' } },
                    { key: 'frugal.user', value: { stringValue: 'u-7' } },
                    { key: 'frugal.tags', value: { arrayValue: { values: [{ stringValue: 'eval' }] } } },
                  ],
                  status: { code: 0 },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(exporter.stats).toEqual({ written: 3, delivered: 3, dropped: 0, errors: 0 });
  });

  it('retries 503 and 429 honouring Retry-After (seconds and HTTP-date), then delivers', async () => {
    const inSevenSeconds = new Date(Date.now() + 7_000).toUTCString();
    const receiver = await startReceiver([
      { status: 503, headers: { 'retry-after': '2' } },
      { status: 429, headers: { 'retry-after': inSevenSeconds } },
      { status: 502 },
    ]);
    const waits: number[] = [];
    const errors: string[] = [];
    const exporter = createOtlpExporter({
      ...quiet,
      endpoint: receiver.endpoint,
      initialBackoffMs: 100,
      sleep: async (ms) => {
        waits.push(ms);
      },
      onError: (error) => errors.push(error.message),
    });
    exporter.write(spanAt(1));
    await exporter.flush();
    expect(receiver.received).toHaveLength(4);
    expect(waits[0]).toBe(2_000);
    expect(waits[1]).toBeGreaterThan(5_000);
    expect(waits[1]).toBeLessThanOrEqual(7_000);
    expect(waits[2]).toBeGreaterThanOrEqual(200);
    expect(waits[2]).toBeLessThanOrEqual(400);
    expect(errors.map((message) => /answered (\d+)/.exec(message)?.[1])).toEqual(['503', '429', '502']);
    expect(exporter.stats).toEqual({ written: 1, delivered: 1, dropped: 0, errors: 3 });
  });

  it('waits for real between tries (capped by maxBackoffMs), and gives up after maxAttempts, reporting it', async () => {
    const receiver = await startReceiver([
      { status: 503, headers: { 'retry-after': '60' } },
      { status: 503 },
      { status: 503 },
    ]);
    const errors: string[] = [];
    const exporter = createOtlpExporter({
      ...quiet,
      endpoint: receiver.endpoint,
      maxAttempts: 3,
      initialBackoffMs: 20,
      maxBackoffMs: 50,
      onError: (error) => errors.push(error.message),
    });
    exporter.write(spanAt(1));
    exporter.write(spanAt(2));
    const started = performance.now();
    await exporter.flush();
    const elapsed = performance.now() - started;
    expect(receiver.received).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(60);
    expect(elapsed).toBeLessThan(5_000);
    expect(errors.at(-1)).toBe('gave up exporting 2 span(s) after 3 attempt(s)');
    expect(exporter.stats).toEqual({ written: 2, delivered: 0, dropped: 2, errors: 3 });
  });

  it('does not retry a final status (400, and 500 as OTLP says), nor throw when the collector is unreachable', async () => {
    const receiver = await startReceiver([{ status: 400, body: '{"message":"bad span"}' }, { status: 500 }]);
    const errors: string[] = [];
    const exporter = createOtlpExporter({
      ...quiet,
      endpoint: receiver.endpoint,
      onError: (e) => errors.push(e.message),
    });
    exporter.write(spanAt(1));
    await exporter.flush();
    exporter.write(spanAt(2));
    await exporter.flush();
    expect(receiver.received).toHaveLength(2);
    expect(errors[0]).toContain('answered 400: {"message":"bad span"}');
    expect(errors[2]).toContain('answered 500');
    expect(exporter.stats).toEqual({ written: 2, delivered: 0, dropped: 2, errors: 2 });

    await receiver.close();
    const unreachable = createOtlpExporter({
      ...quiet,
      endpoint: receiver.endpoint,
      maxAttempts: 2,
      initialBackoffMs: 1,
      onError: () => {},
    });
    unreachable.write(spanAt(3));
    await expect(unreachable.flush()).resolves.toBeUndefined();
    expect(unreachable.stats).toEqual({ written: 1, delivered: 0, dropped: 1, errors: 2 });
  });

  it('exports on its own once a batch is full, waits below it, and counts spans the collector rejected', async () => {
    const receiver = await startReceiver([
      { status: 200, body: '{}' },
      { status: 200, body: '{"partialSuccess":{"rejectedSpans":"1","errorMessage":"too old"}}' },
    ]);
    const errors: string[] = [];
    const exporter = createOtlpExporter({
      ...quiet,
      endpoint: receiver.endpoint,
      batchSize: 2,
      onError: (error) => errors.push(error.message),
    });
    const sizes = () =>
      receiver.received.map(
        (request) =>
          (request.body as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] }).resourceSpans[0]
            ?.scopeSpans[0]?.spans.length,
      );
    for (const n of [1, 2, 3]) exporter.write(spanAt(n));
    // Until the exporter has the second answer (not only the receiver the request): a span written while that
    // export is still in flight would rightly go out as soon as it ends.
    const settled = () => exporter.stats.delivered + exporter.stats.dropped;
    for (let waited = 0; settled() < 3 && waited < 5_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(sizes()).toEqual([2, 1]);
    exporter.write(spanAt(4));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sizes()).toEqual([2, 1]);
    await exporter.close();
    exporter.write(spanAt(5));
    expect(sizes()).toEqual([2, 1, 1]);
    expect(errors).toEqual(['collector rejected 1 span(s): too old']);
    expect(exporter.stats).toEqual({ written: 5, delivered: 3, dropped: 2, errors: 0 });
  });

  it('composes with another sink: each gets every span, and stats add up', async () => {
    const receiver = await startReceiver();
    const memory = createMemorySink();
    const exporter = createOtlpExporter({ ...quiet, endpoint: receiver.endpoint });
    const both = combineSinks(memory, exporter);
    const tracer = createTracer({ sink: both });
    await tracer.trace('one', () => tracer.trace('two', () => 2));
    await tracer.close();
    expect(memory.spans.map((span) => span.name)).toEqual(['two', 'one']);
    expect(receiver.received).toHaveLength(1);
    expect(both.stats).toEqual({ written: 2, delivered: 4, dropped: 0, errors: 0 });
  });
});
