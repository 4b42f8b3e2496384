import { describe, expect, it } from 'vitest';
import { defaultAnomalySettings, withAnomalyDefaults } from './anomaly-settings.js';

describe('anomaly settings', () => {
  it('has the documented defaults', () => {
    expect(defaultAnomalySettings.promptRegression).toMatchObject({
      windowMs: 3_600_000,
      baselineMs: 7 * 86_400_000,
      ratio: 1.5,
      minWindowCalls: 20,
      minBaselineCalls: 20,
    });
    expect(defaultAnomalySettings.retryStorm).toMatchObject({ windowMs: 600_000, minCalls: 10 });
    expect(defaultAnomalySettings.errorLoop).toMatchObject({ minErrorCalls: 20, minErrorShare: 0.5 });
    expect(defaultAnomalySettings.evalSprawl).toMatchObject({ maxShare: 0.25, minTotalUsd: '1.00' });
    expect(defaultAnomalySettings.spendSpike).toMatchObject({
      period: 'day',
      historyPeriods: 14,
      minHistoryPeriods: 7,
      factor: 3,
    });
  });

  it('replaces only the fields given, detector by detector', () => {
    const settings = withAnomalyDefaults({ spendSpike: { period: 'hour' }, retryStorm: { enabled: false } });
    expect(settings.spendSpike).toEqual({ ...defaultAnomalySettings.spendSpike, period: 'hour' });
    expect(settings.retryStorm).toEqual({ ...defaultAnomalySettings.retryStorm, enabled: false });
    expect(settings.promptRegression).toEqual(defaultAnomalySettings.promptRegression);
  });

  it('is plain data that survives a JSON round trip (what a config file can hold)', () => {
    expect(JSON.parse(JSON.stringify(defaultAnomalySettings))).toEqual(defaultAnomalySettings);
  });
});
