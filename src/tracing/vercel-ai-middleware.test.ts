import { createOpenAI } from '@ai-sdk/openai';
import { generateText, type LanguageModelMiddleware, streamText, wrapLanguageModel } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatUsd } from '../core/money.js';
import type { Span } from '../core/spans/span.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import { createTracer } from './create-tracer.js';
import { createMemorySink, type MemorySink } from './memory-sink.js';
import type { Tracer } from './tracer.js';
import { frugalMiddleware } from './vercel-ai-middleware.js';
import { providerName, usageFromAiSdk } from './vercel-ai-middleware-usage.js';

let server: FakeOpenAIServer;
let sink: MemorySink;
let tracer: Tracer;
let provider: ReturnType<typeof createOpenAI>;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
beforeEach(() => {
  server.reset();
  server.setReply({});
  sink = createMemorySink();
  tracer = createTracer({ sink });
  provider = createOpenAI({ apiKey: 'sk-test', baseURL: server.baseURL });
});
afterAll(() => server.close());

/** 1,200 input tokens (1,000 cached), 300 output tokens of which 100 reasoning. */
const usage = { input: 1200, cachedInput: 1000, output: 300, reasoning: 100 };
/** gpt-4o: 200 × $2.50 + 1,000 × $1.25 + 300 × $10 per 1M = 4,750 µ$. */
const expectedCost = '0.00475';

const costOf = (span: Span | undefined) =>
  span?.cost?.status === 'priced' ? formatUsd(span.cost.total) : span?.cost;
/** The middleware type-checks as the AI SDK's own middleware type. */
const traced = (modelId: 'responses' | 'chat'): Parameters<typeof generateText>[0]['model'] => {
  const middleware: LanguageModelMiddleware = frugalMiddleware({ tracer });
  const model = modelId === 'chat' ? provider.chat('gpt-4o') : provider('gpt-4o');
  return wrapLanguageModel({ model, middleware });
};

describe('frugalMiddleware (Vercel AI SDK) against the fake OpenAI server', () => {
  for (const api of ['responses', 'chat'] as const) {
    it(`records generateText through the ${api} API with the AI SDK's usage and exact cost`, async () => {
      server.setReply({ text: 'Hello from the AI SDK', model: 'gpt-4o-2024-08-06', usage });
      const result = await generateText({ model: traced(api), prompt: 'Say hello', temperature: 0.4 });
      expect(result.text).toBe('Hello from the AI SDK');
      expect(server.requests[0]?.path).toBe(api === 'chat' ? '/v1/chat/completions' : '/v1/responses');
      expect(sink.spans).toHaveLength(1);
      expect(sink.spans[0]).toMatchObject({
        status: 'ok',
        operation: 'chat',
        provider: 'openai',
        requestModel: 'gpt-4o',
        responseModel: 'gpt-4o-2024-08-06',
        usage,
        attributes: { 'gen_ai.request.temperature': 0.4, 'frugal.ai_sdk.provider': `openai.${api}` },
      });
      expect(costOf(sink.spans[0])).toBe(expectedCost);
    });

    it(`records streamText through the ${api} API at the same cost, with time to first token`, async () => {
      server.setReply({
        text: 'One two three',
        model: 'gpt-4o-2024-08-06',
        usage,
        latency: { chunkDelayMs: 10 },
      });
      const result = streamText({ model: traced(api), prompt: 'Count' });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      expect(text).toBe('One two three');
      expect((await result.usage).inputTokens).toBe(1200);
      await vi.waitFor(() => expect(sink.spans).toHaveLength(1));
      const span = sink.spans[0]!;
      expect(span).toMatchObject({ status: 'ok', responseModel: 'gpt-4o-2024-08-06', usage });
      expect(costOf(span)).toBe(expectedCost);
      expect(span.timeToFirstTokenMs).toBeGreaterThan(0);
      expect(span.timeToFirstTokenMs).toBeLessThan(span.durationMs);
    });
  }

  it('records a failed call as an error span, and the AI SDK still throws', async () => {
    server.setReply({ error: { status: 500 } });
    await expect(generateText({ model: traced('chat'), prompt: 'hi', maxRetries: 0 })).rejects.toThrow();
    expect(sink.spans.map((span) => span.status)).toEqual(['error']);
    expect(sink.spans[0]?.error?.message).toContain('server had an error');
  });
});

describe('usageFromAiSdk and providerName', () => {
  it('reads AI SDK 6 nested usage and AI SDK 5 flat usage alike', () => {
    const nested = {
      inputTokens: { total: 1200, noCache: 200, cacheRead: 1000, cacheWrite: undefined },
      outputTokens: { total: 300, text: 200, reasoning: 100 },
    };
    const flat = { inputTokens: 1200, outputTokens: 300, reasoningTokens: 100, cachedInputTokens: 1000 };
    expect(usageFromAiSdk(nested)).toEqual({ ...usage, cacheWrite: undefined });
    expect(usageFromAiSdk(flat)).toEqual({ ...usage, cacheWrite: undefined });
    expect(usageFromAiSdk(undefined)).toEqual({});
  });

  it('names providers as OpenTelemetry does', () => {
    expect(
      [
        'openai.responses',
        'anthropic.messages',
        'google.generative-ai',
        'amazon-bedrock',
        'mistral.chat',
      ].map(providerName),
    ).toEqual(['openai', 'anthropic', 'gcp.gemini', 'aws.bedrock', 'mistral_ai']);
  });
});
