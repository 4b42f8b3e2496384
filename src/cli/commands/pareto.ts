import { parseDocument } from '../../config/parse-document.js';
import {
  cellText,
  type DataTable,
  numericColumn,
  tableFromCsv,
  tableFromRecords,
} from '../../core/analysis/data-table.js';
import { type ObjectiveDirection, paretoFrontier } from '../../core/analysis/pareto-frontier.js';
import { UsageError } from '../../core/errors.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { renderTable } from '../table.js';

const help = `usage: frugal pareto <file.csv|file.json|-> [--min COLUMN]... [--max COLUMN]... [--json]

Marks the Pareto-optimal rows of a table of configurations: a row is optimal when no other row is
at least as good on every objective and strictly better on one. Exact ties are all kept. Any
number of objectives (2-D, 3-D and beyond).

input:
  a CSV file with a header row, or a JSON list of objects (one per row); '-' reads standard
  input (JSON when it starts with '[' or '{', else CSV). See examples/pareto.csv.

objectives:
  --min COLUMN    a column to minimise (cost, latency...); repeat for more
  --max COLUMN    a column to maximise (accuracy, quality...); repeat for more
  Without --min and --max: minimise the first column named cost (or cost_..., price...) and
  maximise the first named quality, accuracy or score (or quality_... and so on).

output:
  the table, best first by the first objective (--min columns come first), with '*' on the
  optimal rows, then "Pareto-optimal: k / n".
  --json          one JSON object: objectives, counts and every row (in input order) with
                  its values and pareto_optimal`;

type Objective = { readonly column: string; readonly direction: ObjectiveDirection };

/** `frugal pareto`: marks the Pareto-optimal rows of a CSV or JSON table. */
export const paretoCommand: Command = {
  name: 'pareto',
  summary: 'mark the Pareto-optimal rows of a CSV/JSON table',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      'pareto',
      args,
      {
        min: { type: 'string', multiple: true },
        max: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      { maxPositionals: 1 },
    );
    const [file] = positionals;
    if (file === undefined)
      throw new UsageError(
        "frugal pareto: expected a CSV or JSON file, e.g. 'frugal pareto examples/pareto.csv'",
      );
    const table = readTable(await io.readText(file), file);
    const objectives = chooseObjectives(table, values.min ?? [], values.max ?? []);
    const points = transpose(
      objectives.map((objective) => numericColumn(table, objective.column)),
      table.rows.length,
    );
    const optimal = paretoFrontier(
      points,
      objectives.map((objective) => objective.direction),
    );
    const count = optimal.filter(Boolean).length;
    const described = objectives.map((objective) => `${objective.direction} ${objective.column}`).join(', ');
    if (values.json) {
      const rows = table.rows.map((row, index) => ({
        row: row.number,
        pareto_optimal: optimal[index]!,
        values: Object.fromEntries(table.columns.map((column, cell) => [column, row.cells[cell] ?? null])),
      }));
      io.stdout(
        `${JSON.stringify({ objectives, optimal: count, total: table.rows.length, rows }, null, 2)}\n`,
      );
      return 0;
    }
    const sign = objectives[0]!.direction === 'minimize' ? 1 : -1;
    const order = table.rows
      .map((_, index) => index)
      .sort((a, b) => sign * (points[a]![0]! - points[b]![0]!) || a - b);
    const body = order.map((index) => [...table.rows[index]!.cells.map(cellText), optimal[index] ? '*' : '']);
    const text = renderTable(
      [...table.columns, 'pareto'],
      body.map((cells) => cells.map((cell) => cell.replaceAll(/\r?\n|\r/g, ' '))),
    );
    io.stdout(`${text}\n\nPareto-optimal: ${count} / ${table.rows.length} (${described})\n`);
    return 0;
  },
};

function readTable(text: string, file: string): DataTable {
  const lower = file.toLowerCase();
  const json = lower.endsWith('.json') || (!lower.endsWith('.csv') && /^\uFEFF?\s*[[{]/.test(text));
  if (!json) return tableFromCsv(text, file);
  return tableFromRecords(parseDocument(text, file, 'json'), file);
}

const defaultCost = /^(cost|price)(\b|_)/i;
const defaultQuality = /^(quality|accuracy|score)(\b|_)/i;

function chooseObjectives(table: DataTable, min: readonly string[], max: readonly string[]): Objective[] {
  const columns = `columns are ${table.columns.map((column) => `'${column}'`).join(', ')}`;
  if (min.length === 0 && max.length === 0) {
    const cost = table.columns.find((column) => defaultCost.test(column));
    const quality = table.columns.find((column) => defaultQuality.test(column));
    if (cost === undefined || quality === undefined) {
      throw new UsageError(
        `frugal pareto: no objectives: pass --min/--max COLUMN (no ${cost === undefined ? 'cost' : 'quality/accuracy/score'} column to default to in ${table.source}; ${columns})`,
      );
    }
    return [
      { column: cost, direction: 'minimize' },
      { column: quality, direction: 'maximize' },
    ];
  }
  const objectives: Objective[] = [
    ...min.map((column) => ({ column, direction: 'minimize' as const })),
    ...max.map((column) => ({ column, direction: 'maximize' as const })),
  ];
  objectives.forEach(({ column, direction }, index) => {
    const flag = `--${direction === 'minimize' ? 'min' : 'max'}`;
    if (!table.columns.includes(column)) {
      throw new UsageError(
        `frugal pareto: ${flag} '${column}': no such column in ${table.source}; ${columns}`,
      );
    }
    if (objectives.findIndex((objective) => objective.column === column) !== index) {
      throw new UsageError(`frugal pareto: ${flag} '${column}': column '${column}' is already an objective`);
    }
  });
  return objectives;
}

function transpose(columns: readonly number[][], rows: number): number[][] {
  return Array.from({ length: rows }, (_, row) => columns.map((values) => values[row]!));
}
