import { FrugalError } from '../../core/errors.js';
import { type JudgeCase, judgeNames } from '../../core/evals/judge-protocol.js';

const block = /```frugal-judge[ \t]*\r?\n([\s\S]*?)\r?\n?```/;

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * The judge request in `prompt`, or undefined when it has no ```frugal-judge block. A block that is not
 * valid JSON of the documented shape is frugal's own bug, so it throws a `FrugalError` saying what is wrong.
 */
export function parseJudgeRequest(prompt: string): JudgeCase | undefined {
  const match = block.exec(prompt);
  if (!match) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(match[1]!);
  } catch (error) {
    throw new FrugalError(`sim judge: the frugal-judge block is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const problem = shapeProblem(value);
  if (problem) throw new FrugalError(`sim judge: the frugal-judge block ${problem}`);
  return value as JudgeCase;
}

function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JSON object';
  const request = value as Record<string, unknown>;
  if (!(judgeNames as readonly unknown[]).includes(request['scorer'])) {
    return `needs "scorer" as one of ${judgeNames.join(', ')}, got ${JSON.stringify(request['scorer'])}`;
  }
  for (const field of ['question', 'answer'] as const) {
    if (typeof request[field] !== 'string') return `needs "${field}" as a string`;
  }
  for (const field of ['expected_facts', 'guidelines'] as const) {
    if (request[field] !== undefined && !isStringList(request[field])) {
      return `needs "${field}" as a list of strings when given`;
    }
  }
  const expected = request['expected_response'];
  if (expected !== undefined && typeof expected !== 'string') {
    return 'needs "expected_response" as a string when given';
  }
  return undefined;
}
