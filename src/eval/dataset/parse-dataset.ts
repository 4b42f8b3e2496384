import { ConfigError } from '../../core/errors.js';
import type { EvalRow } from '../eval-row.js';
import type { DatasetFormat } from './dataset-format.js';
import { readCsvRows } from './read-csv-rows.js';
import { readDocumentRows, readJsonLines } from './read-documents.js';
import { toEvalRows } from './row-schema.js';

/**
 * Parses a dataset's text into validated rows (pure: `loadDataset` reads the file). JSON and YAML hold a list
 * of rows or `{ data: [...] }`; JSONL one row per line; CSV a header and one row per line (see `readCsvRows`).
 * A row is `{ id?, inputs, expectations?, tags? }` as in MLflow's `eval_data`. Every problem is a ConfigError
 * naming `fileName`, the row (`rows[3]`, or `line 4` for JSONL and CSV) and the field.
 */
export function parseDataset(text: string, format: DatasetFormat, fileName: string): EvalRow[] {
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new ConfigError(
      fileName,
      '',
      'the file is empty: expected rows with inputs and optional expectations',
    );
  }
  switch (format) {
    case 'json':
    case 'yaml': {
      const { rows, where } = readDocumentRows(text, format, fileName);
      return toEvalRows(rows, fileName, where);
    }
    case 'jsonl':
      return toEvalRows(readJsonLines(text, fileName), fileName);
    case 'csv':
      return toEvalRows(readCsvRows(text, fileName), fileName);
  }
}
