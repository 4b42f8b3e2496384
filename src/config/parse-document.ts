import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from '../core/errors.js';

/**
 * Parses a YAML or JSON document (JSON when `as` says so or the file name ends in .json; YAML otherwise, which
 * also reads JSON). A syntax error becomes a ConfigError naming the file, the line and column, and the
 * problem — the one place every config, model or data file is parsed.
 */
export function parseDocument(text: string, file: string, as?: 'json' | 'yaml'): unknown {
  const json = as === 'json' || (as === undefined && file.toLowerCase().endsWith('.json'));
  try {
    return parseYaml(text, json ? { schema: 'json' } : {}) as unknown;
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const position = error.linePos?.[0];
    const problem = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    const where = position ? `line ${position.line}, column ${position.col}` : '';
    throw new ConfigError(file, where, `malformed ${json ? 'JSON' : 'YAML'}: ${problem}`, { cause: error });
  }
}
