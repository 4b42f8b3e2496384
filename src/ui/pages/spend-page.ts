import { spendDollarsText } from '../../core/analysis/dollars-text.js';
import { formatUsd, usdToNumber } from '../../core/money.js';
import { type SpendRow, spendDimensions } from '../../core/spans/spend-query.js';
import { escapeHtml } from '../report/report-html.js';
import { spendFilters, type ViewLink } from './spend-filters.js';
import { activeFilters, type SpendRange, type SpendView } from './spend-view.js';

const label = (value: string | null) => value ?? '(none)';
const count = (value: number) => value.toLocaleString('en-US');

/** Spend per day stacked by the view's dimension (the top groups), as a Vega-Lite spec. */
export function spendChartSpec(
  view: SpendView,
  range: SpendRange,
  daily: readonly SpendRow[],
): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Spend per day by ${view.by}, ${range.label}`,
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

/** The range's totals under the filters: exact cost, calls, and the calls that are unpriced or failed. */
function totalLine(total: SpendRow | undefined, range: SpendRange): string {
  const cost = total?.cost ?? 0n;
  const calls = total?.calls ?? 0;
  const unpriced = total?.unpricedCalls ?? 0;
  return `<p id="spend-total" data-cost-picos="${cost}" data-calls="${calls}">Total ${escapeHtml(range.label)}: <b>$${escapeHtml(formatUsd(cost))}</b> over ${count(calls)} ${calls === 1 ? 'call' : 'calls'}${unpriced > 0 ? ` · <span class="fail">${count(unpriced)} unpriced</span>` : ''}${total && total.errorCalls > 0 ? ` · ${count(total.errorCalls)} failed` : ''}</p>`;
}

/**
 * The spend page's main part: dimension tabs and quick ranges, the filter form and chips, the total, the
 * stacked chart, and the top groups with exact totals (each group a link that filters to it).
 */
export function spendBody(options: {
  readonly view: SpendView;
  readonly range: SpendRange;
  readonly top: readonly SpendRow[];
  readonly total: SpendRow | undefined;
  readonly chartSvg: string;
  readonly link: ViewLink;
  readonly token: string | undefined;
}): string {
  const { view, range, top, total, chartSvg, link } = options;
  const tabs = spendDimensions
    .map((dimension) =>
      dimension === view.by
        ? `<b>${dimension}</b>`
        : `<a href="${escapeHtml(link({ ...view, by: dimension }))}">${dimension}</a>`,
    )
    .join(' · ');
  const quick = view.fromDay === undefined && view.toDay === undefined;
  const ranges = [1, 7, 30, 90]
    .map((days) =>
      quick && days === view.days
        ? `<b>${days} d</b>`
        : `<a href="${escapeHtml(link({ ...view, days, fromDay: undefined, toDay: undefined }))}">${days} d</a>`,
    )
    .join(' · ');
  const head = `<h1>Spend</h1><p class="meta">by ${tabs} · ${ranges}</p>${spendFilters(view, link, options.token)}`;
  if (top.length === 0) {
    const filtered = activeFilters(view).length > 0;
    return `${head}<p id="empty">${
      filtered
        ? `No calls match these filters, ${escapeHtml(range.label)}. Remove a filter above, or widen the range.`
        : `No calls recorded, ${escapeHtml(range.label)}. Trace a client, run <code>npx frugal gateway</code> or <code>npx frugal demo</code>, then reload.`
    }</p>`;
  }
  const filtered = new Set(view.filters[view.by] ?? []);
  const groupCell = (value: string | null) =>
    value === null || filtered.has(value)
      ? escapeHtml(label(value))
      : `<a class="add-filter" href="${escapeHtml(link({ ...view, filters: { ...view.filters, [view.by]: [...filtered, value] } }))}" title="only ${escapeHtml(view.by)} ${escapeHtml(value)}">${escapeHtml(value)}</a>`;
  const rows = top
    .map((row) => {
      const value = row.group[0] ?? null;
      return `<tr><td data-sort="${escapeHtml(label(value))}">${groupCell(value)}</td><td class="num" data-sort="${row.cost}">${escapeHtml(spendDollarsText(row.cost))}</td><td class="num" data-sort="${row.calls}">${count(row.calls)}</td><td class="num" data-sort="${row.unpricedCalls}">${row.unpricedCalls > 0 ? `<span class="fail">${row.unpricedCalls} unpriced</span>` : '0'}</td><td class="num" data-sort="${row.tokens.input}">${count(row.tokens.input)}</td><td class="num" data-sort="${row.tokens.output}">${count(row.tokens.output)}</td></tr>`;
    })
    .join('');
  return `${head}${totalLine(total, range)}
<div class="chart" id="spend-chart">${chartSvg}</div>
<table id="spend" class="sortable"><thead><tr><th>${escapeHtml(view.by)}</th><th class="num">cost</th><th class="num">calls</th><th class="num">unpriced</th><th class="num">input tokens</th><th class="num">output tokens</th></tr></thead><tbody>${rows}</tbody></table>
<p class="meta">Exact totals from the ledger; unpriced calls are counted apart, never as $0. Top ${top.length} groups; a group's name filters to it.</p>`;
}
