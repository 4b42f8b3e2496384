import { afterEach, describe, expect, it } from 'vitest';
import { defaultAnomalySettings, type EvalSprawlSettings } from '../../core/alerts/anomaly-settings.js';
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
import { detectEvalSprawl } from './eval-sprawl.js';
import { storeWith } from './traffic-store.js';

const hour = 3_600_000;
const day = 24 * hour;
/** Monday 2026-03-09 10:05 UTC: the range judged is the 30 days 2026-02-07 – 2026-03-09 (UTC). */
const now = Date.UTC(2026, 2, 9, 10, 5);
const rangeEnd = Date.UTC(2026, 2, 9);
const rangeStart = rangeEnd - 30 * day;
const defaults = defaultAnomalySettings.evalSprawl;

/** 31 days of everyday traffic at a third of the volume (about $4 a day, 5 % of search and chat tagged eval). */
function everyday(seed: number): Span[] {
  return generateTraffic({
    seed,
    from: now - 31 * day,
    to: now,
    features: scaledFeatures(everydayFeatures, 0.3),
  });
}

/** A grader feature whose every call is an evaluation, through the whole month. */
function grader(seed: number, callsPerHour: number): Span[] {
  return generateTraffic({
    seed,
    from: now - 31 * day,
    to: now,
    features: [
      {
        feature: 'grader',
        callsPerHour,
        meanInputTokens: 4_000,
        meanOutputTokens: 400,
        models: ['gpt-4o'],
        evalShare: 1,
      },
    ],
  });
}

/** A nightly evaluation run at 02:00 UTC on a given day. */
function nightlyRun(seed: number, night: number, calls: number, tags: readonly string[]): Span[] {
  return burstSpans({
    seed,
    start: night + 2 * hour,
    durationMs: hour,
    calls,
    feature: 'evals',
    model: 'gpt-4o',
    tags,
  });
}

const inRange = (span: Span) => span.startTime >= rangeStart && span.startTime < rangeEnd;
const isEval = (span: Span) =>
  (span.attribution.tags ?? []).some((tag) => tag === 'eval' || tag === 'evaluation');

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function detect(spans: Span[], settings: Partial<EvalSprawlSettings> = {}) {
  store = await storeWith(spans);
  return detectEvalSprawl(store, { now, timeZone: 'UTC', settings: { ...defaults, ...settings } });
}

describe('eval sprawl', () => {
  it('flags evaluation spend above a quarter of the month, counting each span once across tags', async () => {
    const spans = [
      ...everyday(1),
      ...grader(2, 8),
      ...nightlyRun(3, Date.UTC(2026, 1, 20), 200, ['evaluation', 'nightly']),
      ...nightlyRun(4, Date.UTC(2026, 1, 27), 200, ['eval', 'evaluation']),
      // Today's run is outside the range judged (complete days only).
      ...nightlyRun(5, Date.UTC(2026, 2, 9), 2_000, ['eval']),
    ];
    const evalSpend = pricedTotal(spans, (span) => inRange(span) && isEval(span));
    const total = pricedTotal(spans, inRange);
    const alerts = await detect(spans);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({
      id: 'eval-sprawl:eval,evaluation:2026-03-09T00:00:00.000Z',
      kind: 'eval-sprawl',
      severity: 'warning',
      time: now,
      details: {
        range_start: '2026-02-07T00:00:00.000Z',
        range_end: '2026-03-09T00:00:00.000Z',
        eval_spend_usd: formatUsd(evalSpend),
        total_spend_usd: formatUsd(total),
        eval_calls: spans.filter((span) => inRange(span) && isEval(span)).length,
      },
    });
    const percent = alert!.details['eval_percent'] as number;
    expect(percent).toBeGreaterThan(25);
    expect(Math.abs(percent - (100 * Number(evalSpend)) / Number(total))).toBeLessThan(0.01);
    expect(alert!.message).toMatch(
      /^Eval sprawl: spend tagged eval or evaluation was \$[\d,]+\.\d\d of \$[\d,]+\.\d\d/,
    );
    expect(alert!.message).toContain(`(${percent.toFixed(2)}%) over the 30 days to 2026-03-09T00:00:00.000Z`);
  });

  it('stays quiet on a month with everyday eval traffic and a few big nightly runs', async () => {
    const spans = [
      ...everyday(6),
      ...nightlyRun(7, Date.UTC(2026, 1, 12), 300, ['eval', 'nightly']),
      ...nightlyRun(8, Date.UTC(2026, 2, 2), 300, ['eval', 'nightly']),
    ];
    const share =
      Number(pricedTotal(spans, (span) => inRange(span) && isEval(span))) /
      Number(pricedTotal(spans, inRange));
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.25);
    expect(await detect(spans)).toEqual([]);
  });

  it('stays quiet on a tiny ledger below the minimum total, and speaks once the minimum allows', async () => {
    const spans = nightlyRun(9, Date.UTC(2026, 2, 1), 30, ['eval']);
    expect(pricedTotal(spans)).toBeLessThan(1_000_000_000_000n);
    expect(await detect(spans)).toEqual([]);
    expect(await detect(spans, { minTotalUsd: '0.01' })).toHaveLength(1);
  });

  it('does nothing when disabled or given no tags', async () => {
    const spans = [...everyday(1), ...grader(2, 8)];
    expect(await detect(spans, { enabled: false })).toEqual([]);
    const noTags = { ...defaults, tags: [] };
    expect(await detectEvalSprawl(store!, { now, timeZone: 'UTC', settings: noTags })).toEqual([]);
  });
});
