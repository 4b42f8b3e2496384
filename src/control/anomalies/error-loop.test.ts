import { afterEach, describe, expect, it } from 'vitest';
import { defaultAnomalySettings, type ErrorLoopSettings } from '../../core/alerts/anomaly-settings.js';
import { formatUsd } from '../../core/money.js';
import type { Span } from '../../core/spans/span.js';
import type { Store } from '../../store/store.js';
import {
  burstSpans,
  everydayFeatures,
  generateTraffic,
  pricedTotal,
  scaledFeatures,
} from './anomaly-traffic.js';
import { detectErrorLoops } from './error-loop.js';
import { storeWith } from './traffic-store.js';

const minute = 60_000;
const day = 86_400_000;
/** Monday 2026-03-09 10:05 UTC: the latest complete 10-minute window is 09:50–10:00. */
const now = Date.UTC(2026, 2, 9, 10, 5);
const defaults = defaultAnomalySettings.errorLoop;

function everyday(seed: number, errorShare = 0.02): Span[] {
  const features = scaledFeatures(everydayFeatures, 1, { errorShare });
  return generateTraffic({ seed, from: now - 2 * day, to: now, features });
}

function inWindow(start: number, feature: string, model: string) {
  return (span: Span) =>
    span.startTime >= start &&
    span.startTime < start + 10 * minute &&
    span.attribution.feature === feature &&
    span.requestModel === model;
}

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function detect(spans: Span[], settings: Partial<ErrorLoopSettings> = {}) {
  store = await storeWith(spans);
  return detectErrorLoops(store, { now, timeZone: 'UTC', settings: { ...defaults, ...settings } });
}

describe('error loop', () => {
  it('flags a feature and model whose calls mostly fail within ten minutes', async () => {
    const windowStart = Date.UTC(2026, 2, 9, 9, 40);
    const loop = burstSpans({
      seed: 7,
      start: windowStart + minute,
      durationMs: 8 * minute,
      calls: 60,
      feature: 'chat',
      model: 'gpt-4o',
      errorShare: 0.85,
    });
    const spans = [...everyday(1), ...loop];
    const mine = spans.filter(inWindow(windowStart, 'chat', 'gpt-4o'));
    const failed = mine.filter((span) => span.status === 'error').length;
    const alerts = await detect(spans);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: 'retry-storm:errors:chat:gpt-4o:2026-03-09T00:00:00.000Z',
      kind: 'retry-storm',
      severity: 'critical',
      time: now,
      details: {
        feature: 'chat',
        model: 'gpt-4o',
        calls: mine.length,
        error_calls: failed,
        window_start: '2026-03-09T09:40:00.000Z',
        cost_usd: formatUsd(pricedTotal(mine)),
      },
    });
    expect(alerts[0]!.message).toContain(
      `feature 'chat' on gpt-4o: ${failed} of ${mine.length} calls failed (${alerts[0]!.details['error_percent']}%) ` +
        'in the 10 minutes from 2026-03-09T09:40:00.000Z',
    );
  });

  it('stays quiet on two days of noisy traffic with 5 % failures and a short blip, every window checked', async () => {
    const blip = burstSpans({
      seed: 8,
      start: Date.UTC(2026, 2, 9, 8, 31),
      durationMs: 5 * minute,
      calls: 14,
      feature: 'chat',
      model: 'gpt-4o',
      errorShare: 1,
    });
    expect(await detect([...everyday(2, 0.05), ...blip], { lookbackMs: day })).toEqual([]);
  });

  it('stays quiet when many calls fail but only a small share of a busy feature', async () => {
    const windowStart = Date.UTC(2026, 2, 9, 9, 50);
    const busy = burstSpans({
      seed: 9,
      start: windowStart,
      durationMs: 10 * minute,
      calls: 250,
      feature: 'classify',
      model: 'gpt-4o-mini',
      errorShare: 0.15,
    });
    const spans = [...everyday(3), ...busy];
    const failed = spans
      .filter(inWindow(windowStart, 'classify', 'gpt-4o-mini'))
      .filter((s) => s.status === 'error');
    expect(failed.length).toBeGreaterThanOrEqual(defaults.minErrorCalls);
    expect(await detect(spans)).toEqual([]);
    // The share (about 10 %) is what kept it quiet: at a 5 % bar it is an error loop.
    const alerts = await detect(spans, { minErrorShare: 0.05 });
    expect(alerts.map((alert) => alert.id)).toEqual([
      'retry-storm:errors:classify:gpt-4o-mini:2026-03-09T00:00:00.000Z',
    ]);
  });

  it('does nothing when disabled', async () => {
    const loop = burstSpans({
      seed: 7,
      start: Date.UTC(2026, 2, 9, 9, 51),
      durationMs: 8 * minute,
      calls: 60,
      feature: 'chat',
      model: 'gpt-4o',
      errorShare: 0.9,
    });
    expect(await detect([...everyday(1), ...loop], { enabled: false })).toEqual([]);
  });
});
