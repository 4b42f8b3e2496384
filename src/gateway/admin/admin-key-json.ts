import type { Budget } from '../../core/budgets/budget.js';
import type { VirtualKeyRecord } from '../../core/keys/virtual-key.js';
import { formatUsd } from '../../core/money.js';

/** A key's budget as the admin API shows it: the limit as an exact decimal-dollar string. */
export function budgetJson(budget: Budget) {
  return {
    id: budget.id,
    period: budget.period,
    limit_usd: formatUsd(budget.limit),
    hard: budget.hard,
    time_zone: budget.timeZone,
    thresholds: [...budget.thresholds],
  };
}

const isoTime = (time: number | undefined) => (time === undefined ? null : new Date(time).toISOString());

/**
 * A key as the admin API shows it (snake_case, absent fields null): never its secret, never its hash. `models`
 * null means every model.
 */
export function keyJson(key: VirtualKeyRecord, budgets: readonly Budget[]) {
  return {
    id: key.id,
    prefix: key.prefix,
    name: key.name ?? null,
    models: key.allowedModels === undefined ? null : [...key.allowedModels],
    rpm: key.requestsPerMinute ?? null,
    tpm: key.tokensPerMinute ?? null,
    feature: key.defaultFeature ?? null,
    metadata: { ...key.metadata },
    created_at: isoTime(key.createdAt),
    expires_at: isoTime(key.expiresAt),
    revoked_at: isoTime(key.revokedAt),
    budgets: budgets.map(budgetJson),
  };
}

/** The budgets whose scope is this key (created with it, or set later with `--scope key:<id>`), by id. */
export function budgetsOfKey(budgets: readonly Budget[], id: string): Budget[] {
  return budgets.filter((budget) => budget.scope.kind === 'key' && budget.scope.value === id);
}
