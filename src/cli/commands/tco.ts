import { parseDocument } from '../../config/parse-document.js';
import { dollarsText, perQueryDollarsText } from '../../core/analysis/dollars-text.js';
import { formatRational, rational } from '../../core/analysis/rational.js';
import { computeTco, type TcoReport } from '../../core/analysis/tco.js';
import { parseTcoConfig } from '../../core/analysis/tco-config.js';
import { UsageError } from '../../core/errors.js';
import { divideRoundHalfEven, formatUsd } from '../../core/money.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { renderTable } from '../table.js';

const help = `usage: frugal tco <file.yaml|file.json|-> [--json]

Total cost of ownership of an LLM feature per month, in five categories (API / inference,
infrastructure, engineering, quality / eval, operational): each category's line items, its
monthly total and share, the total, the cost per query and the queries per month.

The file (YAML or JSON, see examples/tco.yaml for every key):
  queries_per_day: 10000        or queries_per_month: 300000
  days_per_month: 30            optional; 30 as in the textbook
  api:                          input_tokens_per_query, output_tokens_per_query,
                                prices_per (1K or 1M), input_price, output_price,
                                optional cached_input_share + cached_input_price, fixed: {...}
  infrastructure / engineering / quality / operational:
                                named line items: dollars per month, or { hours, hourly_rate }

Amounts are exact decimals: no floating point touches a dollar. Totals are exact; the table
rounds to cents, --json prints exact decimal strings.

options:
  --json    one JSON object with every line, category, share and total`;

/** `frugal tco`: prints the TCO breakdown of a YAML/JSON model. */
export const tcoCommand: Command = {
  name: 'tco',
  summary: 'total cost of ownership from a YAML/JSON model',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      'tco',
      args,
      { json: { type: 'boolean' } },
      { maxPositionals: 1 },
    );
    const [file] = positionals;
    if (file === undefined) {
      throw new UsageError(
        "frugal tco: expected a model file (YAML or JSON), e.g. 'frugal tco examples/tco.yaml'",
      );
    }
    const { name, model } = parseTcoConfig(parseDocument(await io.readText(file), file), file);
    const report = computeTco(model);
    io.stdout(`${values.json ? JSON.stringify(tcoJson(name, report), null, 2) : tcoText(name, report)}\n`);
    return 0;
  },
};

function tcoText(name: string | undefined, report: TcoReport): string {
  const rows: string[][] = [];
  for (const category of report.categories) {
    rows.push([
      category.label,
      dollarsText(category.monthly),
      percent(category.share.numerator, category.share.denominator),
      '',
    ]);
    for (const line of category.lines)
      rows.push([`  ${line.name}`, dollarsText(line.monthly), '', line.detail ?? '']);
  }
  rows.push(['TOTAL', dollarsText(report.total), report.total === 0n ? '' : '100.0%', '']);
  const table = renderTable(['TCO (monthly)', 'cost', 'share', 'how'], rows, [
    'left',
    'right',
    'right',
    'left',
  ]);
  const days = formatRational(report.daysPerMonth, 2);
  const perQuery =
    report.costPerQuery === undefined ? '— (no queries)' : perQueryDollarsText(report.costPerQuery);
  return [
    ...(name ? [name, ''] : []),
    table,
    '',
    `Cost per query:     ${perQuery}`,
    `Queries per month:  ${formatRational(report.queriesPerMonth, 2, { group: true })} (${days}-day month)`,
  ].join('\n');
}

function tcoJson(name: string | undefined, report: TcoReport) {
  return {
    name: name ?? null,
    days_per_month: formatRational(report.daysPerMonth, 12),
    queries_per_month: formatRational(report.queriesPerMonth, 12),
    categories: report.categories.map((category) => ({
      category: category.category,
      label: category.label,
      monthly_usd: formatUsd(category.monthly),
      share: formatRational(category.share, 6),
      lines: category.lines.map((line) => ({
        name: line.name,
        monthly_usd: formatUsd(line.monthly),
        ...(line.detail && { detail: line.detail }),
      })),
    })),
    total_usd: formatUsd(report.total),
    cost_per_query_usd: report.costPerQuery === undefined ? null : formatUsd(report.costPerQuery),
  };
}

/** "9.7%": a share rounded half to even to a tenth of a percent. */
function percent(numerator: bigint, denominator: bigint): string {
  return `${formatRational(rational(divideRoundHalfEven(numerator * 1000n, denominator), 10n), 1).replace(/^(\d+)$/, '$1.0')}%`;
}
