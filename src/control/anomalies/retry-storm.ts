import type { Alert } from '../../core/alerts/alert.js';
import type { RetryStormSettings } from '../../core/alerts/anomaly-settings.js';
import { perQueryDollarsText } from '../../core/analysis/dollars-text.js';
import { formatUsd } from '../../core/money.js';
import type { RepeatedRequest } from '../../core/spans/request-repeats.js';
import { ZoneCalendar } from '../../core/time/zone-calendar.js';
import type { Store } from '../../store/store.js';
import { completeWindows, durationText, type TimeWindow } from './detection-windows.js';
import { alertId, type DetectorOptions, firstPerId, isoTime, requireWhole } from './detector.js';

const name = 'retryStorm';

/** At most this many repeated requests are reported per window, most calls first. */
const perWindowLimit = 100;

/**
 * Requests (spans with the same `requestHash`) sent at least `minCalls` times within one window: a client
 * retrying without backoff, a loop re-sending the same prompt, a missing cache. Spans without a hash are not
 * seen. A request popular enough to be asked that often legitimately is reported too: it is a cache candidate.
 *
 * One alert per request per calendar day (id `retry-storm:request:<hash>:<dayStartISO>`), describing the
 * first window of that day in which it stormed.
 */
export async function detectRetryStorms(
  store: Store,
  options: DetectorOptions<RetryStormSettings>,
): Promise<Alert[]> {
  const { settings } = options;
  if (!settings.enabled) return [];
  requireWhole(settings.minCalls, 2, `${name}.minCalls`);
  const calendar = new ZoneCalendar(options.timeZone);
  const alerts: Alert[] = [];
  for (const window of completeWindows(options.now, settings.windowMs, settings.lookbackMs, name)) {
    const repeats = await store.repeatedRequests({
      from: window.start,
      to: window.end,
      minCalls: settings.minCalls,
      limit: perWindowLimit,
    });
    const dayStart = calendar.bucketStart(window.start, 'day');
    for (const repeat of repeats) alerts.push(stormAlert(repeat, window, dayStart, options));
  }
  return firstPerId(alerts);
}

function stormAlert(
  repeat: RepeatedRequest,
  window: TimeWindow,
  dayStart: number,
  { now, settings }: DetectorOptions<RetryStormSettings>,
): Alert {
  const where = [
    repeat.feature === null ? undefined : `feature '${repeat.feature}'`,
    repeat.model ?? undefined,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  const unpriced = repeat.unpricedCalls > 0 ? ` (+${repeat.unpricedCalls} unpriced)` : '';
  return {
    id: alertId('retry-storm', ['request', repeat.requestHash], dayStart),
    kind: 'retry-storm',
    severity: 'warning',
    time: now,
    message:
      `Retry storm: request ${repeat.requestHash.slice(0, 12)}${where ? ` (${where})` : ''} sent ${repeat.calls} ` +
      `times in the ${durationText(settings.windowMs)} from ${isoTime(window.start)}, ${repeat.errorCalls} failed, ` +
      `costing ${perQueryDollarsText(repeat.cost)}${unpriced}`,
    details: {
      request_hash: repeat.requestHash,
      feature: repeat.feature,
      model: repeat.model,
      calls: repeat.calls,
      error_calls: repeat.errorCalls,
      first_call: isoTime(repeat.firstTime),
      last_call: isoTime(repeat.lastTime),
      window_start: isoTime(window.start),
      window_end: isoTime(window.end),
      cost_usd: formatUsd(repeat.cost),
      unpriced_calls: repeat.unpricedCalls,
      threshold_calls: settings.minCalls,
    },
  };
}
