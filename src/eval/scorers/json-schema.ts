import { z } from 'zod';
import type { Scorer } from '../scorer.js';
import { type JsonAnswerOptions, readJsonAnswer } from './json-answer.js';
import type { ScorerOptions } from './scorer-options.js';

/** A JSON Schema document (draft 2020-12 by default; `$schema` may name draft-07 or draft-04). */
export type JsonSchema = boolean | Readonly<Record<string, unknown>>;

/**
 * Passes when the answer is JSON that satisfies `schema`. The schema is converted with zod 4's
 * `z.fromJSONSchema` (zod calls it semi-experimental): it covers the usual keywords — type, properties,
 * required, additionalProperties, items, enum, const, minimum/maximum, minLength/maxLength, pattern, format,
 * allOf/anyOf/oneOf and local `$ref`s. A schema it cannot convert throws a RangeError when the scorer is made,
 * never a failed row. A failing row's rationale names the first problem and its path (`$.items[2]`).
 */
export function jsonSchema(schema: JsonSchema, options: ScorerOptions & JsonAnswerOptions = {}): Scorer {
  let validator: z.ZodType;
  try {
    validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    throw new RangeError(`cannot use this JSON schema: ${(error as Error).message}`, { cause: error });
  }
  return {
    name: options.name ?? 'json_schema',
    kind: 'pass-fail',
    usesJudge: false,
    async score({ prediction }) {
      const answer = readJsonAnswer(prediction.text, options);
      if (!answer.ok) return { value: false, rationale: answer.problem };
      const result = validator.safeParse(answer.value);
      if (result.success) return { value: true };
      const problems = result.error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`);
      return { value: false, rationale: problems[0]!, details: { problems } };
    },
  };
}

function pathText(path: readonly PropertyKey[]): string {
  return `$${path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`;
}
