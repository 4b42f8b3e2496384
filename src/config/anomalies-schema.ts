import { z } from 'zod';
import type { AnomalySettingsOverrides } from '../core/alerts/anomaly-settings.js';

const durationText = /^\d+(\.\d+)?(ms|s|m|h|d|w)$/;
const durationExpected = 'a duration such as 30s, 10m, 1h, 7d or 2w';
const unitMs: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** A duration as written (`10m`), read as milliseconds. */
const duration = z
  .string({ error: durationExpected })
  .regex(durationText, { error: durationExpected })
  .transform((text) => {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text)!;
    return Math.round(Number(amount) * unitMs[unit!]!);
  })
  .meta({ description: durationExpected });

const count = (what: string) =>
  z
    .number({ error: `a whole number of ${what} ≥ 1` })
    .int({ error: `a whole number of ${what} ≥ 1` })
    .min(1, { error: `a whole number of ${what} ≥ 1` });
const positive = (what: string) => z.number({ error: what }).positive({ error: what });
const share = z
  .number({ error: 'a share between 0 and 1, e.g. 0.25' })
  .min(0, { error: 'a share between 0 and 1, e.g. 0.25' })
  .max(1, { error: 'a share between 0 and 1, e.g. 0.25' });
const usd = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)], {
  error: 'a USD amount: a number ≥ 0 or a decimal string such as "5.00"',
});
const enabled = z.boolean({ error: 'true or false' }).optional();

/**
 * `anomalies:` in frugal.yaml: each detector's thresholds, every field optional (defaults documented in
 * core/alerts/anomaly-settings.ts and the README). Durations are written `10m`, `1h`, `7d`.
 */
export const anomaliesSchema = z
  .strictObject({
    prompt_regression: z
      .strictObject({
        enabled,
        window: duration.optional(),
        baseline: duration.optional(),
        ratio: positive('a ratio > 0, e.g. 1.5').optional(),
        min_window_calls: count('calls').optional(),
        min_baseline_calls: count('calls').optional(),
        lookback: duration.optional(),
      })
      .optional(),
    retry_storm: z
      .strictObject({
        enabled,
        window: duration.optional(),
        min_calls: count('calls').optional(),
        lookback: duration.optional(),
      })
      .optional(),
    error_loop: z
      .strictObject({
        enabled,
        window: duration.optional(),
        min_error_calls: count('calls').optional(),
        min_error_share: share.optional(),
        lookback: duration.optional(),
      })
      .optional(),
    eval_sprawl: z
      .strictObject({
        enabled,
        tags: z.array(z.string({ error: 'a tag' }), { error: 'a list of tags' }).optional(),
        window: duration.optional(),
        max_share: share.optional(),
        min_total_usd: usd.optional(),
      })
      .optional(),
    spend_spike: z
      .strictObject({
        enabled,
        period: z
          .enum(['hour', 'day', 'week', 'month'], { error: 'one of hour, day, week, month' })
          .optional(),
        history_periods: count('periods').optional(),
        min_history_periods: count('periods').optional(),
        factor: positive('a factor > 0, e.g. 3').optional(),
        mad_multiplier: z.number({ error: 'a number ≥ 0' }).nonnegative({ error: 'a number ≥ 0' }).optional(),
        min_spend_usd: usd.optional(),
        include_current_period: z.boolean({ error: 'true or false' }).optional(),
      })
      .optional(),
  })
  .meta({ description: 'Thresholds of the anomaly detectors run by `frugal alerts check`' });

export type RawAnomalies = z.output<typeof anomaliesSchema>;

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
const durationKeys = new Set(['window', 'baseline', 'lookback']);

/**
 * The parsed section as settings overrides in the settings' own names: `min_window_calls` → `minWindowCalls`,
 * `window` → `windowMs`, dollar amounts as decimal text. The schema above allows only the settings' fields.
 */
export function anomalyOverrides(raw: RawAnomalies | undefined): AnomalySettingsOverrides {
  const overrides: Record<string, Record<string, unknown>> = {};
  for (const [detector, fields] of Object.entries(raw ?? {})) {
    if (fields === undefined) continue;
    const settings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const name = durationKeys.has(key) ? `${key}Ms` : camel(key);
      settings[name] = typeof value === 'number' && /Usd$/.test(name) ? String(value) : value;
    }
    overrides[camel(detector)] = settings;
  }
  return overrides as AnomalySettingsOverrides;
}
