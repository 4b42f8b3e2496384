import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from '../../core/errors.js';
import { jsonSyntaxError } from './json-syntax-error.js';
import type { RawRow } from './raw-row.js';

/**
 * The rows of a JSON or YAML document: a list of rows, or `{ data: [...] }` (MLflow's dataset records). JSON is
 * read strictly (JSON.parse), YAML with the `yaml` package; a syntax error names the line and column.
 */
export function readDocumentRows(
  text: string,
  format: 'json' | 'yaml',
  file: string,
): { rows: RawRow[]; where: string } {
  const document = format === 'json' ? readJson(text, file, '') : readYaml(text, file);
  if (document === undefined || document === null) {
    throw new ConfigError(file, '', 'the file is empty: expected a list of rows or { "data": [...] }');
  }
  if (Array.isArray(document)) {
    return { rows: document.map((value, index) => ({ value, where: `rows[${index}]` })), where: '' };
  }
  if (typeof document === 'object') {
    const keys = Object.keys(document);
    const data = (document as Record<string, unknown>)['data'];
    const extra = keys.find((key) => key !== 'data');
    if (extra !== undefined)
      throw new ConfigError(
        file,
        extra,
        `unknown key '${extra}' (expected a list of rows or { "data": [...] })`,
      );
    if (Array.isArray(data))
      return { rows: data.map((value, index) => ({ value, where: `data[${index}]` })), where: 'data' };
  }
  throw new ConfigError(file, '', 'expected a list of rows or { "data": [...] }, found a single value');
}

/** The rows of a JSONL file: one JSON value per line; blank lines are skipped. */
export function readJsonLines(text: string, file: string): RawRow[] {
  const rows: RawRow[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `line ${index + 1}`;
    rows.push({ value: readJson(line, file, where), where });
  });
  return rows;
}

/** Parses JSON; a syntax error becomes a ConfigError naming the line and column (or, for JSONL, the line given). */
export function readJson(text: string, file: string, lineWhere: string): unknown {
  const input = text.replace(/^\uFEFF/, '');
  if (lineWhere === '' && input.trim() === '') return undefined;
  try {
    return JSON.parse(input) as unknown;
  } catch (error) {
    const syntax = jsonSyntaxError(input);
    const where =
      syntax === undefined ? lineWhere : `${lineWhere || `line ${syntax.line}`}, column ${syntax.column}`;
    throw new ConfigError(file, where, `malformed JSON: ${syntax?.problem ?? (error as Error).message}`, {
      cause: error,
    });
  }
}

function readYaml(text: string, file: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const position = error.linePos?.[0];
    const problem = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    const where = position ? `line ${position.line}, column ${position.col}` : '';
    throw new ConfigError(file, where, `malformed YAML: ${problem}`, { cause: error });
  }
}
