import { percentOfLimit } from '../../control/budget-spend.js';
import { budgetStatuses, budgetsInForce, type SourcedBudget } from '../../control/budget-status.js';
import {
  type Budget,
  checkThresholds,
  defaultBudgetId,
  defaultThresholds,
  formatBudgetScope,
  parseBudgetScope,
} from '../../core/budgets/budget.js';
import { UsageError } from '../../core/errors.js';
import { formatUsd, parseUsd } from '../../core/money.js';
import { timeBuckets } from '../../core/spans/spend-query.js';
import { zoneCalendar } from '../../core/time/zone-calendar.js';
import type { Store } from '../../store/store.js';
import { choiceOption, parseCommandArgs } from '../args.js';
import type { Command, CommandIo } from '../command.js';
import { defaultStoreLocation, ledgerLocation, openLedger } from '../ledger.js';
import { renderTable } from '../table.js';

const help = `usage: frugal budgets set [ID] --scope SCOPE --period PERIOD --limit USD [--hard] [--thresholds P,...] [--tz ZONE]
       frugal budgets list [--json]
       frugal budgets delete ID

Budgets cap spend per calendar period. A soft budget alerts as spend crosses each threshold (once per
period); a hard one also refuses, before sending, any call that could take spend over the limit (the
tracer's and the gateway's admission). Budgets live in the store (shared by every process using it) or
in the config file under budgets: (listed here, changed only there).

  --scope SCOPE     global, model:NAME, feature:NAME, user:ID, key:ID or tag:TAG
  --period PERIOD   ${timeBuckets.join(', ')} (calendar periods in --tz; weeks start on Monday)
  --limit USD       spend allowed per period, e.g. 50 or 12.50
  --hard            refuse calls over the limit (default: alerts only)
  --thresholds P,.. alert at these percents of the limit (default ${defaultThresholds.join(',')})
  --tz ZONE         IANA time zone of the periods (default: the config's time_zone, else UTC)
  ID                a name for the budget (default SCOPE/PERIOD, e.g. feature:search/day)
  --store LOC       sqlite:PATH, a file path, or postgres://… (default: the config's store, else
                    ${defaultStoreLocation})
  --config FILE     config file (default ./frugal.yaml if present)
  --json            list as JSON (exact decimal dollar strings)`;

const options = {
  scope: { type: 'string' },
  period: { type: 'string' },
  limit: { type: 'string' },
  hard: { type: 'boolean' },
  thresholds: { type: 'string' },
  tz: { type: 'string' },
  store: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `frugal budgets set|list|delete`. */
export const budgetsCommand: Command = {
  name: 'budgets',
  summary: 'set, list and delete budgets with alerts and hard limits',
  help,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'set' && action !== 'list' && action !== 'delete') {
      throw new UsageError(
        `frugal budgets: expected set, list or delete${action === undefined ? '' : `, got '${action}'`} (see 'frugal budgets --help')`,
      );
    }
    const { values, positionals } = parseCommandArgs('budgets', rest, options, { maxPositionals: 1 });
    const where = await ledgerLocation(io, values);
    const configured = where.config?.budgets ?? [];
    if (action === 'set') {
      const budget = budgetFromFlags(values, positionals[0], where.config?.timeZone);
      const inConfig = configured.find((entry) => entry.id === budget.id);
      if (inConfig) {
        throw new UsageError(
          `frugal budgets: '${budget.id}' is defined in ${inConfig.origin.file} at ${inConfig.origin.path}; change it there`,
        );
      }
      return withStore(io, where, false, async (store) => {
        await store.putBudget(budget);
        io.stdout(`budget ${budget.id} set: ${describe(budget)}\n`);
        return 0;
      });
    }
    if (action === 'delete') {
      const id = positionals[0];
      if (id === undefined) throw new UsageError('frugal budgets delete: name the budget id to delete');
      const inConfig = configured.find((entry) => entry.id === id);
      if (inConfig) {
        throw new UsageError(
          `frugal budgets: '${id}' is defined in ${inConfig.origin.file} at ${inConfig.origin.path}; remove it there`,
        );
      }
      return withStore(io, where, true, async (store) => {
        if (await store.deleteBudget(id)) {
          io.stdout(`budget ${id} deleted\n`);
          return 0;
        }
        io.stderr(`frugal budgets: no stored budget '${id}' (see 'frugal budgets list')\n`);
        return 1;
      });
    }
    if (positionals.length > 0)
      throw new UsageError(`frugal budgets list: unexpected argument '${positionals[0]}'`);
    return withStore(io, where, true, async (store) => {
      const { budgets, shadowed } = budgetsInForce(configured, await store.listBudgets());
      for (const budget of shadowed) {
        io.stderr(
          `frugal budgets: stored budget '${budget.id}' is shadowed by the config file's budget of that id\n`,
        );
      }
      io.stdout(await listing(store, budgets, io.now(), values.json === true));
      return 0;
    });
  },
};

