import { describe, expect, it } from 'vitest';
import {
  burstSpans,
  everydayFeatures,
  generateTraffic,
  pricedTotal,
  textHash,
  trafficModels,
} from './anomaly-traffic.js';

const from = Date.UTC(2026, 2, 2);
const to = Date.UTC(2026, 2, 4);

describe('anomaly traffic', () => {
  const spans = generateTraffic({ seed: 1, from, to, features: everydayFeatures });

  it('is the same for the same seed and different for another', () => {
    expect(generateTraffic({ seed: 1, from, to, features: everydayFeatures })).toEqual(spans);
    expect(generateTraffic({ seed: 2, from, to, features: everydayFeatures })).not.toEqual(spans);
  });

  it('gives well-formed LLM spans in time order inside the range, ids unique', () => {
    expect(new Set(spans.map((span) => span.id)).size).toBe(spans.length);
    const malformed = spans.filter(
      (span) =>
        !/^[0-9a-f]{16}$/.test(span.id) ||
        !/^[0-9a-f]{32}$/.test(span.traceId) ||
        span.kind !== 'llm' ||
        span.startTime < from ||
        span.startTime >= to + 20_000, // retries of the last calls may follow them by seconds
    );
    expect(malformed).toEqual([]);
    expect(spans.map((span) => span.startTime)).toEqual(
      [...spans.map((span) => span.startTime)].sort((a, b) => a - b),
    );
  });

  it('looks like production: busy afternoons, a few failures retried, popular requests, eval tags', () => {
    const at = (hour: number) =>
      spans.filter((span) => new Date(span.startTime).getUTCHours() === hour).length;
    expect(at(14)).toBeGreaterThan(3 * at(3));
    const failed = spans.filter((span) => span.status === 'error');
    expect(failed.length / spans.length).toBeGreaterThan(0.01);
    expect(failed.length / spans.length).toBeLessThan(0.04);
    expect(failed.every((span) => span.usage === undefined && span.cost === undefined)).toBe(true);
    const perHash = new Map<string, number>();
    for (const span of spans) perHash.set(span.requestHash!, (perHash.get(span.requestHash!) ?? 0) + 1);
    expect(perHash.get(textHash('classify:popular:0'))).toBeGreaterThan(20);
    const evalCalls = spans.filter((span) => span.attribution.tags?.includes('eval')).length;
    expect(evalCalls).toBeGreaterThan(0);
    expect(evalCalls / spans.length).toBeLessThan(0.05);
  });

  it('prices calls exactly from the listed rates', () => {
    const span = spans.find((each) => each.cost?.status === 'priced')!;
    const model = trafficModels[span.requestModel as keyof typeof trafficModels];
    const expected = BigInt(span.usage!.input!) * model.input + BigInt(span.usage!.output!) * model.output;
    expect(pricedTotal([span])).toBe(expected);
  });

  it('makes bursts of one request, spread evenly over their stretch', () => {
    const burst = burstSpans({
      seed: 3,
      start: from,
      durationMs: 60_000,
      calls: 30,
      feature: 'chat',
      model: 'gpt-4o',
      requestHash: 'same',
    });
    expect(burst).toHaveLength(30);
    expect(new Set(burst.map((span) => span.requestHash))).toEqual(new Set(['same']));
    expect(burst.filter((span) => span.startTime < from + 30_000)).toHaveLength(15);
  });
});
