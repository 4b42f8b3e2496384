import type { Alert } from '../../core/alerts/alert.js';
import { dollarsText, spendDollarsText } from '../../core/analysis/dollars-text.js';
import type { Picodollars } from '../../core/money.js';
import { escapeHtml } from '../report/report-html.js';

/** A budget in force, with its spend in the current period (computed by the control code, handed over). */
export type BudgetView = {
  readonly id: string;
  readonly scope: string;
  readonly period: string;
  readonly limit: Picodollars;
  readonly spent: Picodollars;
  readonly unpricedCalls: number;
  readonly hard: boolean;
  /** Epoch ms when the period resets. */
  readonly resetsAt: number;
};

/** Whole percent of the limit spent, for the bar (exact integer division; capped at 100 for the width). */
const percent = (spent: Picodollars, limit: Picodollars) =>
  limit === 0n ? 100 : Number((spent * 100n) / limit);

const minute = (time: number) => new Date(time).toISOString().replace('T', ' ').slice(0, 16);

/**
 * Anomalies found now by the same detectors as `frugal alerts check` (spend spikes, retry storms and error
 * loops, prompt regressions, eval sprawl), over the whole ledger; each marked recorded when an alert with its
 * id is among the latest alerts, else new (`frugal alerts check` records and delivers it). An Error when
 * detection failed (a bad threshold in the config): said, not thrown.
 */
export type AnomalyView = readonly Alert[] | Error;

function anomaliesHtml(anomalies: AnomalyView, alerts: readonly Alert[]): string {
  if (anomalies instanceof Error) {
    return `<p class="fail" id="anomaly-error">Anomaly detection failed: ${escapeHtml(anomalies.message)}</p>`;
  }
  if (anomalies.length === 0) {
    return '<p class="meta" id="no-anomalies">No anomalies right now: no spend spike, retry storm, error loop, prompt regression or eval sprawl (the detectors and thresholds of <code>frugal alerts check</code>, judged at most once a minute).</p>';
  }
  const recorded = new Set(alerts.map((alert) => alert.id));
  return `<p class="meta">Judged ${minute(anomalies[0]!.time)} UTC over the whole ledger (at most once a minute).</p><table id="anomalies" class="sortable"><thead><tr><th>kind</th><th>anomaly</th><th>alert</th></tr></thead><tbody>${anomalies
    .map(
      (anomaly) =>
        `<tr data-kind="${escapeHtml(anomaly.kind)}"><td>${escapeHtml(anomaly.kind)} · ${escapeHtml(anomaly.severity)}</td><td>${escapeHtml(anomaly.message)}</td><td>${recorded.has(anomaly.id) ? 'recorded' : '<span class="fail">new</span> — <code>frugal alerts check</code> records and sends it'}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

/** Budgets with progress bars, then the latest alerts (budget thresholds and anomalies) and the anomalies now. */
export function budgetsSection(
  budgets: readonly BudgetView[],
  alerts: readonly Alert[],
  anomalies: AnomalyView = [],
): string {
  const rows = budgets
    .map((budget) => {
      const share = percent(budget.spent, budget.limit);
      const tone = share >= 100 ? '#cf222e' : share >= 80 ? '#bf8700' : '#1a7f37';
      return `<tr class="budget" data-budget="${escapeHtml(budget.id)}"><td>${escapeHtml(budget.id)}<br><span class="meta">${escapeHtml(budget.scope)} · per ${escapeHtml(budget.period)} · ${budget.hard ? 'hard limit' : 'soft (alerts only)'}</span></td>
<td class="num">${escapeHtml(spendDollarsText(budget.spent))} of ${escapeHtml(dollarsText(budget.limit))}${budget.unpricedCalls > 0 ? `<br><span class="fail">+ ${budget.unpricedCalls} unpriced calls</span>` : ''}</td>
<td style="width:40%"><div class="bar" role="progressbar" aria-valuenow="${share}" aria-valuemin="0" aria-valuemax="100" style="background:#eaeef2;border-radius:4px;height:12px"><div style="width:${Math.min(100, share)}%;background:${tone};height:12px;border-radius:4px"></div></div><span class="meta">${share}% · resets ${minute(budget.resetsAt)} UTC</span></td></tr>`;
    })
    .join('');
  const budgetHtml =
    budgets.length === 0
      ? '<p class="meta" id="no-budgets">No budgets. Set one with <code>npx frugal budgets set --scope global --period day --limit 20 --hard</code>.</p>'
      : `<table id="budgets"><thead><tr><th>budget</th><th class="num">spent this period</th><th>progress</th></tr></thead><tbody>${rows}</tbody></table>`;
  const alertHtml =
    alerts.length === 0
      ? '<p class="meta">No alerts recorded.</p>'
      : `<table id="alerts" class="sortable"><thead><tr><th>time (UTC)</th><th>kind</th><th>alert</th></tr></thead><tbody>${alerts
          .map(
            (alert) =>
              `<tr><td>${minute(alert.time)}</td><td>${escapeHtml(alert.kind)} · ${escapeHtml(alert.severity)}</td><td>${escapeHtml(alert.message)}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<h2>Budgets</h2>${budgetHtml}<h2>Alerts</h2>${alertHtml}<h2>Anomalies now</h2>${anomaliesHtml(anomalies, alerts)}`;
}
