import { describe, expect, it } from 'vitest';
import { otelAttributes } from './otel-attributes.js';
import type { Span } from './span.js';

const base: Span = {
  id: '00f067aa0ba902b7',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  name: 'chat claude-sonnet-4-5',
  kind: 'llm',
  startTime: 1_760_000_000_000,
  durationMs: 812,
  status: 'ok',
  attribution: {},
  attributes: {},
};

describe('otelAttributes', () => {
  it('maps a priced streamed LLM span to GenAI names and exact frugal cost attributes', () => {
    const span: Span = {
      ...base,
      operation: 'chat',
      provider: 'anthropic',
      requestModel: 'claude-sonnet-4-5',
      responseModel: 'claude-sonnet-4-5-20250929',
      timeToFirstTokenMs: 143.25,
      usage: {
        input: 12_000,
        cachedInput: 8_000,
        cacheWrite: 1_000,
        cacheWrite1h: 500,
        output: 900,
        reasoning: 300,
      },
      cost: {
        status: 'priced',
        total: 28_000_000_001n,
        priceId: 'claude-sonnet-4-5',
        source: 'litellm:claude',
      },
      attribution: {
        feature: 'search',
        user: 'u-1',
        apiKeyId: 'key-9',
        runId: 'run-3',
        tags: ['eval', 'nightly'],
      },
      attributes: { 'gen_ai.request.temperature': 0.2, 'gen_ai.request.model': 'overridden' },
    };
    expect(otelAttributes(span)).toEqual({
      'gen_ai.request.temperature': 0.2,
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.system': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.usage.input_tokens': 12_000,
      'gen_ai.usage.output_tokens': 900,
      'gen_ai.usage.cache_read.input_tokens': 8_000,
      'gen_ai.usage.cache_creation.input_tokens': 1_500,
      'frugal.usage.cache_write_1h.input_tokens': 500,
      'gen_ai.usage.reasoning.output_tokens': 300,
      'frugal.cost.usd': '0.028000000001',
      'frugal.cost.price_id': 'claude-sonnet-4-5',
      'frugal.cost.price_source': 'litellm:claude',
      'frugal.feature': 'search',
      'frugal.user': 'u-1',
      'frugal.api_key_id': 'key-9',
      'frugal.run_id': 'run-3',
      'frugal.tags': ['eval', 'nightly'],
      'frugal.time_to_first_token_ms': 143.25,
    });
  });

  it('leaves unreported usage out instead of writing zeros, and marks unpriced, failed, estimated, simulated', () => {
    const span: Span = {
      ...base,
      status: 'error',
      error: { type: 'RateLimitError', message: '429' },
      operation: 'chat',
      provider: 'sim',
      requestModel: 'sim/unknown',
      usage: { input: 40 },
      usageEstimated: true,
      simulated: true,
      cost: { status: 'unpriced', reason: 'unknown-model', message: "no price for model 'sim/unknown'" },
    };
    const attributes = otelAttributes(span);
    expect(attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'sim',
      'gen_ai.system': 'sim',
      'gen_ai.request.model': 'sim/unknown',
      'gen_ai.usage.input_tokens': 40,
      'error.type': 'RateLimitError',
      'frugal.cost.unpriced_reason': 'unknown-model',
      'frugal.usage.estimated': true,
      'frugal.simulated': true,
    });
    expect(attributes).not.toHaveProperty('frugal.cost.usd');
  });

  it('writes a zero-cost priced span as "0" and a whole-dollar one without a fraction', () => {
    const zero = otelAttributes({
      ...base,
      cost: { status: 'priced', total: 0n, priceId: 'x', source: 's' },
    });
    const dollars = otelAttributes({
      ...base,
      cost: { status: 'priced', total: 3_000_000_000_000n, priceId: 'x', source: 's' },
    });
    expect([zero['frugal.cost.usd'], dollars['frugal.cost.usd']]).toEqual(['0', '3']);
  });

  it('a step span with no GenAI fields carries only its attribution and free attributes', () => {
    const span: Span = {
      ...base,
      kind: 'step',
      attribution: { tags: [] },
      attributes: { 'app.step': 'rank' },
    };
    expect(otelAttributes(span)).toEqual({ 'app.step': 'rank' });
  });
});
