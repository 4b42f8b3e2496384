import { z } from 'zod';

/**
 * An evaluation config (`frugal eval <file>`) as zod sees it. `schema/eval.schema.json` is generated from it
 * for editors. Each leaf's `error` is the "expected ..." half of a ConfigError message.
 *
 * ```yaml
 * experiment: cost-quality-tradeoff
 * dataset: eval_data.yaml             # relative to this file; JSON, JSONL, YAML or CSV in MLflow's shape
 * candidates:
 *   - name: gpt-4o-mini
 *     model: openai/gpt-4o-mini       # provider/model; sim/... models run offline
 *     system_prompt: You are a senior software engineer. Answer in 2-4 sentences.
 *     parameters: { temperature: 0, max_tokens: 400 }
 *   - name: gpt-4o
 *     model: openai/gpt-4o
 * judge: openai/gpt-4o-mini           # model for the LLM judges
 * scorers: [correctness, completeness, fact_coverage]
 * budget_usd: 2.00                    # hard cap on the whole evaluation's spend, judges included
 * rate_limits: { openai: { rpm: 500, tpm: 200000 } }
 * ```
 */
const text = (what: string) => z.string({ error: what }).min(1, { error: what });
const whole = (what: string, min: number) =>
  z.number({ error: what }).int({ error: what }).min(min, { error: what });
const positive = (what: string) => z.number({ error: what }).positive({ error: what });
const usd = z
  .union([
    z.number({ error: 'a USD amount ≥ 0' }).nonnegative({ error: 'a USD amount ≥ 0' }),
    z.string({ error: 'a USD amount ≥ 0' }).regex(/^\d+(\.\d+)?$/, { error: 'a USD amount ≥ 0' }),
  ])
  .meta({ description: 'USD, a number or a decimal string such as "0.50"' });
const modelId = text('a model as provider/model, e.g. openai/gpt-4o-mini or sim/small').regex(
  /^[^/\s]+\/\S+$/,
  {
    error: 'a model as provider/model, e.g. openai/gpt-4o-mini or sim/small',
  },
);

const parametersSchema = z.strictObject({
  temperature: z.number({ error: 'a number' }).min(0, { error: 'a number ≥ 0' }).optional(),
  top_p: z.number({ error: 'a number in [0, 1]' }).min(0).max(1, { error: 'a number in [0, 1]' }).optional(),
  max_tokens: whole('a whole number of tokens ≥ 1', 1).optional(),
  seed: whole('a whole number', 0).optional(),
  stop: z.array(z.string({ error: 'a string' }), { error: 'a list of strings' }).optional(),
  response_format: z.enum(['text', 'json'], { error: "'text' or 'json'" }).optional(),
  extra: z
    .record(z.string(), z.unknown(), { error: 'a mapping of provider-specific body fields' })
    .optional()
    .meta({ description: 'Provider-specific request fields sent as given, e.g. { reasoning_effort: low }' }),
});

export const candidateSchema = z.strictObject({
  name: text('a candidate name'),
  model: modelId.optional().meta({ description: 'provider/model; give this, cascade or router' }),
  cascade: z
    .strictObject({
      file: text('a cascade file written by frugal cascade train, relative to this config'),
      models: z
        .array(modelId, { error: 'a list of provider/model ids, one per stage' })
        .optional()
        .meta({ description: "The live model of each stage, in order (default: the file's stage names)" }),
    })
    .optional()
    .meta({
      description:
        'A learned FrugalGPT cascade instead of one model: each stage answers until its acceptance model keeps the answer',
    }),
  router: z
    .strictObject({
      file: text('a router file written by frugal route train, relative to this config'),
      strong: modelId
        .optional()
        .meta({ description: "The live strong model (default: the file's strong name)" }),
      weak: modelId.optional().meta({ description: "The live weak model (default: the file's weak name)" }),
    })
    .optional()
    .meta({
      description: 'A learned router instead of one model: each prompt goes to the strong or the weak model',
    }),
  system_prompt: z.string({ error: 'a string' }).optional(),
  prompt: z.string({ error: 'a string' }).optional().meta({
    description: 'The user message; {input} placeholders name the row inputs (default: {question})',
  }),
  parameters: parametersSchema.optional(),
  stream: z.boolean({ error: 'true or false' }).optional(),
});

