import { type SpendReport, type SpendSection, shareBasisPoints } from '../../control/spend-report.js';
import { formatUsd, roundUsd } from '../../core/money.js';
import type { SpendRow, TimeBucket } from '../../core/spans/spend-query.js';
import { zoneCalendar } from '../../core/time/zone-calendar.js';
import { csvCell, renderTable } from '../table.js';

const integer = new Intl.NumberFormat('en-US');

/** Dollars to the micro-dollar with thousands separators, for tables ("$1,234.567890"). */
function usd(amount: bigint): string {
  const [whole, fraction] = roundUsd(amount, 6).split('.');
  return `$${integer.format(BigInt(whole!))}.${fraction}`;
}

/** A group whose every call is unpriced has an unknown cost: never shown as $0. */
function costUnknown(row: SpendRow): boolean {
  return row.pricedCalls === 0 && row.unpricedCalls > 0;
}

function percent(part: bigint, total: bigint): string {
  const basisPoints = shareBasisPoints(part, total);
  return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}%`;
}

/** A bucket's start as a label in the report's zone: 2026-11-21 13:00, 2026-11-21, week of 2026-11-16, 2026-11. */
function bucketLabel(start: number, bucket: TimeBucket, timeZone: string): string {
  const local = new Date(start + zoneCalendar(timeZone).offsetAt(start)).toISOString();
  if (bucket === 'hour') return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
  if (bucket === 'day') return local.slice(0, 10);
  if (bucket === 'week') return `week of ${local.slice(0, 10)}`;
  return local.slice(0, 7);
}

function sectionTitle(section: SpendSection): string {
  const parts = [...section.groupBy, ...(section.bucket ? [section.bucket] : [])];
  return `By ${parts.join(', ')}`;
}

function timeLabel(epoch: number | undefined, timeZone: string): string {
  if (epoch === undefined) return 'the beginning';
  const local = new Date(epoch + zoneCalendar(timeZone).offsetAt(epoch)).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** The report as the seeds print it: a total line, then one "By …" table per section with shares. */
export function spendText(report: SpendReport): string {
  const { total } = report;
  const lines = [
    `Spend from ${timeLabel(report.from, report.timeZone)} to ${timeLabel(report.to, report.timeZone)} (${report.timeZone})`,
    `Total ${usd(total.cost)} · ${integer.format(total.calls)} calls · ${integer.format(total.tokens.input)} input + ${integer.format(total.tokens.output)} output tokens`,
  ];
  if (total.unpricedCalls > 0) {
    const one = total.unpricedCalls === 1;
    lines.push(
      `  ${integer.format(total.unpricedCalls)} ${one ? 'call has no price for its' : 'calls have no price for their'} model: ${one ? 'its' : 'their'} cost is unknown and not in these totals`,
    );
  }
  for (const section of report.sections) {
    lines.push('', sectionTitle(section));
    if (section.rows.length === 0) {
      lines.push('  (no calls)');
      continue;
    }
    const headers = [
      ...section.groupBy,
      ...(section.bucket ? [section.bucket] : []),
      'cost',
      'share',
      'calls',
      'input tokens',
      'output tokens',
      'unpriced',
    ];
    const rows = section.rows.map((row) => [
      ...row.group.map((value, index) => groupLabel(value, section.groupBy[index])),
      ...(section.bucket ? [bucketLabel(row.bucketStart!, section.bucket, report.timeZone)] : []),
      costUnknown(row) ? 'unknown' : usd(row.cost),
      costUnknown(row) ? '—' : percent(row.cost, total.cost),
      integer.format(row.calls),
      integer.format(row.tokens.input),
      integer.format(row.tokens.output),
      row.unpricedCalls > 0 ? integer.format(row.unpricedCalls) : '',
    ]);
    lines.push(renderTable(headers, rows));
  }
  return `${lines.join('\n')}\n`;
}

/** A group's value as shown: `(none)` for calls without one; the simulator's models and provider say what they are. */
function groupLabel(value: string | null, dimension: string | undefined): string {
  if (value === null) return '(none)';
  const simulated =
    (dimension === 'model' && value.startsWith('sim/')) || (dimension === 'provider' && value === 'sim');
  return simulated ? `${value} (simulated)` : value;
}

function rowJson(row: SpendRow, section: SpendSection | undefined, report: SpendReport) {
  return {
    ...(section
      ? Object.fromEntries(section.groupBy.map((dimension, index) => [dimension, row.group[index] ?? null]))
      : {}),
    ...(section?.bucket ? { bucket_start: new Date(row.bucketStart!).toISOString() } : {}),
    cost_usd: costUnknown(row) ? null : formatUsd(row.cost),
    share: costUnknown(row) ? null : shareBasisPoints(row.cost, report.total.cost) / 10_000,
    calls: row.calls,
    priced_calls: row.pricedCalls,
    unpriced_calls: row.unpricedCalls,
    error_calls: row.errorCalls,
    tokens: {
      input: row.tokens.input,
      cached_input: row.tokens.cachedInput,
      cache_write: row.tokens.cacheWrite,
      output: row.tokens.output,
      reasoning: row.tokens.reasoning,
    },
  };
}

/** One JSON object: range, exact total, and every section's rows. */
export function spendJson(report: SpendReport): string {
  const body = {
    from: report.from === undefined ? null : new Date(report.from).toISOString(),
    to: report.to === undefined ? null : new Date(report.to).toISOString(),
    time_zone: report.timeZone,
    total: rowJson(report.total, undefined, report),
    sections: report.sections.map((section) => ({
      group_by: section.groupBy,
      bucket: section.bucket ?? null,
      rows: section.rows.map((row) => rowJson(row, section, report)),
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** One CSV table for all sections: a `section` column, the dimensions as columns, exact dollar strings. */
export function spendCsv(report: SpendReport): string {
  const dimensions = [...new Set(report.sections.flatMap((section) => section.groupBy))];
  const header = [
    'section',
    ...dimensions,
    'bucket_start',
    'cost_usd',
    'share',
    'calls',
    'unpriced_calls',
    'input_tokens',
    'output_tokens',
  ];
  const lines = [header.join(',')];
  const push = (name: string, section: SpendSection | undefined, row: SpendRow) => {
    const values = dimensions.map((dimension) => {
      const index = section?.groupBy.indexOf(dimension) ?? -1;
      return index >= 0 ? (row.group[index] ?? '(none)') : null;
    });
    lines.push(
      [
        name,
        ...values,
        row.bucketStart === undefined ? null : new Date(row.bucketStart).toISOString(),
        costUnknown(row) ? null : formatUsd(row.cost),
        costUnknown(row) ? null : shareBasisPoints(row.cost, report.total.cost) / 10_000,
        row.calls,
        row.unpricedCalls,
        row.tokens.input,
        row.tokens.output,
      ]
        .map(csvCell)
        .join(','),
    );
  };
  push('total', undefined, report.total);
  for (const section of report.sections) {
    for (const row of section.rows) push(sectionTitle(section).slice(3), section, row);
  }
  return `${lines.join('\n')}\n`;
}
