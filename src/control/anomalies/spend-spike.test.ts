import { afterEach, describe, expect, it } from 'vitest';
import { defaultAnomalySettings, type SpendSpikeSettings } from '../../core/alerts/anomaly-settings.js';
import { formatUsd } from '../../core/money.js';
import type { Span } from '../../core/spans/span.js';
import type { Store } from '../../store/store.js';
import { everydayFeatures, generateTraffic, pricedTotal, scaledFeatures } from './anomaly-traffic.js';
import { medianOf, robustForecast } from './robust-forecast.js';
import { detectSpendSpikes, isSpike } from './spend-spike.js';
import { storeWith } from './traffic-store.js';

const hour = 3_600_000;
const day = 24 * hour;
/** Monday 2026-03-09 10:05 UTC: the latest complete UTC day is Sunday 2026-03-08. */
const now = Date.UTC(2026, 2, 9, 10, 5);
const sunday = Date.UTC(2026, 2, 8);
const today = Date.UTC(2026, 2, 9);
const defaults = defaultAnomalySettings.spendSpike;

/** Everyday traffic at 40 % volume (about $5 on a weekday, less at weekends) from `from` to `now`. */
function everyday(seed: number, from = Date.UTC(2026, 1, 20), scale = 0.4, dailySwing = 0.15): Span[] {
  return generateTraffic({
    seed,
    from,
    to: now,
    features: scaledFeatures(everydayFeatures, scale),
    dailySwing,
  });
}

/** Extra traffic over [from, to): `extraFactor` × the everyday volume at that scale (weekends included). */
function extra(seed: number, from: number, to: number, extraFactor: number, scale = 0.4): Span[] {
  return generateTraffic({ seed, from, to, features: scaledFeatures(everydayFeatures, scale * extraFactor) });
}

const within = (from: number, to: number) => (span: Span) => span.startTime >= from && span.startTime < to;

/** The forecast for a UTC day, computed from the spans: the median of the 14 days before it. */
function expectedForecast(spans: Span[], dayStart: number): bigint {
  const history = Array.from({ length: 14 }, (_, index) => {
    const start = dayStart - (index + 1) * day;
    return pricedTotal(spans, within(start, start + day));
  });
  return medianOf(history)!;
}

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function detect(spans: Span[], settings: Partial<SpendSpikeSettings> = {}, timeZone = 'UTC') {
  store = await storeWith(spans);
  return detectSpendSpikes(store, { now, timeZone, settings: { ...defaults, ...settings } });
}

