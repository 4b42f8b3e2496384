import type { Picodollars } from '../money.js';
import type { Attribution } from '../spans/span.js';
import type { SpendDimension, TimeBucket } from '../spans/spend-query.js';

/** What a budget covers: all spend, or the spend of one model, feature, user, API key or tag. */
export const budgetScopeKinds = ['global', 'model', 'feature', 'user', 'key', 'tag'] as const;
export type BudgetScopeKind = (typeof budgetScopeKinds)[number];

export type BudgetScope =
  | { readonly kind: 'global' }
  | { readonly kind: Exclude<BudgetScopeKind, 'global'>; readonly value: string };

/** Alert thresholds in percent of the limit when a budget names none. */
export const defaultThresholds: readonly number[] = [50, 80, 90, 100];

/**
 * A spending limit over a calendar period (hour, day, week from Monday, month) in an IANA time zone. A soft
 * budget alerts as spend crosses each threshold (once per period); a hard one also refuses, before sending,
 * any call whose maximum cost would take spend over the limit.
 */
export type Budget = {
  /** Stable name, e.g. `feature:search/day` (the default id of a scope and period). */
  readonly id: string;
  readonly scope: BudgetScope;
  readonly period: TimeBucket;
  /** IANA zone of the calendar periods (e.g. `Europe/Berlin`); `UTC` by default. */
  readonly timeZone: string;
  readonly limit: Picodollars;
  readonly hard: boolean;
  /** Percent of the limit, ascending, each in (0, 1000]. */
  readonly thresholds: readonly number[];
};

/** `global`, or `kind:value` (`feature:search`), as written in config and on the command line. */
export function formatBudgetScope(scope: BudgetScope): string {
  return scope.kind === 'global' ? 'global' : `${scope.kind}:${scope.value}`;
}

/** Parses `global` or `kind:value`; throws a RangeError saying what was expected. */
export function parseBudgetScope(text: string): BudgetScope {
  const trimmed = text.trim();
  if (trimmed === 'global') return { kind: 'global' };
  const colon = trimmed.indexOf(':');
  const kind = trimmed.slice(0, colon);
  const value = trimmed.slice(colon + 1);
  if (colon < 0 || !(budgetScopeKinds as readonly string[]).includes(kind) || kind === 'global') {
    throw new RangeError(
      `expected 'global' or one of ${budgetScopeKinds
        .filter((k) => k !== 'global')
        .map((k) => `${k}:<name>`)
        .join(', ')}, found '${text}'`,
    );
  }
  if (value === '') throw new RangeError(`expected a name after '${kind}:', found nothing`);
  return { kind: kind as Exclude<BudgetScopeKind, 'global'>, value };
}

/** The id a budget gets when none is given: `<scope>/<period>`. */
export function defaultBudgetId(scope: BudgetScope, period: TimeBucket): string {
  return `${formatBudgetScope(scope)}/${period}`;
}

/** Checks thresholds (percent, ascending, unique, in (0, 1000]); throws a RangeError naming the first bad one. */
export function checkThresholds(thresholds: readonly number[]): readonly number[] {
  let previous = 0;
  for (const threshold of thresholds) {
    if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1000) {
      throw new RangeError(`expected thresholds in percent between 0 and 1000, found ${threshold}`);
    }
    if (threshold <= previous) {
      throw new RangeError(
        `expected thresholds in ascending order without repeats, found ${threshold} after ${previous}`,
      );
    }
    previous = threshold;
  }
  return thresholds;
}

/** The ledger dimension a scope filters on (`global` filters nothing). */
export function scopeDimension(scope: BudgetScope): SpendDimension | undefined {
  return scope.kind === 'global' ? undefined : scope.kind;
}

/** What is known of a call when budgets are checked: the models it names and its attribution. */
export type BudgetedCall = {
  /** The model asked for, and (after the call) the model that answered. */
  readonly models: readonly (string | undefined)[];
  readonly attribution: Attribution;
};

/** Whether a call's spend counts against a budget: a model budget counts calls asking for or answered by it. */
export function budgetCovers(budget: Budget, call: BudgetedCall): boolean {
  const scope = budget.scope;
  switch (scope.kind) {
    case 'global':
      return true;
    case 'model':
      return call.models.includes(scope.value);
    case 'feature':
      return call.attribution.feature === scope.value;
    case 'user':
      return call.attribution.user === scope.value;
    case 'key':
      return call.attribution.apiKeyId === scope.value;
    case 'tag':
      return call.attribution.tags?.includes(scope.value) ?? false;
  }
}

/**
 * The thresholds crossed when spend goes from `before` to `after` (percent of `limit`, exact in integers):
 * a threshold is reached when spend × 100 ≥ limit × threshold.
 */
export function crossedThresholds(budget: Budget, before: Picodollars, after: Picodollars): number[] {
  return budget.thresholds.filter((threshold) => {
    const bar = budget.limit * BigInt(Math.round(threshold * 1000));
    return before * 100_000n < bar && after * 100_000n >= bar;
  });
}
