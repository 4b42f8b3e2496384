import type { Alert } from '../../core/alerts/alert.js';
import type { EvalSprawlSettings } from '../../core/alerts/anomaly-settings.js';
import { dollarsText } from '../../core/analysis/dollars-text.js';
import { formatUsd } from '../../core/money.js';
import type { SpendRow } from '../../core/spans/spend-query.js';
import { ZoneCalendar } from '../../core/time/zone-calendar.js';
import type { Store } from '../../store/store.js';
import { durationText } from './detection-windows.js';
import { alertId, type DetectorOptions, isoTime, requireRatio, requireWhole } from './detector.js';
import { aboveRatio, ratioText, settingUsd } from './exact-ratio.js';

const name = 'evalSprawl';

/**
 * Spend on spans tagged with any of `tags` (each span counted once) above `maxShare` of all spend over the
 * `windowMs` ending at the start of today in the time zone, once all spend there reaches `minTotalUsd`.
 * Priced spend only: unpriced calls are counted in the details, never as $0 of either side.
 *
 * Complete days only, so every run during a day judges the same range: one alert per day while the share
 * stays above the limit (id `eval-sprawl:<tags>:<rangeEndISO>`).
 */
export async function detectEvalSprawl(
  store: Store,
  options: DetectorOptions<EvalSprawlSettings>,
): Promise<Alert[]> {
  const { settings } = options;
  if (!settings.enabled || settings.tags.length === 0) return [];
  requireWhole(settings.windowMs, 1, `${name}.windowMs`);
  requireRatio(settings.maxShare, `${name}.maxShare`);
  const minTotal = settingUsd(settings.minTotalUsd, `${name}.minTotalUsd`);
  const to = new ZoneCalendar(options.timeZone).bucketStart(options.now, 'day');
  const from = to - settings.windowMs;
  const [[total], [evaluation]] = await Promise.all([
    store.querySpend({ from, to }),
    store.querySpend({ from, to, filters: { tag: settings.tags } }),
  ]);
  if (total === undefined || evaluation === undefined || total.cost < minTotal) return [];
  if (!aboveRatio(evaluation.cost, total.cost, settings.maxShare)) return [];
  return [sprawlAlert(evaluation, total, from, to, options)];
}

function sprawlAlert(
  evaluation: SpendRow,
  total: SpendRow,
  from: number,
  to: number,
  { now, settings }: DetectorOptions<EvalSprawlSettings>,
): Alert {
  const percent = ratioText(evaluation.cost * 100n, total.cost);
  return {
    id: alertId('eval-sprawl', [settings.tags.join(',')], to),
    kind: 'eval-sprawl',
    severity: 'warning',
    time: now,
    message:
      `Eval sprawl: spend tagged ${settings.tags.join(' or ')} was ${dollarsText(evaluation.cost)} of ` +
      `${dollarsText(total.cost)} (${percent}%) over the ${durationText(settings.windowMs)} to ${isoTime(to)}, ` +
      `above the ${Number((settings.maxShare * 100).toFixed(4))}% limit`,
    details: {
      tags: settings.tags.join(','),
      range_start: isoTime(from),
      range_end: isoTime(to),
      eval_spend_usd: formatUsd(evaluation.cost),
      total_spend_usd: formatUsd(total.cost),
      eval_percent: Number(percent),
      eval_calls: evaluation.calls,
      total_calls: total.calls,
      eval_unpriced_calls: evaluation.unpricedCalls,
      total_unpriced_calls: total.unpricedCalls,
      threshold_share: settings.maxShare,
      min_total_usd: settings.minTotalUsd,
    },
  };
}
