import type { Alert } from '../../core/alerts/alert.js';
import { UsageError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';

/** What every detector is given: the instant to judge at (no clock is read) and the zone of calendar days. */
export type DetectorOptions<Settings> = {
  /** Epoch ms; only spans that started before it are read, and it becomes each alert's `time`. */
  readonly now: number;
  /** IANA zone of calendar days and periods. */
  readonly timeZone: string;
  readonly settings: Settings;
};

/** One anomaly detector: deterministic for the same stored spans and `now`. */
export type Detector<Settings> = (store: Store, options: DetectorOptions<Settings>) => Promise<Alert[]>;

/**
 * An alert id: the kind, the subject's parts, and the start of the period it is about, joined by ':' —
 * `retry-storm:errors:chat:gpt-4o:2026-03-09T00:00:00.000Z`. In the parts '%' and ':' are escaped (`%25`,
 * `%3A`) so that a ':' inside a name cannot make two subjects share an id; `null` (no feature, no model)
 * becomes the empty part.
 */
export function alertId(kind: Alert['kind'], parts: readonly (string | null)[], periodStart: number): string {
  const escaped = parts.map((part) => (part ?? '').replaceAll('%', '%25').replaceAll(':', '%3A'));
  return [kind, ...escaped, isoTime(periodStart)].join(':');
}

/** An epoch-ms instant as an ISO-8601 UTC string (the form used in ids and details). */
export function isoTime(instant: number): string {
  return new Date(instant).toISOString();
}

/** Keeps the first alert of each id, in order (one run may find the same subject in several windows). */
export function firstPerId(alerts: readonly Alert[]): Alert[] {
  const seen = new Set<string>();
  return alerts.filter((alert) => !seen.has(alert.id) && seen.add(alert.id));
}

/** Throws a UsageError unless `value` is a whole number ≥ `least`; `name` is the setting's path. */
export function requireWhole(value: number, least: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < least) {
    throw new UsageError(`anomaly setting ${name} must be a whole number ≥ ${least}, got ${value}`);
  }
}

/** Throws a UsageError unless `value` is a finite number ≥ 0; `name` is the setting's path. */
export function requireRatio(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(`anomaly setting ${name} must be a finite number ≥ 0, got ${value}`);
  }
}
