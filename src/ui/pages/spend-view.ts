import { type SpendDimension, spendDimensions } from '../../core/spans/spend-query.js';
import { DAY_MS } from '../../core/time/zone-calendar.js';

/**
 * What the spend page shows, all of it in the URL so that a view can be shared: grouped by which dimension,
 * over which UTC days (the last `days`, or `fromDay`..`toDay` inclusive), for which attribution values.
 */
export type SpendView = {
  readonly by: SpendDimension;
  /** The last N days (to now, or to the end of `toDay`); unused when `fromDay` is set. */
  readonly days: number;
  /** `YYYY-MM-DD`, a UTC day: from its start. */
  readonly fromDay?: string | undefined;
  /** `YYYY-MM-DD`, a UTC day: to its end (inclusive). */
  readonly toDay?: string | undefined;
  /** Keep only calls with one of these values, per dimension (every dimension must match). */
  readonly filters: Readonly<Partial<Record<SpendDimension, readonly string[]>>>;
};

/** A query parameter the page cannot use: which one, what it expects, what it got. */
export type ParameterProblem = {
  readonly parameter: string;
  readonly expected: string;
  readonly found: string;
};

export const defaultDays = 30;
export const maxDays = 366;
const maxValues = 20;
const maxValueLength = 256;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of the start of a `YYYY-MM-DD` UTC day, or undefined when it is no such day (2026-02-30). */
export function utcDayStart(text: string): number | undefined {
  const match = datePattern.exec(text);
  if (!match) return undefined;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(time).toISOString().slice(0, 10) === text ? time : undefined;
}

const dayText = (time: number) => new Date(time).toISOString().slice(0, 10);

/** A parameter's value, where an empty one (an empty form field) counts as absent. */
function single(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === '' ? undefined : value;
}

/**
 * Reads `by`, `days`, `from`, `to` and one parameter per dimension (`model=a&model=b` keeps either) from the
 * URL. Empty values (empty form fields) count as absent; other parameters (the token) are ignored. A value the
 * page cannot use is a problem to answer with a 400 page, never a silent fallback.
 */
export function parseSpendView(params: URLSearchParams): SpendView | ParameterProblem {
  const by = single(params, 'by') ?? 'model';
  if (!spendDimensions.includes(by as SpendDimension)) {
    return { parameter: 'by', expected: `one of ${spendDimensions.join(', ')}`, found: by };
  }
  const daysText = single(params, 'days') ?? String(defaultDays);
  const days = Number(daysText);
  if (!/^\d+$/.test(daysText) || days < 1 || days > maxDays) {
    return { parameter: 'days', expected: `a whole number of days from 1 to ${maxDays}`, found: daysText };
  }
  const range: { fromDay?: string; toDay?: string } = {};
  for (const [parameter, field] of [
    ['from', 'fromDay'],
    ['to', 'toDay'],
  ] as const) {
    const value = single(params, parameter);
    if (value === undefined) continue;
    if (utcDayStart(value) === undefined) {
      return { parameter, expected: 'a UTC day as YYYY-MM-DD', found: value };
    }
    range[field] = value;
  }
  if (range.fromDay !== undefined && range.toDay !== undefined) {
    const span = (utcDayStart(range.toDay)! - utcDayStart(range.fromDay)!) / DAY_MS + 1;
    if (span < 1) {
      return { parameter: 'from', expected: `a day on or before to (${range.toDay})`, found: range.fromDay };
    }
    if (span > maxDays) {
      return { parameter: 'from', expected: `a range of at most ${maxDays} days`, found: `${span} days` };
    }
  }
  const filters: Partial<Record<SpendDimension, string[]>> = {};
  for (const dimension of spendDimensions) {
    const values = [...new Set(params.getAll(dimension).filter((value) => value !== ''))];
    if (values.length === 0) continue;
    if (values.length > maxValues) {
      return { parameter: dimension, expected: `at most ${maxValues} values`, found: `${values.length}` };
    }
    const long = values.find((value) => value.length > maxValueLength);
    if (long !== undefined) {
      return {
        parameter: dimension,
        expected: `values of at most ${maxValueLength} characters`,
        found: `${long.slice(0, 40)}… (${long.length} characters)`,
      };
    }
    filters[dimension] = values;
  }
  return { by: by as SpendDimension, days, ...range, filters };
}

export const isProblem = <T extends object>(value: T | ParameterProblem): value is ParameterProblem =>
  'parameter' in value;

/** The view as query parameters, in a fixed order (the shareable URL); `days` only where it is used. */
export function spendParams(view: SpendView): URLSearchParams {
  const params = new URLSearchParams({ by: view.by });
  if (view.fromDay === undefined) params.set('days', String(view.days));
  if (view.fromDay !== undefined) params.set('from', view.fromDay);
  if (view.toDay !== undefined) params.set('to', view.toDay);
  for (const dimension of spendDimensions) {
    for (const value of view.filters[dimension] ?? []) params.append(dimension, value);
  }
  return params;
}

/** The epoch-ms range [from, to) the view covers at `now`, and how to say it. */
export type SpendRange = { readonly from: number; readonly to: number; readonly label: string };

/**
 * The view's range at `now`: `fromDay`..`toDay` whole UTC days, `fromDay` to now, the `days` days to the end of
 * `toDay`, or the last `days` × 24 hours. A problem when it would be empty (a `from` after today).
 */
export function spendRange(view: SpendView, now: number): SpendRange | ParameterProblem {
  const end = view.toDay === undefined ? undefined : utcDayStart(view.toDay)! + DAY_MS;
  if (view.fromDay !== undefined) {
    const from = utcDayStart(view.fromDay)!;
    const to = end ?? now;
    if (from >= to) {
      return {
        parameter: 'from',
        expected: `a day on or before today (${dayText(now)})`,
        found: view.fromDay,
      };
    }
    const label = view.toDay === undefined ? `since ${view.fromDay}` : `${view.fromDay} to ${view.toDay}`;
    return { from, to, label: `${label} (UTC)` };
  }
  if (end !== undefined) {
    return { from: end - view.days * DAY_MS, to: end, label: `${view.days} days to ${view.toDay} (UTC)` };
  }
  return { from: now - view.days * DAY_MS, to: now, label: `last ${view.days} days` };
}

/** The dimensions with a filter, and their values, in the page's order. */
export function activeFilters(view: SpendView): { dimension: SpendDimension; values: readonly string[] }[] {
  return spendDimensions.flatMap((dimension) => {
    const values = view.filters[dimension];
    return values === undefined || values.length === 0 ? [] : [{ dimension, values }];
  });
}
