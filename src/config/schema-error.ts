import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { formatPath, valueAt } from '../core/text/document-path.js';

/** The keys a mapping at `path` of a document may have, read from its schema. */
function keysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = root;
  for (const part of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodObject)
      schema = (schema.shape as Record<string, z.ZodType>)[String(part)]!;
    if (schema === undefined) return [];
  }
  const object = unwrap(schema);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

/** Looks through optional wrappers and unions (to the first mapping among their options). */
function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional) return unwrap(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodUnion) {
    const options = schema.options as z.ZodType[];
    return (
      options.map(unwrap).find((option) => option instanceof z.ZodObject || option instanceof z.ZodArray) ??
      schema
    );
  }
  return schema;
}

/**
 * The first issue of a failed parse as a one-line ConfigError: the file, the path inside it (`prices[2].input`),
 * what was expected and what was found; a misspelt key is named first (it usually explains the missing one).
 */
export function schemaError(file: string, data: unknown, schema: z.ZodType, error: z.ZodError): ConfigError {
  const issues = error.issues;
  const issue = issues.find((each) => each.code === 'unrecognized_keys') ?? issues[0]!;
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = keysAt(schema, issue.path);
    return new ConfigError(
      file,
      path,
      `unknown key '${issue.keys[0]}' (expected one of ${allowed.join(', ')})`,
    );
  }
  const found = describe(valueAt(data, issue.path));
  const expected = issue.message.replace(/^Invalid input: expected /, '');
  return new ConfigError(file, path, `expected ${expected}, found ${found}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
