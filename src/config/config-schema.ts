import { z } from 'zod';
import { anomaliesSchema } from './anomalies-schema.js';
import { gatewaySchema } from './gateway-config-schema.js';

/**
 * The frugal config file (`frugal.yaml` or `frugal.json`) as zod sees it: the raw shape, before prices are
 * turned into exact integers. `parseConfig` validates against it once; `schema/frugal.schema.json` is
 * generated from it for editors. Each leaf's `error` is the "expected ..." half of a ConfigError message.
 *
 * ```yaml
 * prices:
 *   - model: gpt-4o                # a catalog model: these prices replace the catalog's for it
 *     input: 2.00                  # USD per 1M tokens: a number or an exact decimal string
 *     output: "8.00"
 *     cached_input: 1.00
 *     effective_from: 2026-12-01   # optional: from that day on (earlier days keep the older price)
 *   - model: llama-3.3-70b-local   # any other name is a custom model
 *     gpu: { hourly_usd: 2.49, count: 2, concurrency: 8 }   # or tokens_per_second: 1800
 * ```
 */
const decimalText = /^\d+(\.\d+)?$/;
const priceExpected = 'a USD price per 1M tokens: a number ≥ 0 or a decimal string such as "2.50"';

/** A number or a decimal string; every branch says the same thing when it fails. */
const decimalAmount = (expected: string) =>
  z.union(
    [
      z.number({ error: expected }).nonnegative({ error: expected }),
      z.string({ error: expected }).regex(decimalText, { error: expected }),
    ],
    { error: expected },
  );

const pricePerMillion = decimalAmount(priceExpected).meta({
  description: 'USD per 1M tokens, e.g. 2.5 or "2.50" (at most 6 decimals)',
});

const positiveNumber = (what: string) =>
  z
    .number({ error: what })
    .positive({ error: what })
    .meta({ description: `${what} (at most 3 decimals)` });

const gpuSchema = z
  .strictObject({
    hourly_usd: decimalAmount(
      'a USD price per GPU-hour: a number ≥ 0 or a decimal string such as "2.49"',
    ).meta({ description: 'USD per GPU per hour' }),
    count: z
      .number({ error: 'a whole number of GPUs ≥ 1' })
      .int({ error: 'a whole number of GPUs ≥ 1' })
      .min(1, { error: 'a whole number of GPUs ≥ 1' })
      .meta({ description: 'GPUs the model occupies' }),
    concurrency: positiveNumber('requests served at once, a number > 0').optional(),
    tokens_per_second: positiveNumber('measured input + output tokens per second, a number > 0').optional(),
  })
  .meta({
    description:
      'Self-hosted model priced per GPU-hour. With concurrency, a request costs duration × hourly_usd × count / ' +
      'concurrency (needs its measured duration); with tokens_per_second, (input + output) tokens / ' +
      'tokens_per_second × hourly_usd × count. Give exactly one of the two.',
  });

const dateExpected = 'a date YYYY-MM-DD';

/** One entry of `prices:`. */
export const priceSchema = z
  .strictObject({
    model: z
      .string({ error: 'a model name (a catalog id to override, or a custom name)' })
      .trim()
      .min(1, { error: 'a model name (a catalog id to override, or a custom name)' }),
    provider: z.string({ error: 'a provider name' }).min(1, { error: 'a provider name' }).optional(),
    mode: z
      .enum(['chat', 'completion', 'responses', 'embedding'], {
        error: 'one of chat, completion, responses, embedding',
      })
      .optional(),
    effective_from: z
      .string({ error: dateExpected })
      .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: dateExpected })
      .meta({ description: 'First day (UTC) this price applies; earlier days keep the previous price' })
      .optional(),
    context_window: z
      .number({ error: 'a whole number of tokens' })
      .int({ error: 'a whole number of tokens' })
      .positive({ error: 'a whole number of tokens' })
      .optional(),
    max_output: z
      .number({ error: 'a whole number of tokens' })
      .int({ error: 'a whole number of tokens' })
      .positive({ error: 'a whole number of tokens' })
      .optional(),
    input: pricePerMillion.optional(),
    output: pricePerMillion.optional(),
    cached_input: pricePerMillion.optional(),
    cache_write: pricePerMillion.optional(),
    cache_write_1h: pricePerMillion.optional(),
    reasoning: pricePerMillion.optional(),
    batch_input: pricePerMillion.optional(),
    batch_output: pricePerMillion.optional(),
    gpu: gpuSchema.optional(),
  })
  .meta({
    description:
      'A price. If `model` names a catalog model, these prices replace all of its catalog prices (rates not ' +
      'given are absent, not inherited); any other name is a custom model. Per-token (input and output ' +
      'required) or gpu, not both.',
  });

