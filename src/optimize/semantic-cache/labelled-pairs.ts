import { ConfigError } from '../../core/errors.js';

/** Two questions and whether they ask the same thing (a duplicate: one's answer serves the other). */
export type LabelledPair = {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly duplicate: boolean;
};

/**
 * Labelled pairs from JSON Lines, one object per line: `text_a`, `text_b` and `label` (1 or true =
 * duplicate, 0 or false = not), `id` optional (the line number otherwise), as in the Quora sample
 * (../shared/data/semantic_cache). Blank lines are skipped. Anything else is a ConfigError naming the file and
 * the line; so is a file without both duplicates and non-duplicates, which cannot measure hits and false hits.
 */
export function readLabelledPairs(text: string, source: string): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const at = `line ${index + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new ConfigError(source, at, `not JSON (${(error as Error).message})`, { cause: error });
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new ConfigError(source, at, 'expected an object with text_a, text_b and label');
    }
    const { id, text_a: a, text_b: b, label } = row as Record<string, unknown>;
    if (typeof a !== 'string' || typeof b !== 'string') {
      throw new ConfigError(source, at, 'expected text_a and text_b to be strings');
    }
    if (!(label === 0 || label === 1 || typeof label === 'boolean')) {
      throw new ConfigError(source, at, `expected label 0 or 1, got ${JSON.stringify(label) ?? 'nothing'}`);
    }
    pairs.push({
      id: id === undefined ? String(index + 1) : String(id),
      a,
      b,
      duplicate: label === 1 || label === true,
    });
  });
  const duplicates = pairs.filter((pair) => pair.duplicate).length;
  if (pairs.length === 0) throw new ConfigError(source, '', 'no labelled pairs');
  if (duplicates === 0) {
    throw new ConfigError(
      source,
      '',
      `no duplicate pairs (label 1) among ${pairs.length}: hit rates cannot be measured`,
    );
  }
  if (duplicates === pairs.length) {
    throw new ConfigError(
      source,
      '',
      `no non-duplicate pairs (label 0) among ${pairs.length}: false hits cannot be measured`,
    );
  }
  return pairs;
}
