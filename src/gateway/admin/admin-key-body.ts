import { z } from 'zod';
import { checkThresholds, defaultThresholds } from '../../core/budgets/budget.js';
import { parseUsd } from '../../core/money.js';
import { type TimeBucket, timeBuckets } from '../../core/spans/spend-query.js';
import { formatPath, valueAt } from '../../core/text/document-path.js';
import { zoneCalendar } from '../../core/time/zone-calendar.js';
import { type GatewayError, gatewayError } from '../http/gateway-reply.js';

const amountExpected =
  'a USD amount above 0 with at most 12 decimals, e.g. "25.00" (a string keeps it exact)';
const wholeAbove0 = (what: string) =>
  z
    .number({ error: `a whole number of ${what} ≥ 1` })
    .int({ error: `a whole number of ${what} ≥ 1` })
    .min(1, { error: `a whole number of ${what} ≥ 1` });
const nonEmptyText = (expected: string) =>
  z.string({ error: expected }).trim().min(1, { error: expected }).max(200, { error: expected });

/**
 * The body of `POST /admin/keys` (LiteLLM-like snake_case). Every field is optional; `null` counts as absent.
 * Unknown fields are refused, so that a misspelt `budget_usd` cannot create a key without its budget.
 */
const createKeySchema = z.strictObject({
  name: nonEmptyText('a name: text of 1 to 200 characters').nullish(),
  models: z
    .array(nonEmptyText('a model name (non-empty text)'), { error: 'a list of model names' })
    .nullish(),
  rpm: wholeAbove0('requests per minute').nullish(),
  tpm: wholeAbove0('tokens per minute').nullish(),
  feature: nonEmptyText('a feature name: text of 1 to 200 characters').nullish(),
  metadata: z
    .record(z.string(), z.string({ error: 'a label value (text)' }), { error: 'an object of text labels' })
    .nullish(),
  expires_at: z.iso
    .datetime({ offset: true, error: 'an ISO 8601 date-time with a zone, e.g. 2026-12-31T23:59:59Z' })
    .nullish(),
  budget_usd: z
    .union([z.number({ error: amountExpected }), z.string({ error: amountExpected })], {
      error: amountExpected,
    })
    .nullish(),
  budget_period: z.enum(timeBuckets, { error: `one of ${timeBuckets.join(', ')}` }).nullish(),
  budget_hard: z.boolean({ error: 'true or false' }).nullish(),
  budget_time_zone: z.string({ error: 'an IANA time zone such as Europe/Berlin or UTC' }).nullish(),
  budget_thresholds: z
    .array(z.number({ error: 'a percent of the limit' }), { error: 'a list of percents of the limit' })
    .nullish(),
});

const createKeyFields = Object.keys(createKeySchema.shape);

/** A key's budget as asked for: one Budget row (`key:<id>/<period>`) once the key has an id. */
export type RequestedBudget = {
  readonly period: TimeBucket;
  readonly timeZone: string;
  readonly limit: bigint;
  readonly hard: boolean;
  readonly thresholds: readonly number[];
};

/** What a valid `POST /admin/keys` body asks for, in the record's terms. */
export type NewKeyRequest = {
  readonly name?: string;
  readonly allowedModels?: readonly string[];
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  readonly defaultFeature?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly expiresAt?: number;
  readonly budget?: RequestedBudget;
};

/** A 400 in the OpenAI shape naming the field (`param`), what was expected and what was found. */
export function invalidField(
  param: string,
  expected: string,
  found: unknown,
  code = 'invalid_value',
): GatewayError {
  return gatewayError(400, code, `Invalid '${param}': expected ${expected}, found ${describe(found)}`, {
    param,
  });
}

/** Validates a `POST /admin/keys` body (undefined, an empty body, is `{}`); throws a 400 GatewayError. */
export function parseCreateKeyBody(body: unknown, now: number): NewKeyRequest {
  const result = createKeySchema.safeParse(body ?? {});
  if (!result.success) {
    const issue =
      result.error.issues.find((each) => each.code === 'unrecognized_keys') ?? result.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const param = formatPath([...issue.path, issue.keys[0]!]);
      throw gatewayError(
        400,
        'unknown_parameter',
        `Unknown field '${param}': expected one of ${createKeyFields.join(', ')}`,
        { param },
      );
    }
    const param = issue.path.length === 0 ? 'body' : formatPath(issue.path);
    const expected = issue.path.length === 0 ? 'a JSON object' : issue.message;
    throw invalidField(
      param,
      expected,
      valueAt(body, issue.path),
      `invalid_${issue.path.length ? 'value' : 'body'}`,
    );
  }
  const fields = result.data;
  let expiresAt: number | undefined;
  if (fields.expires_at !== undefined && fields.expires_at !== null) {
    expiresAt = Date.parse(fields.expires_at);
    if (!(expiresAt > now)) throw invalidField('expires_at', 'a time in the future', fields.expires_at);
  }
  return {
    ...(fields.name == null ? {} : { name: fields.name }),
    ...(fields.models == null ? {} : { allowedModels: [...new Set(fields.models)] }),
    ...(fields.rpm == null ? {} : { requestsPerMinute: fields.rpm }),
    ...(fields.tpm == null ? {} : { tokensPerMinute: fields.tpm }),
    ...(fields.feature == null ? {} : { defaultFeature: fields.feature }),
    metadata: fields.metadata ?? {},
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...budgetOf(fields),
  };
}

function budgetOf(fields: z.infer<typeof createKeySchema>): { budget?: RequestedBudget } {
  const amount = fields.budget_usd;
  if (amount === undefined || amount === null) {
    const stray = (['budget_period', 'budget_hard', 'budget_time_zone', 'budget_thresholds'] as const).find(
      (field) => fields[field] !== undefined && fields[field] !== null,
    );
    if (stray !== undefined)
      throw invalidField('budget_usd', `an amount, since ${stray} is given: ${amountExpected}`, undefined);
    return {};
  }
  let limit: bigint;
  try {
    limit = parseUsd(String(amount));
  } catch {
    throw invalidField('budget_usd', amountExpected, amount);
  }
  if (limit <= 0n) throw invalidField('budget_usd', amountExpected, amount);
  const timeZone = fields.budget_time_zone ?? 'UTC';
  try {
    zoneCalendar(timeZone);
  } catch {
    throw invalidField('budget_time_zone', 'an IANA time zone such as Europe/Berlin or UTC', timeZone);
  }
  let thresholds = defaultThresholds;
  if (fields.budget_thresholds !== undefined && fields.budget_thresholds !== null) {
    try {
      thresholds = checkThresholds(fields.budget_thresholds);
    } catch {
      throw invalidField(
        'budget_thresholds',
        'percents of the limit in (0, 1000], ascending, without repeats',
        fields.budget_thresholds,
      );
    }
  }
  return {
    budget: {
      period: fields.budget_period ?? 'month',
      timeZone,
      limit,
      hard: fields.budget_hard ?? true,
      thresholds,
    },
  };
}

/** A short description of what a field held (strings quoted and cut at 40 characters). */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length <= 5 ? JSON.stringify(value) : 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
