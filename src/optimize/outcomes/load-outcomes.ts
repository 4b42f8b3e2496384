import { ConfigError } from '../../core/errors.js';
import { readFileBesideConfig } from '../file-beside-config.js';
import { importAlpacaEval } from './import-alpacaeval.js';
import { importMtBench, importRouteLlmCorrectness } from './import-routellm.js';
import type { OutcomeSet } from './outcome-set.js';
import { outcomesFormat, readOutcomes } from './read-outcomes.js';

export const outcomeFileKinds = ['frugal', 'routellm', 'mt-bench', 'alpacaeval'] as const;
export type OutcomeFileKind = (typeof outcomeFileKinds)[number];

/** Which format a JSONL file is in, from its first line. */
export function outcomeFileKind(text: string, file: string): OutcomeFileKind {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  let row: Record<string, unknown>;
  try {
    row = JSON.parse(first) as Record<string, unknown>;
  } catch {
    throw new ConfigError(
      file,
      'line 1',
      'not JSONL: expected outcomes (frugal, RouteLLM, MT-Bench or AlpacaEval)',
    );
  }
  if (outcomesFormat in row) return 'frugal';
  if ('gpt4_correct' in row && 'mixtral_correct' in row) return 'routellm';
  if ('scores' in row && 'turns' in row) return 'mt-bench';
  if ('pref' in row && 'instruction' in row) return 'alpacaeval';
  throw new ConfigError(
    file,
    'line 1',
    `unrecognised outcomes: expected a "${outcomesFormat}" header, RouteLLM rows (gpt4_correct, mixtral_correct), ` +
      'MT-Bench rows (turns, scores) or AlpacaEval rows (instruction, pref)',
  );
}

/**
 * An outcome set from any file frugal can read: its own format, or RouteLLM's, MT-Bench's or AlpacaEval's as
 * kept in ../shared/data (recognised by their fields). `countTokens` fills token counts where the source has
 * none (a RouteLLM prompt, an AlpacaEval instruction).
 */
export function loadOutcomes(
  text: string,
  file: string,
  countTokens?: (model: string, text: string) => number,
): OutcomeSet {
  const kind = outcomeFileKind(text, file);
  const name = (file.split(/[\\/]/).at(-1) ?? file).replace(/\.jsonl?$/, '').replace(/_gpt4_mixtral$/, '');
  switch (kind) {
    case 'frugal':
      return readOutcomes(text, file);
    case 'routellm':
      return importRouteLlmCorrectness(text, file, `routellm-${name}`, { countTokens });
    case 'mt-bench':
      return importMtBench(text, file);
    case 'alpacaeval':
      return importAlpacaEval(text, file, { countTokens }).set;
  }
}

/** Loads an outcomes file (frugal's format or a recognised dataset) relative to the config file's folder. */
export function loadOutcomeFile(path: string, configFile: string): OutcomeSet {
  const { text, path: resolved } = readFileBesideConfig(path, configFile, 'the outcomes file');
  return loadOutcomes(text, resolved);
}
