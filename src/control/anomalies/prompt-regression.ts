import type { Alert } from '../../core/alerts/alert.js';
import type { PromptRegressionSettings } from '../../core/alerts/anomaly-settings.js';
import { formatUsd } from '../../core/money.js';
import type { SpendRow } from '../../core/spans/spend-query.js';
import { ZoneCalendar } from '../../core/time/zone-calendar.js';
import type { Store } from '../../store/store.js';
import { completeWindows, durationText, type TimeWindow } from './detection-windows.js';
import { alertId, type DetectorOptions, firstPerId, isoTime, requireWhole } from './detector.js';
import { atLeastRatio, ratioText } from './exact-ratio.js';

const name = 'promptRegression';

/**
 * Features whose mean input tokens per call in a window is at least `ratio` × their mean over the baseline just
 * before it. Means are compared exactly (tokens × calls cross-multiplied in integers). A call without reported
 * usage (most failed calls) counts as 0 tokens, as in every spend query: a rise in failures lowers the window's
 * mean and cannot raise an alert, but a sharp fall after a failure-heavy baseline raises it.
 *
 * One alert per feature per calendar day (id `prompt-regression:<feature>:<dayStartISO>`): a regression that
 * lasts is raised again the next day, not every window; the alert describes the first regressed window.
 */
export async function detectPromptRegressions(
  store: Store,
  options: DetectorOptions<PromptRegressionSettings>,
): Promise<Alert[]> {
  const { settings } = options;
  if (!settings.enabled) return [];
  requireWhole(settings.baselineMs, 1, `${name}.baselineMs`);
  requireWhole(settings.minWindowCalls, 1, `${name}.minWindowCalls`);
  requireWhole(settings.minBaselineCalls, 1, `${name}.minBaselineCalls`);
  const calendar = new ZoneCalendar(options.timeZone);
  const windows = completeWindows(options.now, settings.windowMs, settings.lookbackMs, name);
  const alerts: Alert[] = [];
  for (const window of windows) alerts.push(...(await regressionsIn(store, window, calendar, options)));
  return firstPerId(alerts);
}

async function regressionsIn(
  store: Store,
  window: TimeWindow,
  calendar: ZoneCalendar,
  { now, settings }: DetectorOptions<PromptRegressionSettings>,
): Promise<Alert[]> {
  const current = await store.querySpend({ from: window.start, to: window.end, groupBy: ['feature'] });
  const busy = current.filter((row) => row.group[0] != null && row.calls >= settings.minWindowCalls);
  if (busy.length === 0) return [];
  const baselineFrom = window.start - settings.baselineMs;
  const baseline = await store.querySpend({
    from: baselineFrom,
    to: window.start,
    groupBy: ['feature'],
    filters: { feature: busy.map((row) => row.group[0]!) },
  });
  const baselineOf = new Map(baseline.map((row) => [row.group[0]!, row]));
  const alerts: Alert[] = [];
  for (const row of busy) {
    const feature = row.group[0]!;
    const before = baselineOf.get(feature);
    if (before === undefined || before.calls < settings.minBaselineCalls) continue;
    const regressed = atLeastRatio(
      BigInt(row.tokens.input) * BigInt(before.calls),
      BigInt(before.tokens.input) * BigInt(row.calls),
      settings.ratio,
    );
    if (regressed)
      alerts.push(regressionAlert(feature, row, before, { window, baselineFrom, calendar, now, settings }));
  }
  return alerts;
}

type AlertContext = {
  readonly window: TimeWindow;
  readonly baselineFrom: number;
  readonly calendar: ZoneCalendar;
  readonly now: number;
  readonly settings: PromptRegressionSettings;
};

function regressionAlert(feature: string, row: SpendRow, before: SpendRow, context: AlertContext): Alert {
  const { window, settings } = context;
  const mean = Math.round(row.tokens.input / row.calls);
  const baselineMean = Math.round(before.tokens.input / before.calls);
  const ratio = ratioText(
    BigInt(row.tokens.input) * BigInt(before.calls),
    BigInt(before.tokens.input) * BigInt(row.calls),
  );
  return {
    id: alertId('prompt-regression', [feature], context.calendar.bucketStart(window.start, 'day')),
    kind: 'prompt-regression',
    severity: 'warning',
    time: context.now,
    message:
      `Prompt regression in feature '${feature}': ${mean.toLocaleString('en-US')} input tokens/call over ` +
      `${row.calls.toLocaleString('en-US')} calls in the ${durationText(settings.windowMs)} from ` +
      `${isoTime(window.start)}, ${ratio}× its mean of ${baselineMean.toLocaleString('en-US')} over the previous ` +
      `${durationText(settings.baselineMs)} (${before.calls.toLocaleString('en-US')} calls)`,
    details: {
      feature,
      window_start: isoTime(window.start),
      window_end: isoTime(window.end),
      calls: row.calls,
      input_tokens: row.tokens.input,
      mean_input_tokens: mean,
      baseline_start: isoTime(context.baselineFrom),
      baseline_calls: before.calls,
      baseline_input_tokens: before.tokens.input,
      baseline_mean_input_tokens: baselineMean,
      ratio: Number(ratio),
      threshold_ratio: settings.ratio,
      cost_usd: formatUsd(row.cost),
    },
  };
}
