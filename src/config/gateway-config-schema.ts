import { z } from 'zod';

/**
 * The `gateway:` section of the frugal config (`frugal gateway --config frugal.yaml`). It sits beside `store`,
 * `prices` and `budgets`, which the gateway uses as every other command does, so one file describes the ledger
 * the gateway writes and the reports read. `model_list` follows LiteLLM's: public names mapped to deployments.
 *
 * ```yaml
 * store: postgres://frugal@db/frugal      # shared by every replica
 * budgets:
 *   - { scope: global, period: day, limit_usd: 200, hard: true }
 * gateway:
 *   master_key_env: FRUGAL_MASTER_KEY     # admin API (virtual keys); unset: admin API off
 *   redis: redis://cache:6379             # budgets, rate limits and cache shared by replicas
 *   model_list:
 *     - model_name: gpt-4o-mini           # what clients ask for
 *       provider: openai                  # openai (or any OpenAI-compatible preset), anthropic, sim
 *       model: gpt-4o-mini                # the upstream's name
 *       api_key_env: OPENAI_API_KEY
 *       weight: 2
 *     - model_name: gpt-4o-mini
 *       provider: azure
 *       model: gpt-4o-mini-eu
 *       api_base: https://eu.openai.azure.com
 *       api_key_env: AZURE_API_KEY
 *   router: { strategy: least-busy, retries: 2, fallbacks: { gpt-4o: [gpt-4o-mini] } }
 *   cache: { backend: redis, ttl_seconds: 3600 }
 *   rate_limits: { gpt-4o: { rpm: 500, tpm: 200000 } }
 * ```
 */
const text = (what: string) => z.string({ error: what }).trim().min(1, { error: what });
const whole = (what: string, min: number) =>
  z.number({ error: what }).int({ error: what }).min(min, { error: what });
const positive = (what: string) => z.number({ error: what }).positive({ error: what });

const perMinute = z
  .strictObject({
    rpm: positive('requests per minute, a number > 0').optional(),
    tpm: positive('tokens per minute, a number > 0').optional(),
  })
  .meta({ description: 'Requests and tokens per minute, shared by every replica through Redis' });

/** One deployment: where a public model name is served. */
export const deploymentSchema = z
  .strictObject({
    model_name: text('the public model name clients ask for, e.g. gpt-4o-mini'),
    provider: text(
      'a provider: sim, anthropic, openai or another OpenAI-compatible preset (azure, ollama, vllm, groq, ...), or any name with api_base',
    ),
    model: text("the upstream's model name (for azure: the deployment name)"),
    api_base: z
      .url({ error: 'an http(s) URL such as https://api.openai.com/v1' })
      .meta({ description: "The upstream's base URL (default: the provider's)" })
      .optional(),
    api_key_env: text('the name of the environment variable holding the upstream API key')
      .meta({ description: 'Environment variable with the upstream key (never written in the file)' })
      .optional(),
    api_version: text('an API version (azure)').optional(),
    headers: z
      .record(z.string(), z.string({ error: 'a header value (text)' }), {
        error: 'a mapping of header names to values',
      })
      .optional(),
    weight: positive('a weight > 0 (share of traffic among deployments of one name)').optional(),
    rpm: positive('requests per minute > 0 this deployment accepts').optional(),
    tpm: positive('tokens per minute > 0 this deployment accepts').optional(),
    timeout_ms: positive('milliseconds > 0').optional(),
    outcomes: text('a path to an outcomes file (JSONL)')
      .meta({
        description:
          'provider replay only: recorded outcomes to answer from (frugal, RouteLLM, MT-Bench or AlpacaEval JSONL)',
      })
      .optional(),
  })
  .meta({ description: 'One deployment of a public model name; several per name are load balanced' });

const tierSchema = z.strictObject({
  model: text('a model_name from gateway.model_list'),
  max_prompt_tokens: positive('estimated prompt tokens > 0 (characters / 4)').optional(),
  skip_if: text('a regular expression (case-insensitive)')
    .meta({ description: 'Prompts matching it skip this tier (words that mark harder work)' })
    .optional(),
});

/** A built-in routing policy, chosen by `router.policy`; it applies to requests for its `model` alias. */
const policySchema = z
  .strictObject({
    model: text('the public alias clients ask for, e.g. frugal/auto')
      .meta({ description: 'Requests for this name are routed by the policy (default frugal/auto)' })
      .optional(),
    learned: text('a path to a router file from `frugal route train`')
      .meta({
        description: 'A learned router: its strong and weak models must be model_names of the gateway',
      })
      .optional(),
    cascade: text('a path to a cascade file from `frugal cascade train`')
      .meta({
        description:
          'A learned FrugalGPT cascade: each stage (a model_name) answers until its acceptance model keeps the answer',
      })
      .optional(),
    models: z
      .array(text('a model_name from gateway.model_list'), { error: 'a list of model_names, one per stage' })
      .meta({
        description:
          "cascade only: the model_name serving each stage, in order (default: the file's stage names)",
      })
      .optional(),
    tiers: z
      .array(tierSchema, { error: 'a list of tiers' })
      .min(1, { error: 'at least one tier' })
      .meta({
        description:
          'A complexity rule table: the first tier a prompt fits answers it; the last takes the rest',
      })
      .optional(),
  })
  .meta({
    description:
      'A built-in routing policy: learned (a router file), cascade (a cascade file) or tiers (rules)',
  });

