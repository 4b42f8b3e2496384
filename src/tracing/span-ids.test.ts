import { describe, expect, it } from 'vitest';
import { randomSpanIds, sequentialSpanIds } from './span-ids.js';

describe('span ids', () => {
  it('orders trace ids by time (6 bytes of milliseconds first), the rest random', () => {
    let clock = Date.UTC(2026, 10, 23, 4, 0, 0);
    const ids = randomSpanIds(() => clock);
    const first = ids.traceId();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(first.slice(0, 12)).toBe(clock.toString(16).padStart(12, '0'));
    const sameMillisecond = Array.from({ length: 2_000 }, () => ids.traceId());
    expect(new Set(sameMillisecond.map((id) => id.slice(12))).size).toBe(2_000);
    clock += 1;
    const later = ids.traceId();
    expect([...sameMillisecond, later].every((id) => id < later || id === later)).toBe(true);
    expect(later.slice(0, 12)).toBe(clock.toString(16).padStart(12, '0'));
  });

  it('keeps span ids wholly random: 16 hex digits, none repeated, no common prefix', () => {
    const ids = randomSpanIds(() => 0);
    const spans = Array.from({ length: 10_000 }, () => ids.spanId());
    expect(spans.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(new Set(spans).size).toBe(10_000);
    expect(new Set(spans.map((id) => id.slice(0, 2))).size).toBe(256);
  });

  it('counts up from 1 when sequential (tests, reproducible examples)', () => {
    const ids = sequentialSpanIds();
    expect([ids.traceId(), ids.spanId(), ids.spanId()]).toEqual([
      '00000000000000000000000000000001',
      '0000000000000001',
      '0000000000000002',
    ]);
  });
});
