import type { Alert } from '../../core/alerts/alert.js';
import type { SpendSpikeSettings } from '../../core/alerts/anomaly-settings.js';
import { dollarsText } from '../../core/analysis/dollars-text.js';
import { formatUsd, type Picodollars } from '../../core/money.js';
import { ZoneCalendar } from '../../core/time/zone-calendar.js';
import type { Store } from '../../store/store.js';
import { alertId, type DetectorOptions, isoTime, requireRatio, requireWhole } from './detector.js';
import { ratioText, scaledRatio, settingUsd } from './exact-ratio.js';
import { type RobustForecast, robustForecast } from './robust-forecast.js';

const name = 'spendSpike';

/** One calendar period's spend, newest period first in the lists below. */
type Period = {
  readonly start: number;
  readonly end: number;
  readonly cost: Picodollars;
  readonly calls: number;
  readonly unpricedCalls: number;
};

/**
 * All spend in one calendar period far above its forecast: more than `factor` × the median of the
 * `historyPeriods` periods before it, more than that median + `madMultiplier` × their MAD (so a ledger that
 * swings a lot needs a bigger jump), and at least `minSpendUsd`. Judges the latest complete period and, when
 * `includeCurrentPeriod`, the one in progress by its spend so far. Silent with fewer than `minHistoryPeriods`
 * periods of history (periods before the first one with any calls in the range read are not history). When
 * most of the history is quiet (median $0) any spend above the minimum is a spike; priced spend only, unpriced
 * calls are reported in the details.
 *
 * The forecast ignores daily and weekly rhythm: with `hour` periods a morning after quiet nights can pass
 * `factor`, so hourly use wants a higher factor or minimum. Id: `spend-spike:global:<period>:<periodStartISO>`.
 */
export async function detectSpendSpikes(
  store: Store,
  options: DetectorOptions<SpendSpikeSettings>,
): Promise<Alert[]> {
  const { settings } = options;
  if (!settings.enabled) return [];
  requireWhole(settings.historyPeriods, 1, `${name}.historyPeriods`);
  requireWhole(settings.minHistoryPeriods, 1, `${name}.minHistoryPeriods`);
  requireRatio(settings.factor, `${name}.factor`);
  requireRatio(settings.madMultiplier, `${name}.madMultiplier`);
  const minSpend = settingUsd(settings.minSpendUsd, `${name}.minSpendUsd`);
  const periods = await recentPeriods(store, options);
  const firstActive = periods.findLastIndex((period) => period.calls > 0);
  const targets = settings.includeCurrentPeriod ? [1, 0] : [1];
  const alerts: Alert[] = [];
  for (const index of targets) {
    const target = periods[index]!;
    const history = periods.slice(index + 1, Math.min(index + 1 + settings.historyPeriods, firstActive + 1));
    if (history.length < settings.minHistoryPeriods || target.cost < minSpend) continue;
    const forecast = robustForecast(history.map((period) => period.cost))!;
    if (isSpike(target.cost, forecast, settings)) {
      alerts.push(spikeAlert(target, index === 0, forecast, history.length, options));
    }
  }
  return alerts;
}

/** Exactly whether spend > factor × median and spend > median + madMultiplier × MAD (in millionths). */
export function isSpike(spend: Picodollars, forecast: RobustForecast, settings: SpendSpikeSettings): boolean {
  const scaled = spend * 1_000_000n;
  return (
    scaled > scaledRatio(settings.factor) * forecast.median &&
    scaled > forecast.median * 1_000_000n + scaledRatio(settings.madMultiplier) * forecast.mad
  );
}

/** The period in progress (index 0), the latest complete one, and `historyPeriods` before it, with their spend. */
async function recentPeriods(
  store: Store,
  { now, timeZone, settings }: DetectorOptions<SpendSpikeSettings>,
): Promise<Period[]> {
  const calendar = new ZoneCalendar(timeZone);
  const starts = [calendar.bucketStart(now, settings.period)];
  while (starts.length < settings.historyPeriods + 2)
    starts.push(calendar.bucketStart(starts.at(-1)! - 1, settings.period));
  const rows = await store.querySpend({ from: starts.at(-1)!, to: now, bucket: settings.period, timeZone });
  const byStart = new Map(rows.map((row) => [row.bucketStart, row]));
  return starts.map((start, index) => ({
    start,
    end: index === 0 ? calendar.nextBucketStart(start, settings.period) : starts[index - 1]!,
    cost: byStart.get(start)?.cost ?? 0n,
    calls: byStart.get(start)?.calls ?? 0,
    unpricedCalls: byStart.get(start)?.unpricedCalls ?? 0,
  }));
}

function spikeAlert(
  target: Period,
  inProgress: boolean,
  forecast: RobustForecast,
  historyLength: number,
  { now, settings }: DetectorOptions<SpendSpikeSettings>,
): Alert {
  const times = forecast.median > 0n ? `${ratioText(target.cost, forecast.median)}× ` : 'above ';
  return {
    id: alertId('spend-spike', ['global', settings.period], target.start),
    kind: 'spend-spike',
    severity: 'critical',
    time: now,
    message:
      `Spend spike: ${dollarsText(target.cost)} spent in the ${settings.period} from ${isoTime(target.start)}` +
      `${inProgress ? ' so far' : ''}, ${times}the forecast of ${dollarsText(forecast.median)} (median of ` +
      `${historyLength} ${settings.period}s, MAD ${dollarsText(forecast.mad)})`,
    details: {
      period: settings.period,
      period_start: isoTime(target.start),
      period_end: isoTime(target.end),
      in_progress: inProgress,
      spend_usd: formatUsd(target.cost),
      calls: target.calls,
      unpriced_calls: target.unpricedCalls,
      forecast_usd: formatUsd(forecast.median),
      mad_usd: formatUsd(forecast.mad),
      history_periods: historyLength,
      threshold_factor: settings.factor,
      threshold_mad_multiplier: settings.madMultiplier,
      min_spend_usd: settings.minSpendUsd,
    },
  };
}
