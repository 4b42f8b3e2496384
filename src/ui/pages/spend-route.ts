import type { Alert } from '../../core/alerts/alert.js';
import type { GatewaySavings, SavingsQuery } from '../../core/spans/gateway-savings.js';
import type { SpendQuery, SpendRow } from '../../core/spans/spend-query.js';
import { renderChartSvg } from '../charts/render-chart.js';
import { escapeHtml } from '../report/report-html.js';
import { type AnomalyView, type BudgetView, budgetsSection } from './budgets-section.js';
import { savingsSection } from './savings-section.js';
import { spendBody, spendChartSpec } from './spend-page.js';
import {
  isProblem,
  type ParameterProblem,
  parseSpendView,
  type SpendView,
  spendParams,
  spendRange,
} from './spend-view.js';

/** What the spend page reads (part of the dashboard's `UiData` port). */
export interface SpendData {
  spend(query: SpendQuery): Promise<SpendRow[]>;
  /** The gateway cache's hits and the router's redirected requests, with the spend filters. */
  savings(query: SavingsQuery): Promise<GatewaySavings>;
  /** Budgets in force with their current period's spend. */
  budgets(): Promise<BudgetView[]>;
  /** The latest recorded alerts, newest first. */
  alerts(limit: number): Promise<Alert[]>;
  /** Anomalies detected now, by the same code as `frugal alerts check` (nothing is recorded). */
  anomalies(): Promise<Alert[]>;
}

/** A rendered page: its status, title and body. */
export type PageParts = { readonly status: number; readonly title: string; readonly body: string };

function badRequest(problem: ParameterProblem, home: string): PageParts {
  return {
    status: 400,
    title: 'Bad request',
    body: `<h1>Bad request</h1><p id="bad-parameter" data-parameter="${escapeHtml(problem.parameter)}">The parameter <code>${escapeHtml(problem.parameter)}</code> should be ${escapeHtml(problem.expected)}; it was <code>${escapeHtml(problem.found)}</code>.</p><p><a href="${escapeHtml(home)}">Spend with the defaults</a></p>`,
  };
}

/**
 * `/spend?by=&days=&from=&to=&model=&feature=&user=&key=&tag=…`: totals, the stacked chart and top groups under
 * the filters, the gateway's savings under the same filters, then budgets, alerts and anomalies (which are the
 * whole ledger's). A parameter it cannot use answers a 400 page naming it.
 */
export async function spendPage(
  data: SpendData,
  params: URLSearchParams,
  now: number,
  token: string | undefined,
): Promise<PageParts> {
  const link = (view: SpendView) => {
    const query = spendParams(view);
    if (token) query.set('token', token);
    return `/spend?${query}`;
  };
  const home = token ? `/spend?token=${encodeURIComponent(token)}` : '/spend';
  const view = parseSpendView(params);
  if (isProblem(view)) return badRequest(view, home);
  const range = spendRange(view, now);
  if (isProblem(range)) return badRequest(range, home);
  const scope = { from: range.from, to: range.to, filters: view.filters };
  const [daily, top, totals, savings, budgets, alerts, anomalies] = await Promise.all([
    data.spend({ ...scope, groupBy: [view.by], bucket: 'day', limit: 8 }),
    data.spend({ ...scope, groupBy: [view.by], limit: 20 }),
    data.spend(scope),
    data.savings(scope),
    data.budgets(),
    data.alerts(20),
    data
      .anomalies()
      .catch((error: unknown): AnomalyView => (error instanceof Error ? error : new Error(String(error)))),
  ]);
  const svg = top.length === 0 ? '' : await renderChartSvg(spendChartSpec(view, range, daily));
  const body =
    spendBody({ view, range, top, total: totals[0], chartSvg: svg, link, token }) +
    savingsSection(savings, range.label) +
    budgetsSection(budgets, alerts, anomalies);
  return { status: 200, title: 'Spend', body };
}
