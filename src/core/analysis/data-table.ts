import { ConfigError } from '../errors.js';
import { parseCsv } from '../text/parse-csv.js';
import { expectedFound } from './expected-found.js';

/** A cell as read: text from CSV, any JSON scalar (or a nested value) from JSON. */
export type TableCell = unknown;

/** One data row: its 1-based number among the rows, the line it starts on (CSV) and a cell per column. */
export type DataRow = {
  readonly number: number;
  readonly line?: number;
  readonly cells: readonly TableCell[];
};

/** A table of named columns read from `source` (a file name, for messages). */
export type DataTable = {
  readonly source: string;
  readonly columns: readonly string[];
  readonly rows: readonly DataRow[];
};

/**
 * A CSV file with a header row: column names must be present and distinct, every row must have as many
 * fields as the header, and blank lines are skipped. Errors are ConfigErrors naming the line.
 */
export function tableFromCsv(text: string, source: string): DataTable {
  const records = parseCsv(text, source).filter(
    (record) => !(record.fields.length === 1 && record.fields[0] === ''),
  );
  const [header, ...body] = records;
  if (header === undefined) throw new ConfigError(source, '', 'expected a header row, found an empty file');
  const columns = header.fields.map((name) => name.trim());
  columns.forEach((name, index) => {
    const where = `line ${header.line}, column ${index + 1}`;
    if (name === '')
      throw new ConfigError(source, where, 'expected a column name in the header, found an empty field');
    if (columns.indexOf(name) !== index)
      throw new ConfigError(source, where, `duplicate column name '${name}'`);
  });
  const rows = body.map((record, index) => {
    if (record.fields.length !== columns.length) {
      throw new ConfigError(
        source,
        `line ${record.line}`,
        `expected ${columns.length} fields as in the header, found ${record.fields.length}`,
      );
    }
    return { number: index + 1, line: record.line, cells: record.fields };
  });
  return { source, columns, rows };
}

/**
 * A JSON list of objects, one per row; the columns are every key seen, in order of first appearance, and
 * a row without a key has no value in that column.
 */
export function tableFromRecords(data: unknown, source: string): DataTable {
  if (!Array.isArray(data))
    throw new ConfigError(source, '', expectedFound('a list of rows (objects)', data));
  const columns: string[] = [];
  const records = data.map((record: unknown, index) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new ConfigError(source, `[${index}]`, expectedFound('an object (one row)', record));
    }
    for (const key of Object.keys(record)) if (!columns.includes(key)) columns.push(key);
    return record as Record<string, unknown>;
  });
  const rows = records.map((record, index) => ({
    number: index + 1,
    cells: columns.map((column) => (Object.hasOwn(record, column) ? record[column] : undefined)),
  }));
  return { source, columns, rows };
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The values of a column as numbers, for ranking (comparisons only, never money arithmetic). A missing,
 * empty or non-numeric cell is a ConfigError naming the row and the column.
 */
export function numericColumn(table: DataTable, column: string): number[] {
  const index = table.columns.indexOf(column);
  if (index < 0) throw new RangeError(`no column '${column}' in ${table.source}`);
  return table.rows.map((row) => {
    const cell = row.cells[index];
    if (typeof cell === 'number' && Number.isFinite(cell)) return cell;
    if (typeof cell === 'string' && numberPattern.test(cell.trim())) return Number(cell.trim());
    const found = cell === '' || cell === null ? undefined : cell;
    const where = `${describeRow(row, index === 0)}, column '${column}'`;
    throw new ConfigError(table.source, where, expectedFound('a number', found));
  });
}

/**
 * "row 4 'GPT-4o' (line 5)": the row's number, its first cell when that reads as a name (and is not the
 * cell being complained about), and its line.
 */
export function describeRow(row: DataRow, withoutName = false): string {
  const first = row.cells[0];
  const name =
    !withoutName && typeof first === 'string' && first.trim() !== '' && !numberPattern.test(first.trim())
      ? ` '${first
          .trim()
          .slice(0, 40)
          .replaceAll(/[\r\n]+/g, ' ')}'`
      : '';
  return `row ${row.number}${name}${row.line === undefined ? '' : ` (line ${row.line})`}`;
}

/** A cell as text for tables: strings as they are, nested values as JSON, nothing as ''. */
export function cellText(cell: TableCell): string {
  if (cell === undefined || cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'object') return JSON.stringify(cell);
  return String(cell);
}
