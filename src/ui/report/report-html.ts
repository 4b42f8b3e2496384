import { dollarsText, perQueryDollarsText } from '../../core/analysis/dollars-text.js';
import { formatUsd, type Picodollars } from '../../core/money.js';
import type { ExperimentReport, ReportAnswer, ReportCandidate } from './experiment-report.js';

/** Text made safe for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const money = (amount: Picodollars | undefined, small = true) =>
  amount === undefined
    ? '<span class="na">unpriced</span>'
    : escapeHtml(small ? perQueryDollarsText(amount) : dollarsText(amount));
const number = (value: number | undefined, digits = 2) => (value === undefined ? '—' : value.toFixed(digits));

const style = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#1f2328}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}.meta{color:#59636e}
.simulated{background:#fff4e5;border:1px solid #f0b35a;padding:8px 12px;border-radius:6px;margin:12px 0}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d1d9e0;padding:6px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}tr.best td:first-child{font-weight:600}
.pareto{color:#1f6feb;font-weight:600}.na{color:#9aa0a6}.chart{margin:12px 0}.chart svg{max-width:100%;height:auto}
details{border:1px solid #d1d9e0;border-radius:6px;margin:8px 0;padding:6px 10px}summary{cursor:pointer;font-weight:600}
.answers{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:10px;margin-top:8px}
.answer{background:#f6f8fa;border-radius:6px;padding:8px}.answer pre{white-space:pre-wrap;margin:6px 0;font:13px/1.4 ui-monospace,monospace}
.simulated-label,.estimated-label{font-size:11px;border-radius:4px;padding:0 5px;background:#fff4e5;color:#9a6700;border:1px solid #f0b35a}
.pass{color:#1a7f37}.fail{color:#cf222e}.rationale{color:#59636e;font-size:12px}
.checks{margin:2px 0 4px;padding-left:16px;font-size:12px;list-style:none}.checks li{margin:0}`;

function comparisonTable(report: ExperimentReport): string {
  const head = [
    'candidate',
    ...report.scorers.map((scorer) => `${escapeHtml(scorer)} (95% CI)`),
    'tokens in / out',
    'cost',
    'judge cost',
    'per answer',
    `cost per ${escapeHtml(report.primary)} point`,
    ...(report.monthlyVolume === undefined
      ? []
      : [`monthly @ ${report.monthlyVolume.toLocaleString('en-US')}`]),
    'p50 latency',
    'Pareto',
  ];
  const row = (candidate: ReportCandidate) => {
    const cells = [
      `${escapeHtml(candidate.name)}${candidate.model ? `<br><span class="meta">${escapeHtml(candidate.model)}</span>` : ''}`,
      ...report.scorers.map((scorer) => {
        const score = candidate.scores[scorer];
        return score?.mean === undefined
          ? '—'
          : `${number(score.mean)} [${number(score.low)}, ${number(score.high)}]`;
      }),
      `${candidate.tokens.input.toLocaleString('en-US')} / ${candidate.tokens.output.toLocaleString('en-US')}`,
      money(candidate.cost),
      money(candidate.judgeCost),
      money(candidate.costPerAnswer),
      money(candidate.costPerQualityPoint),
      ...(report.monthlyVolume === undefined ? [] : [money(candidate.monthlyCost, false)]),
      candidate.latencyP50Ms === undefined ? '—' : `${Math.round(candidate.latencyP50Ms)} ms`,
      candidate.pareto ? '<span class="pareto">★ optimal</span>' : '<span class="na">dominated</span>',
    ];
    const numeric = (index: number) => index > 0 && index < cells.length - 1;
    return `<tr class="${candidate.name === report.best ? 'best' : ''}" data-candidate="${escapeHtml(candidate.name)}">${cells
      .map((cell, index) => `<td${numeric(index) ? ' class="num"' : ''}>${cell}</td>`)
      .join('')}</tr>`;
  };
  return `<table id="comparison"><thead><tr>${head.map((cell, index) => `<th${index > 0 && index < head.length - 1 ? ' class="num"' : ''}>${cell}</th>`).join('')}</tr></thead><tbody>${report.candidates.map(row).join('')}</tbody></table>`;
}

function recommendation(report: ExperimentReport): string {
  const lines = [
    report.best && `Best ${escapeHtml(report.primary)}: <b>${escapeHtml(report.best)}</b>.`,
    report.cheapestNotWorse &&
      `Cheapest not significantly worse than the best: <b>${escapeHtml(report.cheapestNotWorse)}</b>.`,
    report.qualityBar !== undefined &&
      (report.cheapestMeetingBar
        ? `Cheapest reaching the bar of ${report.qualityBar}: <b>${escapeHtml(report.cheapestMeetingBar)}</b>.`
        : `No candidate reaches the bar of ${report.qualityBar}.`),
  ].filter(Boolean);
  return `<p id="recommendation">${lines.join(' ')}</p>`;
}

/** How trace ids show: plain text in a file, links in the dashboard. */
export type TraceLink = (traceId: string) => string | undefined;

