import { ConfigError } from '../../core/errors.js';
import type { ModelOutcome, OutcomeQuery, OutcomeSet } from './outcome-set.js';

/** RouteLLM's model pair, by the names the price catalog knows (Mixtral as served by Anyscale, as RouteLLM did). */
export const routeLlmStrong = 'gpt-4-1106-preview';
export const routeLlmWeak = 'anyscale/mistralai/Mixtral-8x7B-Instruct-v0.1';
const source = 'lm-sys/RouteLLM@0b64fdaf (Apache-2.0)';

export type RouteLlmImportOptions = {
  /** Keep the prompts RouteLLM drops for overlapping its training data (default false, as its evaluation). */
  readonly includeContaminated?: boolean | undefined;
  /** Counts tokens of a text for a model; without it the outcomes carry no token counts (costs unknown). */
  readonly countTokens?: ((model: string, text: string) => number) | undefined;
};

type Json = Record<string, unknown>;

function jsonLines(text: string, file: string): { row: Json; line: number }[] {
  const rows: { row: Json; line: number }[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      rows.push({ row: JSON.parse(line) as Json, line: index + 1 });
    } catch (error) {
      throw new ConfigError(file, `line ${index + 1}`, `malformed JSON: ${(error as Error).message}`);
    }
  });
  if (rows.length === 0) throw new ConfigError(file, '', 'no rows');
  return rows;
}

function field<T>(
  row: Json,
  name: string,
  check: (value: unknown) => value is T,
  file: string,
  line: number,
): T {
  const value = row[name];
  if (!check(value)) throw new ConfigError(file, `line ${line}, ${name}`, `missing or of the wrong type`);
  return value;
}
const isString = (value: unknown): value is string => typeof value === 'string';
const isBit = (value: unknown): value is 0 | 1 => value === 0 || value === 1;
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/**
 * RouteLLM's MMLU or GSM8K file (`routellm/*_gpt4_mixtral.jsonl`): per query, GPT-4's and Mixtral's
 * correctness (0/1). GSM8K rows carry both responses, whose token counts are the output tokens; MMLU answers
 * are one letter, counted as 1 output token. Token counts are the caller's tokenizer's: marked estimated.
 */
export function importRouteLlmCorrectness(
  text: string,
  file: string,
  name: string,
  options: RouteLlmImportOptions = {},
): OutcomeSet {
  const queries: OutcomeQuery[] = [];
  for (const { row, line } of jsonLines(text, file)) {
    if (!options.includeContaminated && field(row, 'contaminated', isBoolean, file, line)) continue;
    const prompt = field(row, 'prompt', isString, file, line);
    const outcome = (model: string, correct: string, response: string): ModelOutcome => {
      const answer = row[response] === undefined ? undefined : field(row, response, isString, file, line);
      return {
        score: field(row, correct, isBit, file, line),
        ...(options.countTokens === undefined
          ? {}
          : {
              inputTokens: options.countTokens(model, prompt),
              outputTokens: answer === undefined ? 1 : options.countTokens(model, answer),
              estimated: true,
            }),
        ...(answer === undefined ? {} : { response: answer }),
      };
    };
    queries.push({
      id: field(row, 'id', isString, file, line),
      prompt,
      category: typeof row['subject'] === 'string' ? row['subject'] : undefined,
      outcomes: {
        [routeLlmStrong]: outcome(routeLlmStrong, 'gpt4_correct', 'gpt4_response'),
        [routeLlmWeak]: outcome(routeLlmWeak, 'mixtral_correct', 'mixtral_response'),
      },
    });
  }
  return { name, source, scale: { kind: 'binary' }, models: [routeLlmStrong, routeLlmWeak], queries };
}

/** The commercial routers RouteLLM benchmarked on MT-Bench, kept beside the two models as reference points. */
export const mtBenchRouters = { martian: 'router:martian', unify: 'router:unify' } as const;

/**
 * RouteLLM's MT-Bench judge scores (`routellm/mtbench_scores.jsonl`): per question, GPT-4's single-answer
 * grades (1-10) of each model's two turns; the score is their mean, and the prompt is the first turn (what
 * RouteLLM routes on). Martian's and Unify's scores come along as `router:martian` / `router:unify`.
 */
export function importMtBench(text: string, file: string, options: RouteLlmImportOptions = {}): OutcomeSet {
  const queries: OutcomeQuery[] = [];
  const isTurns = (value: unknown): value is [string, string] =>
    Array.isArray(value) && value.length === 2 && value.every(isString);
  const isScores = (value: unknown): value is Record<string, [number, number]> =>
    typeof value === 'object' && value !== null;
  for (const { row, line } of jsonLines(text, file)) {
    if (!options.includeContaminated && field(row, 'contaminated', isBoolean, file, line)) continue;
    const turns = field(row, 'turns', isTurns, file, line);
    const scores = field(row, 'scores', isScores, file, line);
    const score = (key: string): ModelOutcome => {
      const pair = scores[key];
      if (!(Array.isArray(pair) && pair.length === 2 && pair.every((s) => typeof s === 'number'))) {
        throw new ConfigError(file, `line ${line}, scores.${key}`, 'expected two turn scores');
      }
      return { score: (pair[0] + pair[1]) / 2 };
    };
    queries.push({
      id: String(row['question_id']),
      prompt: turns[0],
      category: typeof row['category'] === 'string' ? row['category'] : undefined,
      outcomes: {
        [routeLlmStrong]: score('gpt4'),
        [routeLlmWeak]: score('mixtral'),
        [mtBenchRouters.martian]: score('martian'),
        [mtBenchRouters.unify]: score('unify'),
      },
    });
  }
  return {
    name: 'routellm-mt-bench',
    source,
    scale: { kind: 'graded', min: 1, max: 10 },
    models: [routeLlmStrong, routeLlmWeak, mtBenchRouters.martian, mtBenchRouters.unify],
    queries,
  };
}
