import { spendDimensions } from '../../core/spans/spend-query.js';
import { escapeHtml } from '../report/report-html.js';
import { activeFilters, maxDays, type SpendView } from './spend-view.js';

/** How the page links to another view (the server adds the token when there is one). */
export type ViewLink = (view: SpendView) => string;

const style = `<style>
#spend-filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;margin:12px 0;padding:10px;background:#f6f8fa;border-radius:6px}
#spend-filters label{display:flex;flex-direction:column;font-size:12px;color:#59636e}
#spend-filters input{font:inherit;padding:3px 6px;border:1px solid #d1d9e0;border-radius:4px;width:11em}
#spend-filters input[type=number]{width:5em}
#filter-chips{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:6px}
.chip{background:#ddf4ff;border:1px solid #54aeff;border-radius:12px;padding:1px 4px 1px 10px}
.chip a{text-decoration:none;padding:0 6px;color:#0969da;font-weight:600}
</style>`;

/** The view with one filter value removed (the dimension dropped when it was its last value). */
function without(view: SpendView, dimension: keyof SpendView['filters'], value: string): SpendView {
  const rest = (view.filters[dimension] ?? []).filter((each) => each !== value);
  const filters = { ...view.filters };
  if (rest.length === 0) delete filters[dimension];
  else filters[dimension] = rest;
  return { ...view, filters };
}

/**
 * The filters as a plain GET form (submitting it is navigating to the shareable URL; no script needed) and
 * as chips, each with a link that removes it. A dimension with one value is edited in its field; with
 * several, they travel as hidden fields (remove them by their chips) and the field adds one more.
 */
export function spendFilters(view: SpendView, link: ViewLink, token: string | undefined): string {
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
  const fields = spendDimensions
    .map((dimension) => {
      const values = view.filters[dimension] ?? [];
      const kept = values.length > 1 ? values.map((value) => hidden(dimension, value)).join('') : '';
      const shown = values.length === 1 ? values[0]! : '';
      const placeholder = values.length > 1 ? 'add another' : 'any';
      return `${kept}<label>${dimension}<input type="text" name="${dimension}" value="${escapeHtml(shown)}" placeholder="${placeholder}"></label>`;
    })
    .join('');
  const form = `<form id="spend-filters" method="get" action="/spend">${hidden('by', view.by)}${token ? hidden('token', token) : ''}
<label>from (UTC)<input type="date" name="from" value="${escapeHtml(view.fromDay ?? '')}"></label>
<label>to (UTC)<input type="date" name="to" value="${escapeHtml(view.toDay ?? '')}"></label>
<label>or last N days<input type="number" name="days" min="1" max="${maxDays}" value="${view.days}"></label>
${fields}<button type="submit">Apply</button></form>`;

  const chips: string[] = [];
  if (view.fromDay !== undefined || view.toDay !== undefined) {
    const text = `${view.fromDay ?? '…'} to ${view.toDay ?? 'now'}`;
    chips.push(
      `<li class="chip" data-filter="range">days: ${escapeHtml(text)}<a href="${escapeHtml(link({ ...view, fromDay: undefined, toDay: undefined }))}" aria-label="remove the date range" title="remove">×</a></li>`,
    );
  }
  for (const { dimension, values } of activeFilters(view)) {
    for (const value of values) {
      chips.push(
        `<li class="chip" data-filter="${dimension}">${dimension}: ${escapeHtml(value)}<a href="${escapeHtml(link(without(view, dimension, value)))}" aria-label="remove ${dimension} ${escapeHtml(value)}" title="remove">×</a></li>`,
      );
    }
  }
  const clear =
    chips.length > 1
      ? `<li><a id="clear-filters" href="${escapeHtml(link({ by: view.by, days: view.days, filters: {} }))}">clear all</a></li>`
      : '';
  const chipList = chips.length === 0 ? '' : `<ul id="filter-chips">${chips.join('')}${clear}</ul>`;
  return `${style}${form}${chipList}`;
}
