import { ConfigError } from '../../core/errors.js';
import { parseCsv } from '../../core/text/parse-csv.js';
import { jsonSyntaxError } from './json-syntax-error.js';
import type { RawRow } from './raw-row.js';

type Column = { readonly section: 'id' | 'inputs' | 'expectations' | 'tags'; readonly key: string };

const listKeys = new Set(['expected_facts', 'guidelines']);

/**
 * The rows of a CSV file with a header line. Columns: `id`, `inputs.<name>`, `expectations.<name>` and
 * `tags.<name>` (a `/` works in place of the dot, as in MLflow's `inputs/question`). `expected_facts` and
 * `guidelines` cells hold a JSON list (`["a", "b"]`) or `|`-separated items. Empty cells are left out, and a
 * line whose cells are all empty is skipped. Every value is read as text.
 */
export function readCsvRows(text: string, file: string): RawRow[] {
  const [header, ...records] = parseCsv(text, file);
  if (header === undefined) return [];
  const columns = header.fields.map((name) => columnOf(name, file));
  const names = header.fields.map((name) => name.trim());
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new ConfigError(file, 'line 1', `column '${duplicate}' appears twice`);
  if (!columns.some((column) => column.section === 'inputs')) {
    throw new ConfigError(file, 'line 1', 'no inputs column: expected one such as inputs.question');
  }
  const rows: RawRow[] = [];
  for (const record of records) {
    if (record.fields.every((field) => field.trim() === '')) continue;
    const where = `line ${record.line}`;
    if (record.fields.length !== columns.length) {
      throw new ConfigError(
        file,
        where,
        `expected ${columns.length} fields as in the header, found ${record.fields.length}`,
      );
    }
    const row: Record<string, unknown> = { inputs: {} };
    record.fields.forEach((cell, index) => {
      if (cell.trim() === '') return;
      const column = columns[index]!;
      if (column.section === 'id') row['id'] = cell.trim();
      else {
        const section = (row[column.section] ?? {}) as Record<string, unknown>;
        const isList = column.section === 'expectations' && listKeys.has(column.key);
        section[column.key] = isList ? listOf(cell, file, `${where}, ${names[index]}`) : cell;
        row[column.section] = section;
      }
    });
    rows.push({ value: row, where });
  }
  return rows;
}

function columnOf(rawName: string, file: string): Column {
  const name = rawName.trim();
  if (name === 'id') return { section: 'id', key: 'id' };
  const match = /^(inputs|expectations|tags)[./](.+)$/.exec(name);
  if (match === null) {
    throw new ConfigError(
      file,
      'line 1',
      `unknown column '${name}' (expected id, inputs.<name>, expectations.<name> or tags.<name>)`,
    );
  }
  return { section: match[1] as Column['section'], key: match[2]! };
}

function listOf(cell: string, file: string, where: string): unknown {
  const trimmed = cell.trim();
  if (!trimmed.startsWith('[')) return trimmed.split('|').map((item) => item.trim());
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    const syntax = jsonSyntaxError(trimmed);
    const problem = syntax
      ? `${syntax.problem} at character ${syntax.offset + 1} of the cell`
      : (error as Error).message;
    throw new ConfigError(file, where, `malformed JSON list: ${problem}`, { cause: error });
  }
}
