import type { ConfiguredBudget } from '../../config/parse-config.js';
import { budgetStatuses, budgetsInForce } from '../../control/budget-status.js';
import { formatBudgetScope } from '../../core/budgets/budget.js';
import { compareRuns } from '../../eval/compare/compare-runs.js';
import type { Store } from '../../store/store.js';
import { startUiServer, type UiData } from '../../ui/server/ui-server.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { runsNamed } from '../evaluation/runs-named.js';
import { defaultStoreLocation, ledgerLocation, openLedger } from '../ledger.js';
import { experimentReport } from './report.js';

const help = `usage: frugal ui [--host 127.0.0.1] [--port 5000] [--store LOC] [--config FILE]

The dashboard, served from the store (default ${defaultStoreLocation}): experiments, each with its comparison,
cost-vs-quality chart and every answer, and traces with their span tree, tokens, exact cost and price entry.
Server-rendered pages, no script, no network. Bound to 127.0.0.1 by default; on any other address it needs
FRUGAL_UI_TOKEN, which every request must then carry (?token= or Authorization: Bearer). Ctrl-C stops it.`;

const options = {
  host: { type: 'string' },
  port: { type: 'string' },
  store: { type: 'string' },
  config: { type: 'string' },
} as const;

/** The dashboard's data from a store, with the evaluation code computing comparisons. */
export function storeUiData(
  store: Store,
  now: () => number,
  configured: readonly ConfiguredBudget[] = [],
): UiData {
  return {
    async experiments() {
      const byName = new Map<
        string,
        { candidates: Set<string>; runs: number; lastRunAt: number; simulated: boolean }
      >();
      for (const run of await store.listRuns()) {
        const entry = byName.get(run.experiment) ?? {
          candidates: new Set<string>(),
          runs: 0,
          lastRunAt: 0,
          simulated: false,
        };
        entry.candidates.add(run.candidate);
        entry.runs += 1;
        entry.lastRunAt = Math.max(entry.lastRunAt, run.startedAt);
        entry.simulated ||= run.simulated;
        byName.set(run.experiment, entry);
      }
      return [...byName]
        .map(([name, entry]) => ({ name, ...entry, candidates: [...entry.candidates] }))
        .sort((a, b) => b.lastRunAt - a.lastRunAt);
    },
    async experiment(name) {
      if ((await store.listRuns({ experiment: name, limit: 1 })).length === 0) return undefined;
      const loaded = await runsNamed(store, [name], 'ui');
      return experimentReport(compareRuns(loaded, {}), loaded, new Date(now()).toISOString());
    },
    trace: (id) => store.getTrace(id),
    spend: (query) => store.querySpend(query),
    async budgets() {
      const { budgets } = budgetsInForce(configured, await store.listBudgets());
      const statuses = await budgetStatuses(
        store,
        budgets.map((entry) => entry.budget),
        now(),
      );
      return statuses.map((status) => ({
        id: status.budget.id,
        scope: formatBudgetScope(status.budget.scope),
        period: status.budget.period,
        limit: status.budget.limit,
        spent: status.spent,
        unpricedCalls: status.unpricedCalls,
        hard: status.budget.hard,
        resetsAt: status.period.resetsAt,
      }));
    },
    alerts: (limit) => store.listAlerts({ limit }),
  };
}

/** `frugal ui`. */
export const uiCommand: Command = {
  name: 'ui',
  summary: 'the dashboard: experiments, Pareto charts, every answer and its trace, from the store',
  help,
  async run(args, io) {
    const { values } = parseCommandArgs('ui', args, options, { maxPositionals: 0 });
    const port = values.port === undefined ? 5000 : integerOption('ui', 'port', values.port, 0);
    const where = await ledgerLocation(io, values);
    const store = await openLedger(io, 'ui', where, true);
    if (store === undefined) return 1;
    const token = io.env['FRUGAL_UI_TOKEN'] || undefined;
    let ui: Awaited<ReturnType<typeof startUiServer>>;
    try {
      ui = await startUiServer({
        data: storeUiData(store, io.now, where.config?.budgets),
        host: values.host,
        port,
        token,
        now: io.now,
      });
    } catch (error) {
      await store.close();
      throw error;
    }
    io.stdout(`frugal ui listening on ${ui.url}/${token ? '?token=…' : ''}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        ui.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await store.close();
    return 0;
  },
};
