import type { ConfiguredBudget } from '../../config/parse-config.js';
import { detectAnomalies } from '../../control/anomalies/detect-anomalies.js';
import { budgetStatuses, budgetsInForce } from '../../control/budget-status.js';
import type { Alert } from '../../core/alerts/alert.js';
import { type AnomalySettingsOverrides, withAnomalyDefaults } from '../../core/alerts/anomaly-settings.js';
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
cost-vs-quality chart and every answer; traces with their span tree, tokens, exact cost and price entry; spend
over time by any dimension, filtered by UTC days and attribution in the URL (/spend?by=feature&from=2026-01-01
&to=2026-01-31&model=gpt-4o&user=alice), the gateway's cache and router savings, budgets, alerts and the
anomalies frugal alerts check would find now. Server-rendered pages, no network; one inline script sorts the
tables. Bound to 127.0.0.1 by default; on any other address it needs FRUGAL_UI_TOKEN, which every request must
then carry (?token= or Authorization: Bearer). Ctrl-C stops it.`;

const options = {
  host: { type: 'string' },
  port: { type: 'string' },
  store: { type: 'string' },
  config: { type: 'string' },
} as const;

/** How long the dashboard keeps the anomalies it found before judging the ledger again. */
export const anomalyRecheckMs = 60_000;

/** The config's settings the dashboard uses besides budgets: its time zone and anomaly thresholds. */
export type UiSettings = {
  readonly timeZone?: string | undefined;
  readonly anomalies?: AnomalySettingsOverrides | undefined;
};

/**
 * The dashboard's data from a store, with the evaluation code computing comparisons and the control code
 * budgets and anomalies (the same detectors and thresholds as `frugal alerts check`).
 */
export function storeUiData(
  store: Store,
  now: () => number,
  configured: readonly ConfiguredBudget[] = [],
  settings: UiSettings = {},
): UiData {
  let judged: { readonly at: number; readonly alerts: Promise<Alert[]> } | undefined;
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
    savings: (query) => store.gatewaySavings(query),
    anomalies() {
      // The detectors judge windows of minutes to days over the whole ledger: judged at most once a minute,
      // so that reloading the spend page does not run them all again (a failure is not kept).
      const at = now();
      if (judged === undefined || at - judged.at >= anomalyRecheckMs || at < judged.at) {
        const alerts = detectAnomalies(store, {
          now: at,
          timeZone: settings.timeZone ?? 'UTC',
          settings: withAnomalyDefaults(settings.anomalies),
        });
        const entry = { at, alerts };
        judged = entry;
        alerts.catch(() => {
          if (judged === entry) judged = undefined;
        });
      }
      return judged.alerts;
    },
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
        data: storeUiData(store, io.now, where.config?.budgets, {
          timeZone: where.config?.timeZone,
          anomalies: where.config?.anomalies,
        }),
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
