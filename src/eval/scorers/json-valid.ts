import type { Scorer } from '../scorer.js';
import { type JsonAnswerOptions, readJsonAnswer } from './json-answer.js';
import type { ScorerOptions } from './scorer-options.js';

/** Passes when the whole answer is valid JSON (optionally inside one Markdown code fence). */
export function jsonValid(options: ScorerOptions & JsonAnswerOptions = {}): Scorer {
  return {
    name: options.name ?? 'json_valid',
    kind: 'pass-fail',
    usesJudge: false,
    async score({ prediction }) {
      const answer = readJsonAnswer(prediction.text, options);
      return answer.ok ? { value: true } : { value: false, rationale: answer.problem };
    },
  };
}