describe('spend spike', () => {
  it('flags a day that spent about four times its forecast, with the exact figures', async () => {
    const spans = [...everyday(1), ...extra(2, sunday, sunday + day, 6)];
    const spend = pricedTotal(spans, within(sunday, sunday + day));
    const forecast = expectedForecast(spans, sunday);
    const alerts = await detect(spans);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({
      id: 'spend-spike:global:day:2026-03-08T00:00:00.000Z',
      kind: 'spend-spike',
      severity: 'critical',
      time: now,
      details: {
        period: 'day',
        period_start: '2026-03-08T00:00:00.000Z',
        period_end: '2026-03-09T00:00:00.000Z',
        in_progress: false,
        spend_usd: formatUsd(spend),
        forecast_usd: formatUsd(forecast),
        history_periods: 14,
      },
    });
    expect(spend).toBeGreaterThan(3n * forecast);
    expect(alert!.message).toMatch(
      /^Spend spike: \$[\d,]+\.\d\d spent in the day from 2026-03-08T00:00:00\.000Z, \d+\.\d\d× the forecast of \$[\d,]+\.\d\d \(median of 14 days, MAD \$[\d,]+\.\d\d\)$/,
    );
  });

  it('stays quiet on swinging days, weekends, a 2× day in the history and a launch Sunday at 3× a usual one', async () => {
    const spans = [
      ...everyday(3, Date.UTC(2026, 1, 20), 0.4, 0.3),
      ...extra(4, Date.UTC(2026, 2, 3), Date.UTC(2026, 2, 4), 1),
      ...extra(5, sunday, sunday + day, 2),
    ];
    expect(await detect(spans)).toEqual([]);
  });

  it('flags the day in progress once its spend so far is already a spike', async () => {
    const spans = [...everyday(6), ...extra(7, today + 6 * hour, now, 25)];
    const alerts = await detect(spans);
    expect(alerts.map((alert) => [alert.id, alert.details['in_progress']])).toEqual([
      ['spend-spike:global:day:2026-03-09T00:00:00.000Z', true],
    ]);
    expect(alerts[0]!.details['spend_usd']).toBe(formatUsd(pricedTotal(spans, within(today, now))));
    expect(alerts[0]!.message).toContain('spent in the day from 2026-03-09T00:00:00.000Z so far,');
    expect(await detect(spans, { includeCurrentPeriod: false })).toEqual([]);
  });

  it('stays silent with less history than required', async () => {
    const spans = [...everyday(8, Date.UTC(2026, 2, 3)), ...extra(9, sunday, sunday + day, 6)];
    expect(await detect(spans)).toEqual([]);
    // Five days of history (03-03 to 03-07) are enough when five are asked for.
    const alerts = await detect(spans, { minHistoryPeriods: 5 });
    expect(alerts.map((alert) => [alert.id, alert.details['history_periods']])).toEqual([
      ['spend-spike:global:day:2026-03-08T00:00:00.000Z', 5],
    ]);
  });

  it('stays silent below the minimum amount on a tiny ledger', async () => {
    const spans = [
      ...everyday(10, Date.UTC(2026, 1, 20), 0.02),
      ...extra(11, sunday, sunday + day, 10, 0.02),
    ];
    expect(pricedTotal(spans, within(sunday, sunday + day))).toBeLessThan(5_000_000_000_000n);
    expect(await detect(spans)).toEqual([]);
    expect((await detect(spans, { minSpendUsd: '0.10' })).map((alert) => alert.id)).toEqual([
      'spend-spike:global:day:2026-03-08T00:00:00.000Z',
    ]);
  });

  it('uses calendar days of the time zone, a 23-hour DST day included', async () => {
    // In Los Angeles, Sunday 2026-03-08 runs from 08:00 UTC to 07:00 UTC the next day (clocks go forward).
    const localStart = Date.UTC(2026, 2, 8, 8);
    const localEnd = Date.UTC(2026, 2, 9, 7);
    const spans = [...everyday(12), ...extra(13, localStart, localEnd, 6)];
    const alerts = await detect(spans, {}, 'America/Los_Angeles');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: 'spend-spike:global:day:2026-03-08T08:00:00.000Z',
      details: {
        period_start: '2026-03-08T08:00:00.000Z',
        period_end: '2026-03-09T07:00:00.000Z',
        spend_usd: formatUsd(pricedTotal(spans, within(localStart, localEnd))),
      },
    });
  });

  it('judges hours when asked to', async () => {
    const flat = generateTraffic({
      seed: 14,
      from: now - 2 * day,
      to: now,
      features: scaledFeatures(everydayFeatures, 0.5),
      rhythm: false,
    });
    const lastHour = Date.UTC(2026, 2, 9, 9);
    const spans = [...flat, ...extra(15, lastHour, lastHour + hour, 5, 0.5)];
    const alerts = await detect(spans, { period: 'hour', minSpendUsd: '0.50', includeCurrentPeriod: false });
    expect(alerts.map((alert) => alert.id)).toEqual(['spend-spike:global:hour:2026-03-09T09:00:00.000Z']);
    expect(alerts[0]!.message).toContain('(median of 14 hours,');
  });

  it('does nothing when disabled', async () => {
    const spans = [...everyday(1), ...extra(2, sunday, sunday + day, 6)];
    expect(await detect(spans, { enabled: false })).toEqual([]);
  });
});

describe('spike rule', () => {
  const settings = defaults;

  it('needs spend above factor × median and above median + k × MAD', () => {
    // A ledger that swings between $10 and $40: median $25, MAD $15.
    const forecast = robustForecast(
      [10n, 40n, 10n, 40n, 10n, 40n, 10n, 40n].map((dollars) => dollars * 10n ** 12n),
    )!;
    expect(forecast).toEqual({ median: 25n * 10n ** 12n, mad: 15n * 10n ** 12n });
    // $80 is 3.2× the median, but within 5 MADs of it ($100): a swinging ledger needs a bigger jump.
    expect(isSpike(80n * 10n ** 12n, forecast, settings)).toBe(false);
    expect(isSpike(100n * 10n ** 12n, forecast, settings)).toBe(false);
    expect(isSpike(100n * 10n ** 12n + 1n, forecast, settings)).toBe(true);
  });

  it('compares the factor exactly at the boundary', () => {
    const forecast = { median: 10n ** 12n, mad: 0n };
    expect(isSpike(3n * 10n ** 12n, forecast, settings)).toBe(false);
    expect(isSpike(3n * 10n ** 12n + 1n, forecast, settings)).toBe(true);
  });
});
