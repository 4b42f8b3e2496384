import { describe, expect, it } from 'vitest';
import type { Span } from './span.js';
import { spanFromJsonLine, spanToJsonLine } from './span-json.js';

const span: Span = {
  id: '00f067aa0ba902b7',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  parentId: '00f067aa0ba902b6',
  name: 'chat gpt-4o',
  kind: 'llm',
  startTime: 1_760_000_000_123,
  durationMs: 812.125,
  status: 'ok',
  usage: { input: 10, output: 2 },
  // More than 2^53 pico-dollars: a float would round it.
  cost: { status: 'priced', total: 9_007_199_254_740_993_001n, priceId: 'gpt-4o', source: 'litellm:gpt-4o' },
  attribution: { feature: 'search', tags: ['a', 'b'] },
  attributes: { note: '{"$bigint":"1"}\nsecond line', 'gen_ai.request.temperature': 0.7 },
};

describe('span JSON lines', () => {
  it('round-trips a span exactly, bigint cost included, on one line', () => {
    const line = spanToJsonLine(span);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    const back = spanFromJsonLine(line);
    expect(back).toEqual(span);
    expect(back?.cost?.status === 'priced' && back.cost.total).toBe(9_007_199_254_740_993_001n);
  });

  it('keeps the numbers JSON cannot write (NaN, ±Infinity, -0), as the store does', () => {
    const awkward: Span = {
      ...span,
      attributes: {
        nan: Number.NaN,
        low: Number.NEGATIVE_INFINITY,
        zero: -0,
        high: Number.POSITIVE_INFINITY,
      },
    };
    const back = spanFromJsonLine(spanToJsonLine(awkward));
    expect(back).toEqual(awkward);
    expect(Object.is(back?.attributes['zero'], -0)).toBe(true);
    expect(back?.cost?.status === 'priced' && back.cost.total).toBe(9_007_199_254_740_993_001n);
  });

  it('restores every bigint, wherever it is, and a cost that is not priced', () => {
    // Types allow a bigint only in a priced cost; a line written by the replacer fallback may hold others.
    const odd = {
      ...span,
      attributes: { ...span.attributes, big: 12_345_678_901_234_567_890n },
    } as unknown as Span;
    expect(spanFromJsonLine(spanToJsonLine(odd))).toEqual(odd);
    const unpriced: Span = {
      ...span,
      cost: { status: 'unpriced', reason: 'unknown-model', message: 'no price' },
    };
    expect(spanFromJsonLine(spanToJsonLine(unpriced))).toEqual(unpriced);
  });

  it('reads torn, foreign or non-span lines as undefined', () => {
    const line = spanToJsonLine(span);
    expect(spanFromJsonLine(line.slice(0, 40))).toBeUndefined();
    expect(spanFromJsonLine('null')).toBeUndefined();
    expect(spanFromJsonLine('{"id":"x"}')).toBeUndefined();
    expect(spanFromJsonLine('[1,2]')).toBeUndefined();
  });
});
