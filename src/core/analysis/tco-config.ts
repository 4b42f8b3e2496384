import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { expectedFound } from './expected-found.js';
import { compareRationals, parseDecimal, type Rational, rational } from './rational.js';
import type { PriceUnit, TcoModel } from './tco.js';

const nonNegative = 'a non-negative decimal number';

/** A decimal leaf (number or decimal text), exact, at least 0 and at most `max` when given. */
const decimal = (what = nonNegative, max?: Rational) =>
  z.unknown().transform((value, context) => {
    let parsed: Rational | undefined;
    if (typeof value === 'number' || typeof value === 'string') {
      try {
        parsed = parseDecimal(value);
      } catch {
        parsed = undefined;
      }
    }
    if (
      parsed === undefined ||
      parsed.numerator < 0n ||
      (max !== undefined && compareRationals(parsed, max) > 0)
    ) {
      context.addIssue({ code: 'custom', message: expectedFound(what, value) });
      return z.NEVER;
    }
    return parsed;
  });

const hoursItem = z.strictObject({ hours: decimal(), hourly_rate: decimal() });

/** A line item: a monthly dollar amount, or `{ hours, hourly_rate }`. */
const lineItem = z.unknown().transform((value, context) => {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const result = hoursItem.safeParse(value);
    if (result.success) return { hours: result.data.hours, hourlyRate: result.data.hourly_rate };
    for (const issue of result.error.issues) context.addIssue({ ...issue, path: issue.path });
    return z.NEVER;
  }
  const result = decimal('a monthly dollar amount or { hours, hourly_rate }').safeParse(value);
  if (result.success) return result.data;
  context.addIssue({ code: 'custom', message: result.error.issues[0]?.message ?? 'invalid line item' });
  return z.NEVER;
});

const lineItems = z.record(z.string(), lineItem).optional();

const apiSchema = z.strictObject({
  input_tokens_per_query: decimal(),
  output_tokens_per_query: decimal(),
  prices_per: z.unknown().transform((value, context) => {
    const unit = typeof value === 'string' ? value.trim().toUpperCase() : value;
    if (unit === '1K' || unit === '1M') return unit as PriceUnit;
    context.addIssue({
      code: 'custom',
      message: expectedFound("'1K' or '1M' (tokens per quoted price)", value),
    });
    return z.NEVER;
  }),
  input_price: decimal(),
  output_price: decimal(),
  cached_input_share: decimal('a share between 0 and 1', rational(1n)).optional(),
  cached_input_price: decimal().optional(),
  fixed: lineItems,
});

const tcoSchema = z.strictObject({
  name: z.string().optional(),
  days_per_month: decimal('a number of days more than 0').optional(),
  queries_per_day: decimal().optional(),
  queries_per_month: decimal().optional(),
  api: apiSchema.optional(),
  infrastructure: lineItems,
  engineering: lineItems,
  quality: lineItems,
  operational: lineItems,
});

const allowedKeys = (path: readonly PropertyKey[]): readonly string[] =>
  path.length === 0
    ? Object.keys(tcoSchema.shape)
    : path.length === 1 && path[0] === 'api'
      ? Object.keys(apiSchema.shape)
      : Object.keys(hoursItem.shape);

/** A validated TCO model and the title it was given, if any. */
export type TcoConfig = { readonly name: string | undefined; readonly model: TcoModel };

/**
 * Validates a parsed TCO file (YAML or JSON, snake_case keys; see examples/tco.yaml) into a `TcoModel`.
 * Throws ConfigError naming `file`, the path in it, what was expected and what was found.
 */
export function parseTcoConfig(data: unknown, file: string): TcoConfig {
  const result = tcoSchema.safeParse(data);
  if (!result.success) {
    const [issue] = result.error.issues;
    const others = result.error.issues.length - 1;
    const more = others > 0 ? ` (and ${others} more problem${others > 1 ? 's' : ''})` : '';
    throw new ConfigError(file, issuePath(issue!), `${issueProblem(issue!, data)}${more}`, {
      cause: result.error,
    });
  }
  const config = result.data;
  if ((config.queries_per_day === undefined) === (config.queries_per_month === undefined)) {
    const found = config.queries_per_day === undefined ? 'neither' : 'both';
    throw new ConfigError(
      file,
      '',
      `expected exactly one of queries_per_day and queries_per_month, found ${found}`,
    );
  }
  if (config.days_per_month !== undefined && config.days_per_month.numerator === 0n) {
    throw new ConfigError(file, 'days_per_month', 'expected a number of days more than 0, found 0');
  }
  const api = config.api;
  if (
    api?.cached_input_share !== undefined &&
    api.cached_input_share.numerator !== 0n &&
    !api.cached_input_price
  ) {
    throw new ConfigError(
      file,
      'api.cached_input_price',
      'missing: required when cached_input_share is more than 0',
    );
  }
  const volume =
    config.queries_per_day !== undefined
      ? { queriesPerDay: config.queries_per_day }
      : { queriesPerMonth: config.queries_per_month! };
  const model: TcoModel = {
    ...volume,
    ...(config.days_per_month && { daysPerMonth: config.days_per_month }),
    ...(api && {
      api: {
        inputTokensPerQuery: api.input_tokens_per_query,
        outputTokensPerQuery: api.output_tokens_per_query,
        pricesPer: api.prices_per,
        inputPrice: api.input_price,
        outputPrice: api.output_price,
        ...(api.cached_input_share && { cachedInputShare: api.cached_input_share }),
        ...(api.cached_input_price && { cachedInputPrice: api.cached_input_price }),
        ...(api.fixed && { fixed: api.fixed }),
      },
    }),
    ...(config.infrastructure && { infrastructure: config.infrastructure }),
    ...(config.engineering && { engineering: config.engineering }),
    ...(config.quality && { quality: config.quality }),
    ...(config.operational && { operational: config.operational }),
  };
  return { name: config.name, model };
}

function issuePath(issue: z.core.$ZodIssue): string {
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index ? '.' : ''}${String(key)}`))
    .join('');
}

function issueProblem(issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key; expected one of ${allowedKeys(issue.path).join(', ')}`;
  if (issue.code === 'invalid_type') {
    const expected =
      issue.expected === 'object' || issue.expected === 'record' ? 'a mapping' : `a ${issue.expected}`;
    return expectedFound(expected, valueAt(data, issue.path));
  }
  return issue.message;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) =>
      typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    data,
  );
}
