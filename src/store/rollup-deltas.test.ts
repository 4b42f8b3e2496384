import { describe, expect, it } from 'vitest';
import type { Span } from '../core/spans/span.js';
import { rollupDeltas } from './rollup-deltas.js';

const base: Span = {
  id: 'x',
  traceId: 't',
  name: 'chat',
  kind: 'llm',
  startTime: Date.UTC(2026, 0, 1, 5, 30),
  durationMs: 1,
  status: 'ok',
  requestModel: 'm',
  attribution: { tags: ['a', 'a', 'b'] },
  attributes: {},
};

describe('rollupDeltas', () => {
  it('adds each distinct tag once, the null group for missing values, and skips step spans', () => {
    const { hourly, daily } = rollupDeltas([base, { ...base, id: 'step', kind: 'step' }]);
    const tags = hourly
      .filter((delta) => delta.dimension === 'tag')
      .map((delta) => [delta.value, delta.calls]);
    expect(tags).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    const user = hourly.find((delta) => delta.dimension === 'user');
    expect([user?.hasValue, user?.value, user?.time]).toEqual([0, '', Date.UTC(2026, 0, 1, 5) / 3_600_000]);
    expect(daily.find((delta) => delta.dimension === 'model')?.time).toBe(Date.UTC(2026, 0, 1) / 86_400_000);
  });

  it('sums costs exactly, far past what a float or an int64 of pico-dollars holds', () => {
    const whale: Span = {
      ...base,
      cost: { status: 'priced', total: 2n ** 62n + 1n, priceId: 'p', source: 's' },
    };
    const small: Span = {
      ...base,
      cost: { status: 'priced', total: 2_147_483_000_999_999n, priceId: 'p', source: 's' },
    };
    const spans = [whale, ...Array.from({ length: 5_000 }, (_, index) => ({ ...small, id: `s${index}` }))];
    const model = rollupDeltas(spans).daily.find((delta) => delta.dimension === 'model')!;
    const expected = 2n ** 62n + 1n + 5_000n * 2_147_483_000_999_999n;
    expect(model.costMicros * 1_000_000n + model.costPicos).toBe(expected);
    expect(model.calls).toBe(5_001);
  });

  it('keeps sums of costs small enough for numbers exact when they outgrow 2^53 micro-dollars', () => {
    // Each cost is the largest summed as a number; together they pass 2^53 micro-dollars after ~1M calls.
    const largest = BigInt(Number.MAX_SAFE_INTEGER);
    const span: Span = { ...base, cost: { status: 'priced', total: largest, priceId: 'p', source: 's' } };
    const count = 1_000_003;
    const { hourly, daily } = rollupDeltas(new Array<Span>(count).fill(span));
    for (const deltas of [hourly, daily]) {
      const model = deltas.find((delta) => delta.dimension === 'model')!;
      expect(model.costMicros * 1_000_000n + model.costPicos).toBe(largest * BigInt(count));
    }
  });
});
