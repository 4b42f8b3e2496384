import type { Scorer } from '../scorer.js';
import { type JudgeOptions, llmJudge, questionOf } from './llm-judge.js';

/**
 * Correctness: are the row's expected facts supported by the answer (with a verdict per fact, which MLflow's
 * judge does not give), or, without facts, does it agree with the expected response. Pass only if all are.
 */
export function correctness(options: JudgeOptions): Scorer {
  return llmJudge(
    'correctness',
    (input) => {
      const { expected_facts: facts, expected_response: response } = input.row.expectations;
      if ((facts === undefined || facts.length === 0) && response === undefined) {
        return `correctness needs expected_facts or expected_response in row '${input.row.id}'s expectations`;
      }
      return {
        scorer: 'correctness',
        question: questionOf(input),
        answer: input.prediction.text,
        ...(facts && facts.length > 0 ? { expected_facts: facts } : { expected_response: response }),
      };
    },
    options,
  );
}

/** Completeness: does the answer address every explicit request in the question (with the list of requests). */
export function completeness(options: JudgeOptions): Scorer {
  return llmJudge(
    'completeness',
    (input) => ({ scorer: 'completeness', question: questionOf(input), answer: input.prediction.text }),
    options,
  );
}

/** RelevanceToQuery: does the answer address the question asked (whether or not it is right). */
export function relevanceToQuery(options: JudgeOptions): Scorer {
  return llmJudge(
    'relevance_to_query',
    (input) => ({ scorer: 'relevance_to_query', question: questionOf(input), answer: input.prediction.text }),
    options,
  );
}

/** Equivalence: does the answer mean the same as the row's expected response. */
export function equivalence(options: JudgeOptions): Scorer {
  return llmJudge(
    'equivalence',
    (input) => {
      const response = input.row.expectations.expected_response;
      if (response === undefined)
        return `equivalence needs expected_response in row '${input.row.id}'s expectations`;
      return {
        scorer: 'equivalence',
        question: questionOf(input),
        answer: input.prediction.text,
        expected_response: response,
      };
    },
    options,
  );
}

/**
 * Guidelines: does the answer follow a custom rubric (`guidelines`, plus any in the row's expectations). `name`
 * sets the metric name (default `guidelines`), so several rubrics can be scored side by side.
 */
export function guidelines(
  options: JudgeOptions & { readonly guidelines: readonly string[]; readonly name?: string },
): Scorer {
  return llmJudge(
    'guidelines',
    (input) => {
      const all = [...options.guidelines, ...(input.row.expectations.guidelines ?? [])];
      if (all.length === 0) return 'guidelines needs at least one guideline';
      return {
        scorer: 'guidelines',
        question: questionOf(input),
        answer: input.prediction.text,
        guidelines: all,
      };
    },
    options,
    options.name ?? 'guidelines',
  );
}
