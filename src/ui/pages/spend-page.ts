import { dollarsText } from '../../core/analysis/dollars-text.js';
import { usdToNumber } from '../../core/money.js';
import { type SpendDimension, type SpendRow, spendDimensions } from '../../core/spans/spend-query.js';
import { escapeHtml } from '../report/report-html.js';

/** What the spend page shows: by which dimension, over how many days. */
export type SpendView = { readonly by: SpendDimension; readonly days: number };

/** Reads `?by=` and `?days=` (defaults: model, 30); unknown values fall back to the defaults. */
export function spendView(params: URLSearchParams): SpendView {
  const by = params.get('by');
  const days = Number(params.get('days'));
  return {
    by: spendDimensions.includes(by as SpendDimension) ? (by as SpendDimension) : 'model',
    days: Number.isInteger(days) && days >= 1 && days <= 366 ? days : 30,
  };
}

const label = (value: string | null) => value ?? '(none)';

/** Spend per day stacked by the view's dimension (the top groups), as a Vega-Lite spec. */
export function spendChartSpec(view: SpendView, daily: readonly SpendRow[]): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Spend per day by ${view.by}, last ${view.days} days`,
    width: 640,
    height: 240,
    data: {
      values: daily.map((row) => ({
        day: row.bucketStart,
        group: label(row.group[0] ?? null),
        cost: usdToNumber(row.cost),
      })),
    },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'day', type: 'temporal', timeUnit: 'utcyearmonthdate', title: 'day (UTC)' },
      y: { field: 'cost', type: 'quantitative', aggregate: 'sum', title: 'USD', stack: 'zero' },
      color: { field: 'group', type: 'nominal', title: view.by },
      tooltip: [
        { field: 'group' },
        { field: 'day', type: 'temporal', timeUnit: 'utcyearmonthdate' },
        { field: 'cost', format: '.4f' },
      ],
    },
  };
}

/** The spend page: the stacked chart, the top groups with exact totals, and links to the other dimensions. */
export function spendBody(
  view: SpendView,
  top: readonly SpendRow[],
  chartSvg: string,
  link: (view: SpendView) => string,
): string {
  const tabs = spendDimensions
    .map((dimension) =>
      dimension === view.by
        ? `<b>${dimension}</b>`
        : `<a href="${escapeHtml(link({ ...view, by: dimension }))}">${dimension}</a>`,
    )
    .join(' · ');
  const ranges = [1, 7, 30, 90]
    .map((days) =>
      days === view.days
        ? `<b>${days} d</b>`
        : `<a href="${escapeHtml(link({ ...view, days }))}">${days} d</a>`,
    )
    .join(' · ');
  if (top.length === 0) {
    return `<h1>Spend</h1><p class="meta">by ${tabs} · ${ranges}</p><p id="empty">No calls recorded in the last ${view.days} days. Trace a client, run <code>npx frugal gateway</code> or <code>npx frugal demo</code>, then reload.</p>`;
  }
  const rows = top
    .map(
      (row) =>
        `<tr><td>${escapeHtml(label(row.group[0] ?? null))}</td><td class="num">${escapeHtml(dollarsText(row.cost))}</td><td class="num">${row.calls.toLocaleString('en-US')}</td><td class="num">${row.unpricedCalls > 0 ? `<span class="fail">${row.unpricedCalls} unpriced</span>` : '0'}</td><td class="num">${row.tokens.input.toLocaleString('en-US')}</td><td class="num">${row.tokens.output.toLocaleString('en-US')}</td></tr>`,
    )
    .join('');
  return `<h1>Spend</h1><p class="meta">by ${tabs} · ${ranges}</p>
<div class="chart" id="spend-chart">${chartSvg}</div>
<table id="spend"><thead><tr><th>${escapeHtml(view.by)}</th><th class="num">cost</th><th class="num">calls</th><th class="num">unpriced</th><th class="num">input tokens</th><th class="num">output tokens</th></tr></thead><tbody>${rows}</tbody></table>
<p class="meta">Exact totals from the ledger; unpriced calls are counted apart, never as $0.</p>`;
}
