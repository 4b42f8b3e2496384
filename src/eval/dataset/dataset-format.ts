import { extname } from 'node:path';
import { ConfigError } from '../../core/errors.js';

export const datasetFormats = ['json', 'jsonl', 'yaml', 'csv'] as const;
export type DatasetFormat = (typeof datasetFormats)[number];

const extensions: Readonly<Record<string, DatasetFormat>> = {
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.csv': 'csv',
};

/** The format a dataset file's extension names (case-insensitive); a ConfigError for any other extension. */
export function formatOfFile(fileName: string): DatasetFormat {
  const extension = extname(fileName).toLowerCase();
  const format = extensions[extension];
  if (format === undefined) {
    throw new ConfigError(
      fileName,
      '',
      `unknown dataset format ${extension ? `'${extension}'` : '(no extension)'}: expected a .json, .jsonl, .ndjson, .yaml, .yml or .csv file`,
    );
  }
  return format;
}
