import { z } from 'zod';
import { expectedFound } from '../../core/analysis/expected-found.js';
import { ConfigError } from '../../core/errors.js';
import { formatPath, valueAt } from '../../core/text/document-path.js';
import type { EvalRow, Expectations } from '../eval-row.js';
import { pathIn, type RawRow } from './raw-row.js';

const nonEmpty = 'a non-empty string';
const nonEmptyString = z
  .string({ error: nonEmpty })
  .refine((text) => text.trim() !== '', { error: nonEmpty });
const stringList = z.array(nonEmptyString, { error: 'a list of non-empty strings' });
const inputsExpected = 'a mapping of inputs with at least one key, such as { question: ... }';

const rowSchema = z.strictObject(
  {
    id: z
      .union([nonEmptyString, z.number().int()], { error: 'a non-empty string or a whole number' })
      .optional(),
    inputs: z
      .record(z.string(), z.unknown(), { error: inputsExpected })
      .refine((inputs) => Object.keys(inputs).length > 0, { error: inputsExpected }),
    expectations: z
      .looseObject(
        {
          expected_facts: stringList.optional(),
          expected_response: z.string({ error: 'a string' }).optional(),
          guidelines: z
            .union([nonEmptyString, stringList], { error: 'a string or a list of strings' })
            .optional(),
        },
        { error: 'a mapping such as { expected_facts: [...] }' },
      )
      .optional(),
    tags: z
      .record(
        z.string(),
        z.union([z.string(), z.number(), z.boolean()], { error: 'a string, number or boolean' }),
        {
          error: 'a mapping of tag names to values',
        },
      )
      .optional(),
  },
  { error: 'a mapping with inputs and optional expectations' },
);
const rowKeys = Object.keys(rowSchema.shape).join(', ');

/**
 * Validates rows into EvalRows: ids are the row's own `id` (a number becomes its decimal text) or `row-<n>`
 * from the 1-based position, and must be unique. Every problem is a ConfigError naming the file, the row and
 * the field.
 */
export function toEvalRows(rows: readonly RawRow[], file: string, emptyWhere = ''): EvalRow[] {
  if (rows.length === 0) throw new ConfigError(file, emptyWhere, 'expected at least one row, found none');
  const seen = new Map<string, string>();
  return rows.map((raw, index) => {
    const result = rowSchema.safeParse(raw.value);
    if (!result.success) throw issueError(file, raw, result.error.issues);
    const { id, inputs, expectations, tags } = result.data;
    const rowId = id === undefined ? `row-${index + 1}` : String(id);
    const earlier = seen.get(rowId);
    if (earlier !== undefined) {
      throw new ConfigError(
        file,
        pathIn(raw.where, id === undefined ? '' : 'id'),
        `duplicate row id '${rowId}' (also ${earlier})`,
      );
    }
    seen.set(rowId, raw.where);
    return {
      id: rowId,
      index,
      inputs,
      expectations: toExpectations(expectations),
      ...(tags === undefined
        ? {}
        : { tags: Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, String(value)])) }),
    };
  });
}

function toExpectations(raw: Record<string, unknown> | undefined): Expectations {
  if (raw === undefined) return {};
  const guidelines = raw['guidelines'];
  return typeof guidelines === 'string' ? { ...raw, guidelines: [guidelines] } : raw;
}

function issueError(file: string, raw: RawRow, issues: readonly z.core.$ZodIssue[]): ConfigError {
  // A misspelt key usually explains the missing one beside it: name it first.
  const issue = issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? issues[0]!;
  const path = pathIn(raw.where, formatPath(issue.path));
  if (issue.code === 'unrecognized_keys') {
    // Only the row itself is strict: expectations keep unknown keys for custom scorers.
    return new ConfigError(file, path, `unknown key '${issue.keys[0]}' (expected ${rowKeys})`);
  }
  const found = valueAt(raw.value, issue.path);
  const isEmptyMapping =
    typeof found === 'object' && found !== null && !Array.isArray(found) && Object.keys(found).length === 0;
  return new ConfigError(
    file,
    path,
    isEmptyMapping
      ? `expected ${issue.message}, found an empty mapping`
      : expectedFound(issue.message, found),
  );
}
