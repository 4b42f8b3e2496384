import type { Alert } from '../../core/alerts/alert.js';
import { type AnomalySettings, defaultAnomalySettings } from '../../core/alerts/anomaly-settings.js';
import type { Store } from '../../store/store.js';
import { detectErrorLoops } from './error-loop.js';
import { detectEvalSprawl } from './eval-sprawl.js';
import { detectPromptRegressions } from './prompt-regression.js';
import { detectRetryStorms } from './retry-storm.js';
import { detectSpendSpikes } from './spend-spike.js';

export type DetectAnomaliesOptions = {
  /** Epoch ms to judge at: detection reads no clock, so the same spans and `now` give the same alerts. */
  readonly now: number;
  /** IANA zone of calendar days and periods (default UTC). */
  readonly timeZone?: string | undefined;
  /** Default: `defaultAnomalySettings` (see `withAnomalyDefaults` to override some fields). */
  readonly settings?: AnomalySettings | undefined;
};

/**
 * Runs every enabled detector and returns their alerts in a fixed order (prompt regressions, retry storms,
 * error loops, eval sprawl, spend spikes). Nothing is recorded: pass each alert to `store.recordAlert`, whose
 * id deduplication keeps a condition seen by many runs from being delivered more than once.
 */
export async function detectAnomalies(store: Store, options: DetectAnomaliesOptions): Promise<Alert[]> {
  const settings = options.settings ?? defaultAnomalySettings;
  const base = { now: options.now, timeZone: options.timeZone ?? 'UTC' };
  const found = await Promise.all([
    detectPromptRegressions(store, { ...base, settings: settings.promptRegression }),
    detectRetryStorms(store, { ...base, settings: settings.retryStorm }),
    detectErrorLoops(store, { ...base, settings: settings.errorLoop }),
    detectEvalSprawl(store, { ...base, settings: settings.evalSprawl }),
    detectSpendSpikes(store, { ...base, settings: settings.spendSpike }),
  ]);
  return found.flat();
}