/**
 * A scorer's per-item verdicts, when its details carry them: the facts a correctness judge or fact coverage
 * checked (`facts: [{ fact, supported }]`), the requests a completeness judge checked (`requests: [{ request,
 * addressed }]`).
 */
function checksHtml(details: Readonly<Record<string, unknown>> | undefined): string {
  const items: { text: string; ok: boolean }[] = [];
  for (const [list, textKey, okKey] of [
    ['facts', 'fact', 'supported'],
    ['requests', 'request', 'addressed'],
  ] as const) {
    const entries = details?.[list];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as Record<string, unknown>[]) {
      if (typeof entry?.[textKey] === 'string' && typeof entry[okKey] === 'boolean')
        items.push({ text: entry[textKey], ok: entry[okKey] });
    }
  }
  if (items.length === 0) return '';
  const item = ({ text, ok }: { text: string; ok: boolean }) =>
    `<li class="check ${ok ? 'pass' : 'fail'}">${ok ? '✓' : '✗'} ${escapeHtml(text)}</li>`;
  return `<ul class="checks">${items.map(item).join('')}</ul>`;
}

function answerHtml(name: string, answer: ReportAnswer | undefined, traceLink: TraceLink): string {
  if (answer === undefined)
    return `<div class="answer"><b>${escapeHtml(name)}</b><p class="na">no answer</p></div>`;
  const scores = Object.entries(answer.scores)
    .map(([scorer, score]) => {
      const value = score.value;
      const shown =
        value === undefined ? '—' : typeof value === 'boolean' ? (value ? 'pass' : 'fail') : value.toFixed(2);
      const css = value === true ? 'pass' : value === false ? 'fail' : '';
      return `<div><span class="${css}">${escapeHtml(scorer)}: ${shown}</span>${score.rationale ? ` <span class="rationale">${escapeHtml(score.rationale)}</span>` : ''}${checksHtml(score.details)}</div>`;
    })
    .join('');
  const body =
    answer.error === undefined
      ? `<pre>${escapeHtml(answer.output ?? '')}</pre>`
      : `<p class="fail">${escapeHtml(answer.error)}</p>`;
  const href = answer.traceId === undefined ? undefined : traceLink(answer.traceId);
  const traceText =
    answer.traceId === undefined
      ? ''
      : href === undefined
        ? escapeHtml(answer.traceId)
        : `<a class="trace" href="${escapeHtml(href)}">${escapeHtml(answer.traceId)}</a>`;
  const trace = answer.traceId ? `<div class="meta">trace ${traceText} · ${money(answer.cost)}</div>` : '';
  return `<div class="answer"><b>${escapeHtml(name)}</b>${body}${scores}${trace}</div>`;
}

/** The report's content: header, comparison, recommendation, chart and questions (no document around it). */
export function reportBody(
  report: ExperimentReport,
  chartSvg: string,
  traceLink: TraceLink = () => undefined,
): string {
  const questions = report.questions
    .map(
      (question, index) =>
        `<details class="question" id="q-${escapeHtml(question.rowId)}"${index === 0 ? ' open' : ''}><summary>${escapeHtml(question.question)}</summary><div class="answers">${report.candidates
          .map((candidate) => answerHtml(candidate.name, question.answers[candidate.name], traceLink))
          .join('')}</div></details>`,
    )
    .join('\n');
  const totals = report.candidates.reduce<Picodollars | undefined>(
    (sum, candidate) =>
      sum === undefined || candidate.cost === undefined
        ? undefined
        : sum + candidate.cost + (candidate.judgeCost ?? 0n),
    0n,
  );
  return `<h1>${escapeHtml(report.experiment)}</h1>
<div class="meta">${report.candidates.length} candidates · ${report.questions.length} questions · primary scorer ${escapeHtml(report.primary)} · spent ${totals === undefined ? 'unpriced calls included' : `$${escapeHtml(formatUsd(totals))}`} · made ${escapeHtml(report.generatedAt)} by frugal</div>
${report.simulated ? '<div class="simulated" id="simulated"><b>SIMULATED.</b> Some candidates or judges are frugal’s offline simulator: these are not a real model’s results.</div>' : ''}
<h2>Comparison</h2>
${comparisonTable(report)}
${recommendation(report)}
<h2>Cost vs quality</h2>
<div class="chart" id="pareto-chart">${chartSvg}</div>
<h2>Questions</h2>
${questions}`;
}

/** A complete HTML document around `body`, with the shared style; no script, no network. */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body>
${body}
</body></html>
`;
}

/** The whole report as one self-contained HTML page: no script, no network, the chart inline as SVG. */
export function reportHtml(report: ExperimentReport, chartSvg: string): string {
  return htmlDocument(`${report.experiment} — frugal report`, reportBody(report, chartSvg));
}