const scopeExpected =
  "a budget scope: 'global' or one of model:<name>, feature:<name>, user:<id>, key:<id>, tag:<tag>";
const zoneExpected = 'an IANA time zone such as Europe/Berlin or UTC';

/** One entry of `budgets:`. */
export const budgetSchema = z
  .strictObject({
    id: z
      .string({ error: 'a budget id' })
      .trim()
      .min(1, { error: 'a budget id' })
      .meta({ description: 'Stable name (default <scope>/<period>, e.g. feature:search/day)' })
      .optional(),
    scope: z.string({ error: scopeExpected }).meta({ description: scopeExpected }),
    period: z
      .enum(['hour', 'day', 'week', 'month'], { error: 'one of hour, day, week, month' })
      .meta({ description: 'Calendar period in time_zone; weeks start on Monday' }),
    limit_usd: decimalAmount('a USD amount: a number ≥ 0 or a decimal string such as "50.00"').meta({
      description: 'Spend allowed per period, USD (at most 12 decimals)',
    }),
    hard: z
      .boolean({ error: 'true or false' })
      .meta({ description: 'Refuse calls that could take spend over the limit (default false: alerts only)' })
      .optional(),
    thresholds: z
      .array(z.number({ error: 'a percent of the limit' }), { error: 'a list of percents' })
      .meta({
        description: 'Alert at these percents of the limit, once per period (default [50, 80, 90, 100])',
      })
      .optional(),
    time_zone: z
      .string({ error: zoneExpected })
      .meta({ description: 'Zone of the calendar periods (default: the top-level time_zone, else UTC)' })
      .optional(),
  })
  .meta({ description: 'A spending limit per calendar period over a scope of the ledger' });

const webhookSchema = z.strictObject({
  url: z
    .url({ error: 'an http(s) URL' })
    .meta({ description: 'Receives Slack-compatible JSON ({ text, alert })' }),
  headers: z
    .record(z.string(), z.string({ error: 'a header value (text)' }), {
      error: 'a mapping of header names to values',
    })
    .optional(),
});

const alertsSchema = z
  .strictObject({
    webhooks: z
      .array(
        z.union([z.url({ error: 'an http(s) URL' }), webhookSchema], { error: 'a URL or { url, headers }' }),
        {
          error: 'a list of webhooks',
        },
      )
      .meta({ description: 'Posted each new alert, retried on failure' })
      .optional(),
  })
  .meta({ description: 'Where budget and anomaly alerts go' });

/** The whole config file. Unknown keys are errors (a typo must not silently drop a price). */
export const configSchema = z
  .strictObject({
    $schema: z.string({ error: 'a string (the JSON schema URL)' }).optional(),
    store: z
      .string({ error: 'a store location: a SQLite file path (sqlite:path) or a postgres:// URL' })
      .trim()
      .min(1, { error: 'a store location: a SQLite file path (sqlite:path) or a postgres:// URL' })
      .meta({ description: 'Where spans and budgets live (default: sqlite:.frugal/frugal.db)' })
      .optional(),
    prices: z
      .array(priceSchema, { error: 'a list of prices' })
      .meta({ description: 'Overrides of catalog prices and custom models; they win over the catalog' })
      .optional(),
    time_zone: z
      .string({ error: zoneExpected })
      .meta({ description: 'Zone for calendar periods of budgets and reports (default UTC)' })
      .optional(),
    budgets: z
      .array(budgetSchema, { error: 'a list of budgets' })
      .meta({ description: 'Budgets as code; `frugal budgets set` adds more to the store' })
      .optional(),
    alerts: alertsSchema.optional(),
    anomalies: anomaliesSchema.optional(),
    gateway: gatewaySchema.optional(),
  })
  .meta({ title: 'frugal config (frugal.yaml / frugal.json)' });

/** The config file as written, after validation and before prices become exact integers. */
export type RawConfig = z.infer<typeof configSchema>;
/** One raw `budgets:` entry. */
export type RawBudget = z.infer<typeof budgetSchema>;
/** One raw `prices:` entry. */
export type RawPrice = z.infer<typeof priceSchema>;
