import { formatUsd } from '../../core/money.js';
import type { Span } from '../../core/spans/span.js';
import { escapeHtml } from '../report/report-html.js';

const count = (value: number | undefined) => (value === undefined ? '—' : value.toLocaleString('en-US'));

/** Spans ordered as a tree (parents before children, siblings by start time), each with its depth. */
export function spanTree(spans: readonly Span[]): { span: Span; depth: number }[] {
  const ids = new Set(spans.map((span) => span.id));
  const children = new Map<string | undefined, Span[]>();
  for (const span of spans) {
    const parent = span.parentId !== undefined && ids.has(span.parentId) ? span.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered: { span: Span; depth: number }[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) => a.startTime - b.startTime)) {
      ordered.push({ span, depth });
      walk(span.id, depth + 1);
    }
  };
  walk(undefined, 0);
  return ordered;
}

function costCell(span: Span): string {
  if (span.cost === undefined) return '<span class="na">—</span>';
  if (span.cost.status === 'unpriced')
    return `<span class="fail" title="${escapeHtml(span.cost.message)}">unpriced (${escapeHtml(span.cost.reason)})</span>`;
  return `$${escapeHtml(formatUsd(span.cost.total))}<br><span class="meta">${escapeHtml(span.cost.priceId)}</span>`;
}

/**
 * One trace: its spans as a tree, each with model, tokens (input, cached input, cache writes, output,
 * reasoning), exact cost and the price entry it came from, latency and time to first token, status and
 * attributes. Estimated usage and simulated models are labelled.
 */
export function traceBody(traceId: string, spans: readonly Span[]): string {
  const rows = spanTree(spans)
    .map(({ span, depth }) => {
      const usage = span.usage;
      const labels = [
        span.simulated ? '<span class="simulated-label">simulated</span>' : '',
        span.usageEstimated ? '<span class="estimated-label">estimated</span>' : '',
      ].join(' ');
      const attributes = Object.entries(span.attributes)
        .map(([key, value]) => `${escapeHtml(key)}=${escapeHtml(String(value))}`)
        .join('<br>');
      return `<tr class="span" data-span="${escapeHtml(span.id)}"><td style="padding-left:${8 + depth * 18}px">${escapeHtml(span.name)} ${labels}<br><span class="meta">${escapeHtml(span.kind)} · ${escapeHtml(span.status)}${span.error ? ` · ${escapeHtml(span.error.message)}` : ''}</span></td>
<td>${escapeHtml(span.responseModel ?? span.requestModel ?? '')}<br><span class="meta">${escapeHtml(span.provider ?? '')}</span></td>
<td class="num">${count(usage?.input)}</td><td class="num">${count(usage?.cachedInput)}</td><td class="num">${count(usage?.cacheWrite)}</td><td class="num">${count(usage?.output)}</td><td class="num">${count(usage?.reasoning)}</td>
<td class="num">${costCell(span)}</td><td class="num">${Math.round(span.durationMs)} ms${span.timeToFirstTokenMs === undefined ? '' : `<br><span class="meta">TTFT ${Math.round(span.timeToFirstTokenMs)} ms</span>`}</td>
<td class="attributes">${attributes}</td></tr>`;
    })
    .join('\n');
  return `<h1>Trace ${escapeHtml(traceId)}</h1>
<div class="meta">${spans.length} spans</div>
<table id="spans"><thead><tr><th>span</th><th>model</th><th class="num">input</th><th class="num">cached</th><th class="num">cache write</th><th class="num">output</th><th class="num">reasoning</th><th class="num">cost</th><th class="num">latency</th><th>attributes</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}
