import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAnomalyDefaults } from '../../core/alerts/anomaly-settings.js';
import type { Span } from '../../core/spans/span.js';
import type { Store } from '../../store/store.js';
import {
  burstSpans,
  everydayFeatures,
  generateTraffic,
  scaledFeatures,
  textHash,
} from './anomaly-traffic.js';
import { detectAnomalies } from './detect-anomalies.js';
import { storeWith } from './traffic-store.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
/** Monday 2026-03-09 10:05 UTC. */
const now = Date.UTC(2026, 2, 9, 10, 5);
const sunday = Date.UTC(2026, 2, 8);
const stormHash = textHash('the same summary, again');

/** Sixteen days of everyday traffic at 40 % volume with every kind of anomaly in it. */
function troubledLedger(): Span[] {
  const search = everydayFeatures.find((feature) => feature.feature === 'search')!;
  return [
    ...generateTraffic({
      seed: 1,
      from: now - 17 * day,
      to: now,
      features: scaledFeatures(everydayFeatures, 0.4),
    }),
    // Eval sprawl: a grader whose every call is an evaluation, all along.
    ...generateTraffic({
      seed: 2,
      from: now - 17 * day,
      to: now,
      features: [
        {
          feature: 'grader',
          callsPerHour: 12,
          meanInputTokens: 4_000,
          meanOutputTokens: 400,
          models: ['gpt-4o'],
          evalShare: 1,
        },
      ],
    }),
    // Spend spike: Sunday at seven times its usual volume.
    ...generateTraffic({
      seed: 3,
      from: sunday,
      to: sunday + day,
      features: scaledFeatures(everydayFeatures, 2.4),
    }),
    // Prompt regression: search prompts 2.5× longer from 09:00.
    ...generateTraffic({
      seed: 4,
      from: Date.UTC(2026, 2, 9, 9),
      to: now,
      features: [{ ...search, meanInputTokens: search.meanInputTokens * 2.5 }],
    }),
    // Error loop: chat on gpt-4o failing from 09:41.
    ...burstSpans({
      seed: 5,
      start: Date.UTC(2026, 2, 9, 9, 41),
      durationMs: 8 * minute,
      calls: 60,
      feature: 'chat',
      model: 'gpt-4o',
      errorShare: 0.85,
    }),
    // Retry storm: one summary request sent 40 times from 09:52.
    ...burstSpans({
      seed: 6,
      start: Date.UTC(2026, 2, 9, 9, 52),
      durationMs: 6 * minute,
      calls: 40,
      feature: 'summarize',
      model: 'claude-sonnet-4-5',
      requestHash: stormHash,
    }),
  ];
}

describe('detect anomalies', () => {
  let troubled: Store;
  let calm: Store;
  beforeAll(async () => {
    troubled = await storeWith(troubledLedger());
    calm = await storeWith(
      generateTraffic({
        seed: 7,
        from: now - 31 * day,
        to: now,
        features: scaledFeatures(everydayFeatures, 0.4),
      }),
    );
  });
  afterAll(async () => {
    await troubled.close();
    await calm.close();
  });

  it('finds each kind of anomaly once, in a fixed order', async () => {
    const alerts = await detectAnomalies(troubled, { now });
    expect(alerts.map((alert) => alert.id)).toEqual([
      'prompt-regression:search:2026-03-09T00:00:00.000Z',
      `retry-storm:request:${stormHash}:2026-03-09T00:00:00.000Z`,
      'retry-storm:errors:chat:gpt-4o:2026-03-09T00:00:00.000Z',
      'eval-sprawl:eval,evaluation:2026-03-09T00:00:00.000Z',
      'spend-spike:global:day:2026-03-08T00:00:00.000Z',
    ]);
  });

  it('is deterministic: the same data and instant give the same alerts, a later run the same ids', async () => {
    const first = await detectAnomalies(troubled, { now });
    expect(await detectAnomalies(troubled, { now })).toEqual(first);
    const later = await detectAnomalies(troubled, { now: now + 3 * minute });
    expect(later.map((alert) => alert.id)).toEqual(first.map((alert) => alert.id));
  });

  it('raises no alarm on a calm month of noisy everyday traffic', async () => {
    expect(await detectAnomalies(calm, { now })).toEqual([]);
    const everyWindowOfTheDay = withAnomalyDefaults({
      promptRegression: { lookbackMs: day },
      retryStorm: { lookbackMs: day },
      errorLoop: { lookbackMs: day },
    });
    expect(await detectAnomalies(calm, { now, settings: everyWindowOfTheDay })).toEqual([]);
  });

  it('runs only the detectors that are enabled', async () => {
    const settings = withAnomalyDefaults({
      promptRegression: { enabled: false },
      retryStorm: { enabled: false },
      errorLoop: { enabled: false },
      evalSprawl: { enabled: false },
    });
    const alerts = await detectAnomalies(troubled, { now, settings });
    expect(alerts.map((alert) => alert.kind)).toEqual(['spend-spike']);
    const allOff = withAnomalyDefaults({ ...settings, spendSpike: { enabled: false } });
    expect(await detectAnomalies(troubled, { now, settings: allOff })).toEqual([]);
  });
});
