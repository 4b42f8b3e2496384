import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importRouteLlmCorrectness } from '../../src/optimize/outcomes/import-routellm.js';
import type { OutcomeSet } from '../../src/optimize/outcomes/outcome-set.js';

/** `../shared/data/routellm/gsm8k_gpt4_mixtral.jsonl`, beside the checkout. */
export const gsm8kFile = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'routellm',
  'gsm8k_gpt4_mixtral.jsonl',
);

/** RouteLLM's GSM8K outcomes with token counts of characters / 4 (quick, and priced), read once per process. */
let loaded: OutcomeSet | undefined;
export function gsm8kOutcomes(): OutcomeSet {
  loaded ??= importRouteLlmCorrectness(readFileSync(gsm8kFile, 'utf8'), gsm8kFile, 'gsm8k', {
    countTokens: (_model, text) => Math.ceil(text.length / 4),
  });
  return loaded;
}
