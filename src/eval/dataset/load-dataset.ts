import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../core/errors.js';
import type { EvalRow } from '../eval-row.js';
import { type DatasetFormat, formatOfFile } from './dataset-format.js';
import { parseDataset } from './parse-dataset.js';

/**
 * Reads and validates a dataset file: the format comes from the extension (.json, .jsonl/.ndjson, .yaml/.yml,
 * .csv) unless given. A file that cannot be read, or rows that are not valid, give a ConfigError naming it.
 */
export async function loadDataset(
  path: string,
  options: { readonly format?: DatasetFormat } = {},
): Promise<EvalRow[]> {
  const format = options.format ?? formatOfFile(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot read the file (${code ?? String(error)})`;
    throw new ConfigError(path, '', problem, { cause: error });
  }
  return parseDataset(text, format, path);
}
