import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countSafely, defaultMaxRunLength } from './count-safely.js';
import { type CountText, loadTokenizer } from './load-tokenizer.js';
import type { TokenizerName } from './token-count.js';

const data = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');

/** Every `step`-th row's fields of a JSON-lines file under ../shared/data (read here, never copied). */
function rows(file: string, step: number, pick: (row: Record<string, unknown>) => unknown[]): string[] {
  const lines = readFileSync(join(data, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  return lines
    .filter((_, index) => index % step === 0)
    .flatMap((line) => pick(JSON.parse(line) as Record<string, unknown>))
    .filter((text): text is string => typeof text === 'string' && text.trim() !== '');
}

/**
 * 1,222 English texts (325k characters): MMLU and GSM8K prompts, GPT-4's GSM8K answers, MT-Bench turns,
 * AlpacaEval instructions and Quora questions. Mostly prose, some maths and code; not multilingual.
 */
function sampleTexts(): string[] {
  return [
    ...rows('routellm/mmlu_gpt4_mixtral.jsonl', 47, (row) => [row['prompt']]),
    ...rows('routellm/gsm8k_gpt4_mixtral.jsonl', 9, (row) => [row['prompt'], row['gpt4_response']]),
    ...rows('routellm/mtbench_scores.jsonl', 1, (row) => (Array.isArray(row['turns']) ? row['turns'] : [])),
    ...rows('alpacaeval/alpacaeval2_per_instruction.jsonl', 3, (row) => [row['instruction']]),
    ...rows('semantic_cache/qqp_pairs_sample_4000.jsonl', 20, (row) => [row['text_a']]),
  ];
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** How far o200k_base counts are from another tokenizer's: signed total error and per-text p90 of |error|. */
function errorAgainst(estimates: readonly number[], real: readonly number[]) {
  const perText = real
    .map((tokens, index) => Math.abs(estimates[index]! - tokens) / tokens)
    .sort((a, b) => a - b);
  return {
    total: (sum(estimates) - sum(real)) / sum(real),
    p90: perText[Math.floor(0.9 * (perText.length - 1))]!,
  };
}

describe('the o200k_base stand-in, measured against real tokenizers (figures in tokenizer-for-model.ts)', () => {
  let texts: string[] = [];
  let o200k: CountText = () => 0;
  let estimates: number[] = [];
  beforeAll(async () => {
    texts = sampleTexts();
    o200k = await loadTokenizer('o200k_base');
    estimates = texts.map(o200k);
  });

  it('reads a sample of the stated size', () => {
    expect(texts).toHaveLength(1222);
    expect(sum(texts.map((text) => text.length))).toBe(325_435);
  });

  // Stated bounds: total within 15% and p90 within 22% for all; the large modern vocabularies much closer.
  it.each<[TokenizerName, number, number]>([
    ['cl100k_base', 0.02, 0.06],
    ['llama3', 0.02, 0.06],
    ['deepseek_v3', 0.02, 0.08],
    ['qwen3', 0.06, 0.13],
    ['mistral_v1', 0.15, 0.22],
  ])(
    'against %s: total error within %d, per-text p90 within %d, and o200k is the lower count',
    async (name, totalBound, p90Bound) => {
      const count = await loadTokenizer(name);
      const error = errorAgainst(estimates, texts.map(count));
      expect(Math.abs(error.total)).toBeLessThanOrEqual(totalBound);
      expect(error.p90).toBeLessThanOrEqual(p90Bound);
      expect(error.total).toBeLessThan(0);
    },
  );

  it('the untrusted-input guard changes no count on real text (no run longer than the limit)', () => {
    const guarded = texts.map((text) => countSafely(text, o200k));
    expect(guarded.filter(({ cutRuns }) => cutRuns > 0)).toEqual([]);
    expect(guarded.map(({ tokens }) => tokens)).toEqual(estimates);
    let longestRun = 0;
    for (const text of texts) {
      for (const [run] of text.matchAll(/[\p{L}\p{M}]+|[^\s\p{L}\p{M}\p{N}]+|\s+/gu)) {
        longestRun = Math.max(longestRun, run.length);
      }
    }
    expect(longestRun).toBe(22);
    expect(longestRun).toBeLessThan(defaultMaxRunLength);
  });
});
