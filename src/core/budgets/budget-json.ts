import { formatUsd, parseUsd } from '../money.js';
import { timeBuckets } from '../spans/spend-query.js';
import { type Budget, checkThresholds, formatBudgetScope, parseBudgetScope } from './budget.js';

/** A budget as stored: JSON with the limit as an exact decimal-dollar string. */
type BudgetJson = {
  id: string;
  scope: string;
  period: string;
  time_zone: string;
  limit_usd: string;
  hard: boolean;
  thresholds: number[];
};

/** A budget as one JSON text (how stores keep it). */
export function budgetToJson(budget: Budget): string {
  const json: BudgetJson = {
    id: budget.id,
    scope: formatBudgetScope(budget.scope),
    period: budget.period,
    time_zone: budget.timeZone,
    limit_usd: formatUsd(budget.limit),
    hard: budget.hard,
    thresholds: [...budget.thresholds],
  };
  return JSON.stringify(json);
}

/** Reads `budgetToJson`'s text back; throws a RangeError saying which field is wrong. */
export function budgetFromJson(text: string): Budget {
  const json = JSON.parse(text) as Partial<BudgetJson>;
  const field = <T>(name: keyof BudgetJson, ok: (value: unknown) => value is T): T => {
    const value = json[name];
    if (!ok(value)) throw new RangeError(`stored budget has a bad '${name}': ${JSON.stringify(value)}`);
    return value;
  };
  const isString = (value: unknown): value is string => typeof value === 'string';
  const period = field('period', (value): value is Budget['period'] =>
    (timeBuckets as readonly unknown[]).includes(value),
  );
  return {
    id: field('id', isString),
    scope: parseBudgetScope(field('scope', isString)),
    period,
    timeZone: field('time_zone', isString),
    limit: parseUsd(field('limit_usd', isString)),
    hard: field('hard', (value): value is boolean => typeof value === 'boolean'),
    thresholds: checkThresholds(
      field('thresholds', (value): value is number[] => Array.isArray(value) && value.every(Number.isFinite)),
    ),
  };
}
