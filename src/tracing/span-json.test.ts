import { describe, expect, it } from 'vitest';
import type { Span } from '../core/spans/span.js';
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

  it('reads torn, foreign or non-span lines as undefined', () => {
    const line = spanToJsonLine(span);
    expect(spanFromJsonLine(line.slice(0, 40))).toBeUndefined();
    expect(spanFromJsonLine('null')).toBeUndefined();
    expect(spanFromJsonLine('{"id":"x"}')).toBeUndefined();
    expect(spanFromJsonLine('[1,2]')).toBeUndefined();
  });
});
