import { afterEach, describe, expect, it } from 'vitest';
import { defaultAnomalySettings, type RetryStormSettings } from '../../core/alerts/anomaly-settings.js';
import { formatUsd } from '../../core/money.js';
import type { Span } from '../../core/spans/span.js';
import type { Store } from '../../store/store.js';
import { burstSpans, everydayFeatures, generateTraffic, pricedTotal, textHash } from './anomaly-traffic.js';
import { detectRetryStorms } from './retry-storm.js';
import { storeWith } from './traffic-store.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
/** Monday 2026-03-09 10:05 UTC: the windows judged by default are 09:00–09:10 … 09:50–10:00. */
const now = Date.UTC(2026, 2, 9, 10, 5);
const defaults = defaultAnomalySettings.retryStorm;
const stormHash = textHash('summarise this 40-page contract');

/** Two days of everyday traffic: popular identical requests, failed calls retried up to three times. */
function everyday(seed: number): Span[] {
  return generateTraffic({ seed, from: now - 2 * day, to: now, features: everydayFeatures });
}

function storm(start: number, calls: number, durationMs: number): Span[] {
  return burstSpans({
    seed: start,
    start,
    durationMs,
    calls,
    feature: 'chat',
    model: 'gpt-4o',
    requestHash: stormHash,
    errorShare: 0.9,
  });
}

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function detect(spans: Span[], settings: Partial<RetryStormSettings> = {}) {
  store = await storeWith(spans);
  return detectRetryStorms(store, { now, timeZone: 'UTC', settings: { ...defaults, ...settings } });
}

describe('retry storm', () => {
  it('flags one request sent 40 times in six minutes, with the figures', async () => {
    const burst = storm(Date.UTC(2026, 2, 9, 9, 52), 40, 6 * minute);
    const failed = burst.filter((span) => span.status === 'error').length;
    const alerts = await detect([...everyday(1), ...burst]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: `retry-storm:request:${stormHash}:2026-03-09T00:00:00.000Z`,
      kind: 'retry-storm',
      severity: 'warning',
      time: now,
      details: {
        request_hash: stormHash,
        feature: 'chat',
        model: 'gpt-4o',
        calls: 40,
        error_calls: failed,
        first_call: new Date(burst[0]!.startTime).toISOString(),
        last_call: new Date(burst.at(-1)!.startTime).toISOString(),
        window_start: '2026-03-09T09:50:00.000Z',
        cost_usd: formatUsd(pricedTotal(burst)),
      },
    });
    expect(alerts[0]!.message).toContain(
      `request ${stormHash.slice(0, 12)} (feature 'chat', gpt-4o) sent 40 times in the 10 minutes from ` +
        `2026-03-09T09:50:00.000Z, ${failed} failed`,
    );
  });

  it('stays quiet on a day of everyday traffic with popular requests and retries, every window checked', async () => {
    expect(await detect(everyday(2), { lookbackMs: day })).toEqual([]);
  });

  it('stays quiet below the count, and when the repeats are spread out', async () => {
    const nine = storm(Date.UTC(2026, 2, 9, 9, 51), 9, 8 * minute);
    expect(await detect([...everyday(3), ...nine])).toEqual([]);
    // Twelve calls, one every six minutes: never ten in one window.
    const spread = storm(Date.UTC(2026, 2, 9, 8, 50), 12, 72 * minute);
    expect(await detect([...everyday(3), ...spread], { lookbackMs: 2 * hour })).toEqual([]);
  });

  it('looks back only as far as asked, and raises a long storm once per day', async () => {
    // A storm from 06:00 to 06:30 UTC: three windows in a row.
    const spans = [...everyday(4), ...storm(Date.UTC(2026, 2, 9, 6), 90, 30 * minute)];
    expect(await detect(spans)).toEqual([]);
    const alerts = await detect(spans, { lookbackMs: 5 * hour });
    expect(alerts.map((alert) => [alert.id, alert.details['window_start'], alert.details['calls']])).toEqual([
      [`retry-storm:request:${stormHash}:2026-03-09T00:00:00.000Z`, '2026-03-09T06:00:00.000Z', 30],
    ]);
  });

  it('does nothing when disabled', async () => {
    const burst = storm(Date.UTC(2026, 2, 9, 9, 52), 40, 6 * minute);
    expect(await detect([...everyday(1), ...burst], { enabled: false })).toEqual([]);
  });
});
