import { divideRoundHalfEven, formatUsd, type Picodollars } from '../../core/money.js';
import type { CallTally } from '../../optimize/batching/call-tally.js';
import { renderTable } from '../table.js';

/** One line of the cost table. */
type Row = { readonly name: string; readonly tally: CallTally | undefined };
/** What `frugal batch run` prints, from either mode. */
export type BatchSummary = {
  readonly heading: string;
  readonly items: readonly { id: string; via: string; text: string | undefined; error: string | undefined }[];
  readonly rows: readonly Row[];
  readonly saving: Picodollars | undefined;
  readonly baseline: CallTally | undefined;
  readonly notes: readonly string[];
};

/** The rows every mode shares after its own first one, and the saving against one call per item. */
export function costRows(
  first: Row,
  report: {
    readonly retries: CallTally;
    readonly spent: CallTally;
    readonly oneCallPerItem: CallTally | undefined;
    readonly saving: Picodollars | undefined;
  },
  baselineName: string,
): Pick<BatchSummary, 'rows' | 'saving' | 'baseline'> {
  return {
    rows: [
      first,
      { name: 'retries, one call each', tally: report.retries },
      { name: 'spent', tally: report.spent },
      { name: baselineName, tally: report.oneCallPerItem },
    ],
    saving: report.saving,
    baseline: report.oneCallPerItem,
  };
}

const usd = (amount: Picodollars) => `${amount < 0n ? '-' : ''}$${formatUsd(amount < 0n ? -amount : amount)}`;
const tokens = (count: number | undefined) => (count === undefined ? '?' : count.toLocaleString('en-US'));
const costText = (tally: CallTally) =>
  `${usd(tally.cost)}${tally.unpriced.length > 0 ? ` + ${tally.unpriced.length} unpriced` : ''}`;

function savingText(summary: BatchSummary): string {
  const { saving, baseline } = summary;
  if (saving === undefined || baseline === undefined)
    return baseline === undefined ? '' : 'Saving: not computed (unpriced calls, listed above).';
  const percent =
    baseline.cost === 0n
      ? ''
      : ` (${(Number(divideRoundHalfEven(saving * 1000n, baseline.cost)) / 10).toFixed(1)}%)`;
  return saving >= 0n
    ? `Saving: ${usd(saving)}${percent} of one call per item.`
    : `Extra cost: ${usd(-saving)}${percent.replace('-', '')} more than one call per item.`;
}

/** The summary for people: answers, the cost table, the saving and notes. */
export function renderBatchSummary(summary: BatchSummary): string {
  const answers = renderTable(
    ['item', 'via', 'answer'],
    summary.items.map((item) => [
      item.id,
      item.via,
      (item.text ?? `(${item.error})`).replace(/\s+/g, ' ').slice(0, 70),
    ]),
  );
  const costs = renderTable(
    ['', 'calls', 'input tok', 'output tok', 'cost'],
    summary.rows.flatMap(({ name, tally }) =>
      tally
        ? [
            [
              name,
              String(tally.calls),
              tokens(tally.usage.input),
              tokens(tally.usage.output),
              costText(tally),
            ],
          ]
        : [],
    ),
  );
  const unpriced = summary.rows.flatMap(
    (row) =>
      row.tally?.unpriced.map((entry) => `Unpriced: ${entry.itemIds.join(', ')}: ${entry.message}`) ?? [],
  );
  const lines = [
    `frugal batch: ${summary.heading}`,
    '',
    answers,
    '',
    costs,
    '',
    ...new Set(unpriced),
    savingText(summary),
    ...summary.notes,
  ];
  return `${lines.filter((line, index) => line !== '' || index < 6).join('\n')}\n`;
}

/** The summary as JSON, dollars as exact decimal strings. */
export function batchSummaryJson(summary: BatchSummary) {
  const tally = (value: CallTally | undefined) =>
    value && {
      calls: value.calls,
      usage: value.usage,
      cost_usd: formatUsd(value.cost),
      unpriced: value.unpriced,
    };
  return {
    summary: summary.heading,
    items: summary.items,
    costs: Object.fromEntries(summary.rows.map((row) => [row.name, tally(row.tally) ?? null])),
    saving_usd: summary.saving === undefined ? null : formatUsd(summary.saving),
    notes: summary.notes,
  };
}
