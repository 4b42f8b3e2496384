import { afterEach, describe, expect, it } from 'vitest';
import { defaultAnomalySettings, type PromptRegressionSettings } from '../../core/alerts/anomaly-settings.js';
import type { Span } from '../../core/spans/span.js';
import type { Store } from '../../store/store.js';
import { everydayFeatures, generateTraffic } from './anomaly-traffic.js';
import { detectPromptRegressions } from './prompt-regression.js';
import { storeWith } from './traffic-store.js';

const hour = 3_600_000;
const day = 24 * hour;
/** Monday 2026-03-09 10:05 UTC: the latest complete hour is 09:00–10:00. */
const now = Date.UTC(2026, 2, 9, 10, 5);
const windowStart = Date.UTC(2026, 2, 9, 9);
const defaults = defaultAnomalySettings.promptRegression;

/** Eight days of everyday traffic, up to `now` (or `to`). */
function everyday(seed: number, to = now): Span[] {
  return generateTraffic({ seed, from: now - 8 * day, to, features: everydayFeatures });
}

/** The traffic with one feature's calls in [from, to) replaced by calls with `inputFactor` × its usual prompt. */
function withPrompts(spans: Span[], feature: string, from: number, to: number, inputFactor: number): Span[] {
  const usual = everydayFeatures.find((each) => each.feature === feature)!;
  const changed = generateTraffic({
    seed: 99,
    from,
    to,
    features: [{ ...usual, meanInputTokens: usual.meanInputTokens * inputFactor }],
  });
  const inRange = (span: Span) =>
    span.attribution.feature === feature && span.startTime >= from && span.startTime < to;
  return [...spans.filter((span) => !inRange(span)), ...changed];
}

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function detect(spans: Span[], settings: Partial<PromptRegressionSettings> = {}) {
  store = await storeWith(spans);
  return detectPromptRegressions(store, { now, timeZone: 'UTC', settings: { ...defaults, ...settings } });
}

describe('prompt regression', () => {
  it('flags a feature whose prompts doubled in the last hour, with the figures', async () => {
    const alerts = await detect(withPrompts(everyday(1), 'search', windowStart, windowStart + hour, 2.2));
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({
      id: 'prompt-regression:search:2026-03-09T00:00:00.000Z',
      kind: 'prompt-regression',
      severity: 'warning',
      time: now,
      details: {
        feature: 'search',
        window_start: '2026-03-09T09:00:00.000Z',
        window_end: '2026-03-09T10:00:00.000Z',
      },
    });
    const details = alert!.details;
    expect(details['ratio']).toBeGreaterThan(1.8);
    expect(details['ratio']).toBeLessThan(2.6);
    expect(details['calls']).toBeGreaterThanOrEqual(20);
    expect(alert!.message).toContain(
      `over ${details['calls']} calls in the 1 hour from 2026-03-09T09:00:00.000Z`,
    );
    expect(alert!.message).toContain(
      `${details['ratio']}× its mean of ${details['baseline_mean_input_tokens']!.toLocaleString('en-US')} over the previous 7 days`,
    );
  });

  it('stays quiet on a week of noisy everyday traffic, every hour of the last day checked', async () => {
    const alerts = await detect(everyday(2), { lookbackMs: day });
    expect(alerts).toEqual([]);
  });

  it('stays quiet when prompts grow by less than the ratio (30 % longer)', async () => {
    const spans = withPrompts(everyday(3), 'search', windowStart, windowStart + hour, 1.3);
    expect(await detect(spans)).toEqual([]);
  });

  it('judges only windows with enough calls, and only features with a baseline', async () => {
    const launched = generateTraffic({
      seed: 5,
      from: windowStart,
      to: windowStart + hour,
      features: [
        {
          feature: 'brand-new',
          callsPerHour: 60,
          meanInputTokens: 9_000,
          meanOutputTokens: 100,
          models: ['gpt-4o'],
        },
      ],
    });
    const spans = [...withPrompts(everyday(4), 'summarize', windowStart, windowStart + hour, 3), ...launched];
    // summarize makes about 12 calls an hour: a tripled prompt over too few calls is not judged.
    expect(await detect(spans)).toEqual([]);
    // With a lower bar it is, and the new feature (no baseline) still is not.
    const alerts = await detect(spans, { minWindowCalls: 5 });
    expect(alerts.map((alert) => alert.id)).toEqual(['prompt-regression:summarize:2026-03-09T00:00:00.000Z']);
  });

  it('raises a regression that lasts several hours once per day, describing its first hour', async () => {
    const spans = withPrompts(everyday(6, now + hour), 'search', windowStart - 2 * hour, now + hour, 2.5);
    const alerts = await detect(spans, { lookbackMs: 3 * hour });
    expect(alerts.map((alert) => alert.id)).toEqual(['prompt-regression:search:2026-03-09T00:00:00.000Z']);
    expect(alerts[0]!.details['window_start']).toBe('2026-03-09T07:00:00.000Z');
    // An hour later the next window is still regressed: same id, so recording it again is a no-op.
    const later = await detectPromptRegressions(store!, {
      now: now + hour,
      timeZone: 'UTC',
      settings: defaults,
    });
    expect(later.map((alert) => [alert.id, alert.details['window_start']])).toEqual([
      [alerts[0]!.id, '2026-03-09T10:00:00.000Z'],
    ]);
  });

  it('does nothing when disabled', async () => {
    const spans = withPrompts(everyday(1), 'search', windowStart, windowStart + hour, 2.2);
    expect(await detect(spans, { enabled: false })).toEqual([]);
  });
});
