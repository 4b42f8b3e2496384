import type { Alert } from '../../core/alerts/alert.js';
import type { ErrorLoopSettings } from '../../core/alerts/anomaly-settings.js';
import { formatUsd } from '../../core/money.js';
import type { SpendRow } from '../../core/spans/spend-query.js';
import { ZoneCalendar } from '../../core/time/zone-calendar.js';
import type { Store } from '../../store/store.js';
import { completeWindows, durationText, type TimeWindow } from './detection-windows.js';
import {
  alertId,
  type DetectorOptions,
  firstPerId,
  isoTime,
  requireRatio,
  requireWhole,
} from './detector.js';
import { atLeastRatio, ratioText } from './exact-ratio.js';

const name = 'errorLoop';

/**
 * Feature + model pairs with at least `minErrorCalls` failed calls making up at least `minErrorShare` of their
 * calls within one window: a caller retrying on error without a cap, even when each retry differs (so no
 * single request hash repeats). Calls without a feature are grouped together (the empty feature).
 *
 * Raised as `retry-storm` alerts, one per feature + model per calendar day
 * (id `retry-storm:errors:<feature>:<model>:<dayStartISO>`), describing the first such window of that day.
 */
export async function detectErrorLoops(
  store: Store,
  options: DetectorOptions<ErrorLoopSettings>,
): Promise<Alert[]> {
  const { settings } = options;
  if (!settings.enabled) return [];
  requireWhole(settings.minErrorCalls, 1, `${name}.minErrorCalls`);
  requireRatio(settings.minErrorShare, `${name}.minErrorShare`);
  const calendar = new ZoneCalendar(options.timeZone);
  const alerts: Alert[] = [];
  for (const window of completeWindows(options.now, settings.windowMs, settings.lookbackMs, name)) {
    const rows = await store.querySpend({
      from: window.start,
      to: window.end,
      groupBy: ['feature', 'model'],
    });
    const dayStart = calendar.bucketStart(window.start, 'day');
    for (const row of rows) {
      const looping =
        row.errorCalls >= settings.minErrorCalls &&
        atLeastRatio(BigInt(row.errorCalls), BigInt(row.calls), settings.minErrorShare);
      if (looping) alerts.push(loopAlert(row, window, dayStart, options));
    }
  }
  return firstPerId(alerts);
}

function loopAlert(
  row: SpendRow,
  window: TimeWindow,
  dayStart: number,
  { now, settings }: DetectorOptions<ErrorLoopSettings>,
): Alert {
  const [feature = null, model = null] = row.group;
  const percent = ratioText(BigInt(row.errorCalls) * 100n, BigInt(row.calls));
  return {
    id: alertId('retry-storm', ['errors', feature, model], dayStart),
    kind: 'retry-storm',
    severity: 'critical',
    time: now,
    message:
      `Error loop: ${feature === null ? 'calls without a feature' : `feature '${feature}'`} on ` +
      `${model ?? 'an unknown model'}: ${row.errorCalls} of ${row.calls} calls failed (${percent}%) in the ` +
      `${durationText(settings.windowMs)} from ${isoTime(window.start)}`,
    details: {
      feature,
      model,
      calls: row.calls,
      error_calls: row.errorCalls,
      error_percent: Number(percent),
      window_start: isoTime(window.start),
      window_end: isoTime(window.end),
      cost_usd: formatUsd(row.cost),
      unpriced_calls: row.unpricedCalls,
      threshold_error_calls: settings.minErrorCalls,
      threshold_error_share: settings.minErrorShare,
    },
  };
}
