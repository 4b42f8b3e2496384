/** What raised an alert: a budget threshold, a refused call, or one of the anomaly detectors. */
export const alertKinds = [
  'budget-threshold',
  'budget-refused',
  'prompt-regression',
  'retry-storm',
  'eval-sprawl',
  'spend-spike',
] as const;
export type AlertKind = (typeof alertKinds)[number];

export const alertSeverities = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof alertSeverities)[number];

/** A detail value: amounts are exact decimal-dollar strings, never floats of money. */
export type AlertDetail = string | number | boolean | null;

/**
 * Something a person should look at. `id` is the deduplication key (e.g.
 * `budget:global/day:2026-11-22T00:00:00.000Z:80`): an alert with an id already recorded is not raised again,
 * which is how a threshold fires once per period across restarts and processes.
 */
export type Alert = {
  readonly id: string;
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  /** Epoch ms at which it was raised. */
  readonly time: number;
  /** One line: what happened, with the figures. */
  readonly message: string;
  readonly details: Readonly<Record<string, AlertDetail>>;
};

/** Which recorded alerts to list, newest first. */
export type AlertQuery = {
  /** Epoch ms, inclusive. */
  readonly from?: number | undefined;
  /** Epoch ms, exclusive. */
  readonly to?: number | undefined;
  readonly kinds?: readonly AlertKind[] | undefined;
  readonly limit?: number | undefined;
};
