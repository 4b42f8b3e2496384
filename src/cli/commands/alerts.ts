import {
  type AlertChannel,
  alertLine,
  createAlertDispatcher,
  webhookChannel,
} from '../../control/alert-delivery.js';
import { detectAnomalies } from '../../control/anomalies/detect-anomalies.js';
import { budgetsInForce, checkBudgets } from '../../control/budget-status.js';
import { type Alert, type AlertKind, alertKinds } from '../../core/alerts/alert.js';
import { withAnomalyDefaults } from '../../core/alerts/anomaly-settings.js';
import { UsageError } from '../../core/errors.js';
import { parseTimeBound } from '../../core/time/parse-time-bound.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { defaultStoreLocation, ledgerLocation, openLedger } from '../ledger.js';
import { renderTable } from '../table.js';

const help = `usage: frugal alerts [list] [--since WHEN] [--kind KIND]... [--limit N] [--json]
       frugal alerts check [--dry-run] [--json]

list (the default) shows recorded alerts, newest first. check judges the ledger now: every budget's
thresholds in its current period, and the anomaly detectors (prompt regression, retry storm and error
loops, eval sprawl, spend spike; thresholds under anomalies: in frugal.yaml). New alerts are recorded,
printed, and posted to the config's webhooks; an alert already recorded is not raised again, so check
can run from cron as often as you like.

  --since WHEN   list alerts from (default 7d): 30m, 24h, 7d, today, 2026-11-01, or an ISO time
  --kind KIND    only these kinds: ${alertKinds.join(', ')}
  --limit N      at most N alerts (default 100)
  --dry-run      check without recording or posting anything
  --store LOC    sqlite:PATH, a file path, or postgres://… (default: the config's store, else
                 ${defaultStoreLocation})
  --config FILE  config file (default ./frugal.yaml if present)
  --json         machine-readable output`;

/** `frugal alerts [list|check]`. */
export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'check budgets and anomalies; list recorded alerts',
  help,
  async run(args, io) {
    const action = args[0] === 'check' || args[0] === 'list' ? args[0] : 'list';
    const rest = args[0] === action ? args.slice(1) : args;
    const { values } = parseCommandArgs(
      'alerts',
      rest,
      {
        since: { type: 'string' },
        kind: { type: 'string', multiple: true },
        limit: { type: 'string' },
        'dry-run': { type: 'boolean' },
        store: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
      },
      { maxPositionals: 0 },
    );
    const kinds = (values.kind ?? []).map((kind) => {
      if (!(alertKinds as readonly string[]).includes(kind)) {
        throw new UsageError(`frugal alerts: --kind must be one of ${alertKinds.join(', ')}, got '${kind}'`);
      }
      return kind as AlertKind;
    });
    const now = io.now();
    const where = await ledgerLocation(io, values);
    const store = await openLedger(io, 'alerts', where, true);
    if (store === undefined) return 1;
    try {
      if (action === 'list') {
        const timeZone = where.config?.timeZone ?? 'UTC';
        const from = parseTimeBound(values.since ?? '7d', now, '--since', timeZone);
        const limit = values.limit === undefined ? 100 : integerOption('alerts', 'limit', values.limit, 1);
        const alerts = await store.listAlerts({ from, ...(kinds.length > 0 ? { kinds } : {}), limit });
        io.stdout(values.json ? json(alerts) : listing(alerts, values.since ?? '7d'));
        return 0;
      }
      const dryRun = values['dry-run'] === true;
      const { budgets } = budgetsInForce(where.config?.budgets ?? [], await store.listBudgets());
      const budgetCheck = await checkBudgets(
        store,
        budgets.map((entry) => entry.budget),
        now,
        { record: !dryRun },
      );
      const anomalies = await detectAnomalies(store, {
        now,
        timeZone: where.config?.timeZone ?? 'UTC',
        settings: withAnomalyDefaults(where.config?.anomalies),
      });
      const fresh: Alert[] = [...budgetCheck.alerts];
      for (const alert of anomalies) if (dryRun || (await store.recordAlert(alert))) fresh.push(alert);
      if (!dryRun) {
        const channels: AlertChannel[] = (where.config?.alerts.webhooks ?? []).map((hook) =>
          webhookChannel(hook),
        );
        const dispatcher = createAlertDispatcher(channels, (error) =>
          io.stderr(`frugal alerts: ${error.message}\n`),
        );
        for (const alert of fresh) dispatcher.dispatch(alert);
        await dispatcher.settled();
      }
      io.stdout(
        values.json
          ? json(fresh)
          : fresh.length === 0
            ? `No new alerts (${budgets.length} budget(s) and 5 anomaly detectors checked).\n`
            : `${fresh.length} new alert(s)${dryRun ? ' (dry run: not recorded or posted)' : ''}:\n${fresh.map((alert) => `  ${alertLine(alert)}`).join('\n')}\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};

function json(alerts: readonly Alert[]): string {
  return `${JSON.stringify({ alerts: alerts.map((alert) => ({ ...alert, time: new Date(alert.time).toISOString() })) }, null, 2)}\n`;
}

function listing(alerts: readonly Alert[], since: string): string {
  if (alerts.length === 0) {
    return `No alerts since ${since}. Run 'frugal alerts check' to judge budgets and anomalies now.\n`;
  }
  const rows = alerts.map((alert) => [
    new Date(alert.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    alert.severity,
    alert.kind,
    alert.message,
  ]);
  return `${renderTable(['time', 'severity', 'kind', 'message'], rows, ['left', 'left', 'left', 'left'])}\n`;
}
