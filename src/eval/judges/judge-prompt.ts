import type { JudgeCase, JudgeName } from '../../core/evals/judge-protocol.js';

export type { JudgeCase, JudgeName };

const tasks: Record<JudgeName, string> = {
  correctness:
    'Decide, for each expected fact, whether the answer states or clearly implies it (a paraphrase counts; ' +
    'a contradiction or omission does not). If there is an expected response instead of facts, decide whether ' +
    'the answer agrees with it on every point the question asks about. Verdict "yes" only if every fact is supported.',
  completeness:
    'List every explicit request the question makes (each thing it asks to explain, compare, list or do). ' +
    'Decide for each whether the answer addresses it. Verdict "yes" only if every request is addressed.',
  guidelines:
    'Decide whether the answer follows every guideline. Verdict "yes" only if it follows all of them.',
  relevance_to_query:
    'Decide whether the answer is relevant to the question: it addresses what was asked rather than something ' +
    'else. Correctness does not matter here.',
  equivalence:
    'Decide whether the answer is equivalent to the expected response: the same meaning and the same key ' +
    'points, whatever the wording.',
};

const shapes: Record<JudgeName, string> = {
  correctness:
    '{"facts": [{"fact": "<the expected fact, verbatim>", "supported": true|false, "rationale": "<why>"}], ' +
    '"rationale": "<overall reasoning>", "verdict": "yes"|"no"}',
  completeness:
    '{"requests": [{"request": "<one request of the question>", "addressed": true|false}], ' +
    '"rationale": "<reasoning>", "verdict": "yes"|"no"}',
  guidelines: '{"rationale": "<reasoning, naming any guideline broken>", "verdict": "yes"|"no"}',
  relevance_to_query: '{"rationale": "<reasoning>", "verdict": "yes"|"no"}',
  equivalence: '{"rationale": "<reasoning>", "verdict": "yes"|"no"}',
};

export const judgeSystemPrompt =
  'You are a strict, fair evaluator of answers to questions. You reply with one JSON object and nothing else.';

/**
 * The judge's user message: the task in words, the case as a fenced ```frugal-judge JSON block, and the exact
 * reply shape. One format for real LLM judges and for the offline simulated judge.
 */
export function judgePrompt(judgeCase: JudgeCase): string {
  const payload: Record<string, unknown> = { ...judgeCase };
  for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
  return [
    tasks[judgeCase.scorer],
    'The case (question, answer and what is expected) is this JSON:',
    `\`\`\`frugal-judge\n${JSON.stringify(payload, null, 2)}\n\`\`\``,
    `Reply with exactly one JSON object of this shape, and nothing else:\n${shapes[judgeCase.scorer]}`,
  ].join('\n\n');
}
