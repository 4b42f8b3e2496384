import type { TimeBucket } from '../spans/spend-query.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time/zone-calendar.js';

/**
 * Prompt regression: a feature's mean input tokens per call in one window jumps versus its trailing baseline
 * (a longer system prompt, a retrieval step stuffing more context, a chat history no longer truncated).
 * Windows are aligned to multiples of `windowMs` since the epoch; spans without a feature are not checked.
 */
export type PromptRegressionSettings = {
  readonly enabled: boolean;
  /** Length of the window checked, ms (default 1 hour). */
  readonly windowMs: number;
  /** Length of the baseline just before each window, ms (default 7 days). */
  readonly baselineMs: number;
  /** Alert when window mean ≥ this × baseline mean (default 1.5; honoured to 6 decimals). */
  readonly ratio: number;
  /** Calls the window needs to be judged (default 20). */
  readonly minWindowCalls: number;
  /** Calls the baseline needs to be judged (default 20). */
  readonly minBaselineCalls: number;
  /** Complete windows ending in the last `lookbackMs` are checked on each run (default 1 hour). */
  readonly lookbackMs: number;
};

/** Retry storm: the same request (equal `requestHash`) sent many times within one window. */
export type RetryStormSettings = {
  readonly enabled: boolean;
  /** Length of the window, ms (default 10 minutes); windows are aligned to multiples of it since the epoch. */
  readonly windowMs: number;
  /** Alert when one request is sent at least this many times in a window (default 10). */
  readonly minCalls: number;
  /** Complete windows ending in the last `lookbackMs` are checked on each run (default 1 hour). */
  readonly lookbackMs: number;
};

/**
 * Error loop (raised as a `retry-storm` alert): a feature + model whose calls mostly fail within one window,
 * which is what retrying on error without backoff or a cap looks like even when each retry differs.
 */
export type ErrorLoopSettings = {
  readonly enabled: boolean;
  /** Length of the window, ms (default 10 minutes); windows are aligned to multiples of it since the epoch. */
  readonly windowMs: number;
  /** Failed calls of one feature + model in a window needed to alert (default 20). */
  readonly minErrorCalls: number;
  /** Share of that feature + model's calls in the window that failed, at least (default 0.5). */
  readonly minErrorShare: number;
  /** Complete windows ending in the last `lookbackMs` are checked on each run (default 1 hour). */
  readonly lookbackMs: number;
};

/** Eval sprawl: spend tagged as evaluation grows past a share of all spend. */
export type EvalSprawlSettings = {
  readonly enabled: boolean;
  /** Spans with any of these tags count as evaluation (default `['eval', 'evaluation']`). */
  readonly tags: readonly string[];
  /** The range judged: this long, ending at the start of today in the time zone, ms (default 30 days). */
  readonly windowMs: number;
  /** Alert when evaluation spend is more than this share of all spend (default 0.25). */
  readonly maxShare: number;
  /** Stay quiet while all spend in the range is below this, decimal dollars (default `'1.00'`). */
  readonly minTotalUsd: string;
};

/**
 * Spend spike: one calendar period's spend far above a forecast from the periods before it. The forecast is
 * the median of the history; the spread is the median absolute deviation (MAD) from it. Periods before the
 * first one with any calls are not history; quiet periods after it count as $0.
 */
export type SpendSpikeSettings = {
  readonly enabled: boolean;
  /** Calendar period in the time zone (default `day`). */
  readonly period: TimeBucket;
  /** How many periods before the judged one make the history (default 14). */
  readonly historyPeriods: number;
  /** Fewer periods of history than this and the detector stays silent (default 7). */
  readonly minHistoryPeriods: number;
  /** Alert only when spend > this × the forecast (default 3). */
  readonly factor: number;
  /** ...and spend > forecast + this × MAD (default 5). */
  readonly madMultiplier: number;
  /** ...and spend ≥ this, decimal dollars (default `'5.00'`). */
  readonly minSpendUsd: string;
  /**
   * Also judge the period in progress by its spend so far (default true): spend only grows, so a period that
   * is already a spike is raised without waiting for it to end. The latest complete period is always judged.
   */
  readonly includeCurrentPeriod: boolean;
};

/** Every detector's thresholds: plain data, so a config file can fill it (see `withAnomalyDefaults`). */
export type AnomalySettings = {
  readonly promptRegression: PromptRegressionSettings;
  readonly retryStorm: RetryStormSettings;
  readonly errorLoop: ErrorLoopSettings;
  readonly evalSprawl: EvalSprawlSettings;
  readonly spendSpike: SpendSpikeSettings;
};

export const defaultAnomalySettings: AnomalySettings = {
  promptRegression: {
    enabled: true,
    windowMs: HOUR_MS,
    baselineMs: 7 * DAY_MS,
    ratio: 1.5,
    minWindowCalls: 20,
    minBaselineCalls: 20,
    lookbackMs: HOUR_MS,
  },
  retryStorm: { enabled: true, windowMs: 10 * MINUTE_MS, minCalls: 10, lookbackMs: HOUR_MS },
  errorLoop: {
    enabled: true,
    windowMs: 10 * MINUTE_MS,
    minErrorCalls: 20,
    minErrorShare: 0.5,
    lookbackMs: HOUR_MS,
  },
  evalSprawl: {
    enabled: true,
    tags: ['eval', 'evaluation'],
    windowMs: 30 * DAY_MS,
    maxShare: 0.25,
    minTotalUsd: '1.00',
  },
  spendSpike: {
    enabled: true,
    period: 'day',
    historyPeriods: 14,
    minHistoryPeriods: 7,
    factor: 3,
    madMultiplier: 5,
    minSpendUsd: '5.00',
    includeCurrentPeriod: true,
  },
};

/** Settings where each detector may override only some fields. */
export type AnomalySettingsOverrides = {
  readonly [Detector in keyof AnomalySettings]?: Partial<AnomalySettings[Detector]> | undefined;
};

/** The defaults with the given fields replaced, detector by detector. */
export function withAnomalyDefaults(overrides: AnomalySettingsOverrides = {}): AnomalySettings {
  return {
    promptRegression: { ...defaultAnomalySettings.promptRegression, ...overrides.promptRegression },
    retryStorm: { ...defaultAnomalySettings.retryStorm, ...overrides.retryStorm },
    errorLoop: { ...defaultAnomalySettings.errorLoop, ...overrides.errorLoop },
    evalSprawl: { ...defaultAnomalySettings.evalSprawl, ...overrides.evalSprawl },
    spendSpike: { ...defaultAnomalySettings.spendSpike, ...overrides.spendSpike },
  };
}