const judgeSchema = z.union(
  [
    modelId,
    z.strictObject({
      model: modelId,
      temperature: z.number({ error: 'a number ≥ 0' }).min(0).optional(),
      attempts: whole('a whole number of attempts ≥ 1', 1).optional(),
      repeats: whole('a whole number of votes per answer ≥ 1', 1).optional().meta({
        description: 'Ask the judge this many times per answer (majority verdict) to measure its agreement',
      }),
    }),
  ],
  { error: 'a model as provider/model, or { model, temperature, attempts }' },
);

const scorerNames = [
  'correctness',
  'completeness',
  'relevance_to_query',
  'equivalence',
  'fact_coverage',
  'exact_match',
  'json_valid',
] as const;

const scorerSchema = z.union(
  [
    z.enum(scorerNames, { error: `a scorer: one of ${scorerNames.join(', ')}, or a mapping with type` }),
    z.strictObject({
      type: z.literal('guidelines'),
      name: text('a metric name').optional(),
      guidelines: z.array(text('a guideline')).min(1),
    }),
    z.strictObject({
      type: z.enum(['contains', 'not_contains']),
      name: text('a metric name').optional(),
      value: text('the text to look for'),
      case_sensitive: z.boolean().optional(),
    }),
    z.strictObject({
      type: z.literal('regex'),
      name: text('a metric name').optional(),
      pattern: text('a regular expression'),
      flags: z.string().optional(),
    }),
    z.strictObject({
      type: z.literal('json_schema'),
      name: text('a metric name').optional(),
      schema: z.record(z.string(), z.unknown()),
    }),
    z.strictObject({
      type: z.literal('length'),
      name: text('a metric name').optional(),
      unit: z.enum(['chars', 'words']).optional(),
      min: whole('a whole number ≥ 0', 0).optional(),
      max: whole('a whole number ≥ 0', 0).optional(),
    }),
    z.strictObject({
      type: z.literal('latency'),
      name: text('a metric name').optional(),
      max_ms: positive('milliseconds > 0'),
    }),
    z.strictObject({ type: z.literal('cost'), name: text('a metric name').optional(), max_usd: usd }),
    z.strictObject({
      type: z.enum(scorerNames),
      name: text('a metric name').optional(),
      threshold: z.number().min(0).max(1).optional(),
    }),
  ],
  {
    error: `a scorer: one of ${scorerNames.join(', ')}, or a mapping with type (guidelines, contains, regex, json_schema, length, latency, cost)`,
  },
);

const providerSchema = z.strictObject({
  base_url: z.url({ error: 'an http(s) URL' }).optional(),
  api_key_env: text('the name of the environment variable holding the API key').optional(),
  headers: z.record(z.string(), z.string({ error: 'a string' })).optional(),
  api_version: text('an API version (Azure)').optional(),
  timeout_ms: positive('milliseconds > 0').optional(),
  max_retries: whole('a whole number ≥ 0', 0).optional(),
  outcomes: text('a path to an outcomes file, relative to this config')
    .meta({ description: 'providers.replay only: the recorded outcomes replay/<model> answers from' })
    .optional(),
});

export const evalConfigSchema = z.strictObject({
  experiment: text('an experiment name').optional(),
  dataset: text('a dataset file (JSON, JSONL, YAML or CSV), relative to this config'),
  candidates: z
    .array(candidateSchema, { error: 'a list of candidates' })
    .min(1, { error: 'at least one candidate' }),
  judge: judgeSchema.optional(),
  scorers: z.array(scorerSchema, { error: 'a list of scorers' }).min(1, { error: 'at least one scorer' }),
  repeats: whole('a whole number of repeats ≥ 1', 1).optional(),
  concurrency: whole('a whole number ≥ 1', 1).optional(),
  rate_limits: z
    .record(
      text('a provider name'),
      z.strictObject({
        rpm: positive('requests per minute > 0').optional(),
        tpm: positive('tokens per minute > 0').optional(),
      }),
    )
    .optional(),
  budget_usd: usd.optional(),
  providers: z.record(text('a provider name'), providerSchema).optional(),
  primary: text('the scorer the recommendation ranks by').optional(),
  quality_bar: z
    .number({ error: 'a number in [0, 1]' })
    .min(0)
    .max(1, { error: 'a number in [0, 1]' })
    .optional(),
  monthly_volume: whole('a whole number of calls per month ≥ 1', 1).optional(),
  cache: z.boolean({ error: 'true or false' }).optional(),
  seed: whole('a whole number', 0).optional(),
});

export type RawEvalConfig = z.infer<typeof evalConfigSchema>;
export type RawCandidate = z.infer<typeof candidateSchema>;
export type RawScorer = z.infer<typeof scorerSchema>;