const routerSchema = z
  .strictObject({
    strategy: z
      .enum(['weighted', 'least-busy'], { error: "'weighted' or 'least-busy'" })
      .meta({ description: 'How a deployment is chosen among those of a name (default weighted)' })
      .optional(),
    retries: whole('a whole number of retries ≥ 0', 0)
      .meta({
        description: 'Other deployments tried after a 429, 5xx, timeout or dropped connection (default 2)',
      })
      .optional(),
    timeout_ms: positive('milliseconds > 0')
      .meta({ description: 'Per-attempt upstream timeout, unless the deployment sets one (default 600000)' })
      .optional(),
    allowed_fails: whole('a whole number of failures ≥ 1', 1)
      .meta({ description: 'Failures within cooldown_ms that cool a deployment down (default 3)' })
      .optional(),
    cooldown_ms: positive('milliseconds > 0')
      .meta({ description: 'How long a failing deployment is skipped (default 30000; a Retry-After wins)' })
      .optional(),
    fallbacks: z
      .record(text('a model name'), z.array(text('a model name'), { error: 'a list of model names' }), {
        error: 'a mapping of model names to lists of fallback model names',
      })
      .meta({ description: 'Other public names tried, in order, when every deployment of a name failed' })
      .optional(),
    policy: text('the name of a routing policy registered with createGateway')
      .meta({ description: 'A pluggable routing policy (e.g. a learned router) that picks the public name' })
      .optional(),
  })
  .meta({ description: 'Retries, fallbacks, cooldowns and load balancing' });

const cacheSchema = z
  .strictObject({
    enabled: z.boolean({ error: 'true or false' }).optional(),
    backend: z
      .enum(['memory', 'redis'], { error: "'memory' or 'redis'" })
      .meta({ description: 'memory (default; per replica) or redis (shared; needs gateway.redis)' })
      .optional(),
    ttl_seconds: positive('seconds > 0').optional(),
    max_entries: whole('a whole number of entries ≥ 1', 1)
      .meta({
        description:
          'memory backend: entries kept per replica, least recently used dropped first (default 1000)',
      })
      .optional(),
  })
  .meta({ description: 'Exact response cache (default: on, in memory, 1 hour)' });

const semanticCacheSchema = z
  .strictObject({
    threshold: z
      .number({ error: 'a cosine similarity in (0, 1]' })
      .gt(0, { error: 'a cosine similarity in (0, 1]' })
      .max(1, { error: 'a cosine similarity in (0, 1]' })
      .meta({
        description:
          'Similarity at or above which a stored answer is served: calibrate it (frugal cache calibrate)',
      }),
    embedder: text("'local', 'local:<dimensions>' or 'openai:<model>@<base-url>'")
      .meta({ description: 'How questions are embedded (default local: lexical, no download, no cost)' })
      .optional(),
    api_key_env: text('the name of the environment variable holding the embedding API key').optional(),
    dimensions: whole('a whole number of dimensions ≥ 8', 8)
      .meta({ description: "The remote embedder's vector length (default 1536)" })
      .optional(),
    ttl_seconds: positive('seconds > 0').optional(),
    max_entries: whole('a whole number of entries ≥ 1', 1).optional(),
    backend: z
      .enum(['memory', 'redis'], { error: "'memory' or 'redis'" })
      .meta({ description: 'memory (per replica) or redis (shared; default when gateway.redis is set)' })
      .optional(),
  })
  .meta({
    description:
      'Semantic cache after the exact cache: similar questions get a stored answer (off unless set)',
  });

export const gatewaySchema = z
  .strictObject({
    host: text('a host name or address to listen on').meta({ description: 'Default 127.0.0.1' }).optional(),
    port: whole('a port number 0-65535', 0).max(65535, { error: 'a port number 0-65535' }).optional(),
    master_key_env: text('the name of the environment variable holding the master key')
      .meta({ description: 'Guards the admin API (virtual keys); unset or empty variable: admin API off' })
      .optional(),
    require_key: z
      .boolean({ error: 'true or false' })
      .meta({
        description:
          'Refuse requests without a virtual key (default: true when master_key_env is set, else false)',
      })
      .optional(),
    redis: z
      .string({ error: 'a redis:// URL' })
      .regex(/^rediss?:\/\//, { error: 'a redis:// URL' })
      .meta({ description: 'Shares hard budgets, rate limits and (backend: redis) the cache among replicas' })
      .optional(),
    journal: text('a directory for the span journal')
      .meta({ description: 'This replica’s write-ahead journal of spans (default .frugal/journal)' })
      .optional(),
    store_flush_ms: positive('milliseconds > 0')
      .meta({
        description:
          'How often journaled spans are written to the store (default 50; a crash loses none either way)',
      })
      .optional(),
    max_body_bytes: whole('a whole number of bytes ≥ 1024', 1024).optional(),
    shutdown_grace_ms: positive('milliseconds > 0')
      .meta({ description: 'How long a shutdown waits for requests in flight (default 10000)' })
      .optional(),
    model_list: z
      .array(deploymentSchema, { error: 'a list of deployments' })
      .meta({ description: 'Public model names and their deployments (default: the simulator models)' })
      .optional(),
    router: routerSchema.optional(),
    policies: z
      .record(text('a policy name'), policySchema, { error: 'a mapping of policy names to policies' })
      .meta({ description: 'Built-in routing policies by name, for router.policy' })
      .optional(),
    cache: cacheSchema.optional(),
    semantic_cache: semanticCacheSchema.optional(),
    rate_limits: z
      .record(text('a public model name'), perMinute, { error: 'a mapping of model names to { rpm, tpm }' })
      .meta({ description: 'Per public model name, across all keys' })
      .optional(),
  })
  .meta({ description: 'The OpenAI- and Anthropic-compatible gateway (`frugal gateway`)' });

export type RawGateway = z.infer<typeof gatewaySchema>;
export type RawDeployment = z.infer<typeof deploymentSchema>;