async function withStore(
  io: CommandIo,
  where: Awaited<ReturnType<typeof ledgerLocation>>,
  mustExist: boolean,
  use: (store: Store) => Promise<number>,
): Promise<number> {
  const store = await openLedger(io, 'budgets', where, mustExist);
  if (store === undefined) return 1;
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

function budgetFromFlags(
  values: {
    scope?: string;
    period?: string;
    limit?: string;
    hard?: boolean;
    thresholds?: string;
    tz?: string;
  },
  id: string | undefined,
  configZone: string | undefined,
): Budget {
  const missing = (['scope', 'period', 'limit'] as const).filter((flag) => values[flag] === undefined);
  if (missing.length > 0) {
    throw new UsageError(`frugal budgets set: missing ${missing.map((flag) => `--${flag}`).join(', ')}`);
  }
  const flagError = (flag: string, error: unknown) =>
    new UsageError(`frugal budgets set: --${flag}: ${(error as Error).message}`, { cause: error });
  let scope: Budget['scope'];
  try {
    scope = parseBudgetScope(values.scope!);
  } catch (error) {
    throw flagError('scope', error);
  }
  const period = choiceOption('budgets', 'period', values.period!, timeBuckets);
  let limit: bigint;
  try {
    limit = parseUsd(values.limit!.replace(/^\$/, ''));
  } catch (error) {
    throw flagError('limit', error);
  }
  if (limit <= 0n) throw new UsageError(`frugal budgets set: --limit must be above $0, got ${values.limit}`);
  let thresholds: readonly number[] = defaultThresholds;
  if (values.thresholds !== undefined) {
    try {
      thresholds = checkThresholds(
        values.thresholds.split(',').map((part) => Number(part.trim().replace(/%$/, ''))),
      );
    } catch (error) {
      throw flagError('thresholds', error);
    }
  }
  const timeZone = values.tz ?? configZone ?? 'UTC';
  try {
    zoneCalendar(timeZone);
  } catch (error) {
    throw flagError('tz', error);
  }
  return {
    id: id ?? defaultBudgetId(scope, period),
    scope,
    period,
    timeZone,
    limit,
    hard: values.hard === true,
    thresholds,
  };
}

function describe(budget: Budget): string {
  return (
    `${budget.hard ? 'hard' : 'soft'} limit $${formatUsd(budget.limit)} per ${budget.period} (${budget.timeZone}) ` +
    `on ${formatBudgetScope(budget.scope)}, alerts at ${budget.thresholds.join(', ')}%`
  );
}

async function listing(
  store: Store,
  budgets: readonly SourcedBudget[],
  now: number,
  json: boolean,
): Promise<string> {
  const statuses = await budgetStatuses(
    store,
    budgets.map((entry) => entry.budget),
    now,
  );
  const sources = budgets.map((entry) =>
    entry.source.kind === 'config' ? `config ${entry.source.path}` : 'store',
  );
  if (json) {
    const list = statuses.map((status, index) => ({
      id: status.budget.id,
      scope: formatBudgetScope(status.budget.scope),
      period: status.budget.period,
      time_zone: status.budget.timeZone,
      hard: status.budget.hard,
      thresholds: status.budget.thresholds,
      limit_usd: formatUsd(status.budget.limit),
      spent_usd: formatUsd(status.spent),
      percent: percentOfLimit(status.spent, status.budget.limit),
      calls: status.calls,
      unpriced_calls: status.unpricedCalls,
      period_start: new Date(status.period.start).toISOString(),
      resets_at: new Date(status.period.resetsAt).toISOString(),
      source: sources[index],
    }));
    return `${JSON.stringify({ budgets: list }, null, 2)}\n`;
  }
  if (statuses.length === 0) {
    return "No budgets yet. Add one with 'frugal budgets set --scope global --period day --limit 50', or under budgets: in frugal.yaml.\n";
  }
  const rows = statuses.map((status, index) => [
    status.budget.id,
    status.budget.hard ? 'hard' : 'soft',
    `$${formatUsd(status.budget.limit)}`,
    `$${formatUsd(status.spent)}${status.unpricedCalls > 0 ? ` +${status.unpricedCalls} unpriced` : ''}`,
    `${percentOfLimit(status.spent, status.budget.limit)}%`,
    bar(status.spent, status.budget.limit),
    new Date(status.period.resetsAt).toISOString().replace(/:00\.000Z$/, 'Z'),
    sources[index]!,
  ]);
  return `${renderTable(['budget', 'kind', 'limit', 'spent', 'used', '', 'resets', 'source'], rows, ['left', 'left', 'right', 'right', 'right', 'left', 'left', 'left'])}\n`;
}

/** A 10-cell progress bar; full (and marked) at or over the limit. */
function bar(spent: bigint, limit: bigint): string {
  if (limit === 0n) return '';
  const cells = Number((spent * 10n) / limit);
  return spent >= limit ? '[##########]!' : `[${'#'.repeat(cells)}${'.'.repeat(10 - cells)}]`;
}
