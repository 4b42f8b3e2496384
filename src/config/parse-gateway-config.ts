import { ConfigError } from '../core/errors.js';
import type { RawGateway } from './gateway-config-schema.js';

/** One deployment of a public model name, validated. */
export type DeploymentConfig = {
  /** `<model_name>#<index in model_list>`: names the deployment in spans, headers and cooldowns. */
  readonly id: string;
  readonly modelName: string;
  readonly provider: string;
  readonly model: string;
  readonly apiBase?: string | undefined;
  readonly apiKeyEnv?: string | undefined;
  readonly apiVersion?: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly weight: number;
  readonly rpm?: number | undefined;
  readonly tpm?: number | undefined;
  readonly timeoutMs?: number | undefined;
  /** provider replay: the outcomes file to answer from, as written (relative to the config file). */
  readonly outcomes?: string | undefined;
  /** Where it was written, for errors (`gateway.model_list[2]`). */
  readonly origin: { readonly file: string; readonly path: string };
};

export type RouterConfig = {
  readonly strategy: 'weighted' | 'least-busy';
  readonly retries: number;
  readonly timeoutMs: number;
  readonly allowedFails: number;
  readonly cooldownMs: number;
  readonly fallbacks: Readonly<Record<string, readonly string[]>>;
  readonly policy?: string | undefined;
};

/** A built-in routing policy: requests for `alias` are routed by a learned router or cascade file, or a tier table. */
export type PolicyConfig = {
  readonly alias: string;
  readonly origin: { readonly file: string; readonly path: string };
} & (
  | { readonly kind: 'learned'; readonly router: string }
  | { readonly kind: 'cascade'; readonly cascade: string; readonly models?: readonly string[] | undefined }
  | {
      readonly kind: 'tiers';
      readonly tiers: readonly {
        readonly model: string;
        readonly maxPromptTokens?: number | undefined;
        readonly skipIf?: RegExp | undefined;
      }[];
    }
);

export type SemanticCacheConfig = {
  readonly threshold: number;
  /** An embedder spec: `local`, `local:<dimensions>` or `openai:<model>@<base-url>`. */
  readonly embedder: string;
  readonly apiKeyEnv?: string | undefined;
  readonly dimensions?: number | undefined;
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly backend: 'memory' | 'redis';
};

export type GatewayCacheConfig = {
  readonly enabled: boolean;
  readonly backend: 'memory' | 'redis';
  readonly ttlMs: number;
  readonly maxEntries: number;
};

/** The `gateway:` section, validated, with every default filled in but the model list (see `deployments`). */
export type GatewayConfig = {
  readonly host: string;
  readonly port: number;
  readonly masterKeyEnv?: string | undefined;
  /** As written; undefined: required when the master key is set. */
  readonly requireKey?: boolean | undefined;
  readonly redis?: string | undefined;
  readonly journal: string;
  /** How often journaled spans go to the store (`store_flush_ms`). */
  readonly storeFlushMs: number;
  readonly maxBodyBytes: number;
  readonly shutdownGraceMs: number;
  /** Empty when the file names none: the gateway then serves the simulator models. */
  readonly deployments: readonly DeploymentConfig[];
  readonly router: RouterConfig;
  /** Built-in routing policies by name (`gateway.policies`). */
  readonly policies: Readonly<Record<string, PolicyConfig>>;
  readonly cache: GatewayCacheConfig;
  /** Off unless `gateway.semantic_cache` is set. */
  readonly semanticCache?: SemanticCacheConfig | undefined;
  readonly rateLimits: Readonly<
    Record<string, { readonly rpm?: number | undefined; readonly tpm?: number | undefined }>
  >;
};

export const defaultGatewayPort = 4000;

/** The gateway's settings from the raw `gateway:` section (or none); checks what zod cannot see. */
export function toGatewayConfig(raw: RawGateway | undefined, file: string): GatewayConfig {
  const section = raw ?? {};
  const deployments = (section.model_list ?? []).map(
    (entry, index): DeploymentConfig => ({
      id: `${entry.model_name}#${index}`,
      modelName: entry.model_name,
      provider: entry.provider,
      model: entry.model,
      apiBase: entry.api_base,
      apiKeyEnv: entry.api_key_env,
      apiVersion: entry.api_version,
      headers: entry.headers ?? {},
      weight: entry.weight ?? 1,
      rpm: entry.rpm,
      tpm: entry.tpm,
      timeoutMs: entry.timeout_ms,
      outcomes: entry.outcomes,
      origin: { file, path: `gateway.model_list[${index}]` },
    }),
  );
  const names = new Set(deployments.map((deployment) => deployment.modelName));
  const known = (name: string) => names.size === 0 || names.has(name);
  const fallbacks = section.router?.fallbacks ?? {};
  for (const [from, to] of Object.entries(fallbacks)) {
    for (const [index, name] of [from, ...to].entries()) {
      if (known(name)) continue;
      const path =
        index === 0 ? 'gateway.router.fallbacks' : `gateway.router.fallbacks.${from}[${index - 1}]`;
      throw new ConfigError(file, path, `expected a model_name from gateway.model_list, found '${name}'`);
    }
  }
  for (const name of Object.keys(section.rate_limits ?? {})) {
    if (!known(name)) {
      throw new ConfigError(
        file,
        `gateway.rate_limits.${name}`,
        `expected a model_name from gateway.model_list, found '${name}'`,
      );
    }
  }
  const backend = section.cache?.backend ?? 'memory';
  if (backend === 'redis' && section.redis === undefined) {
    throw new ConfigError(
      file,
      'gateway.cache.backend',
      'expected gateway.redis to be set for a redis cache',
    );
  }
  return {
    host: section.host ?? '127.0.0.1',
    port: section.port ?? defaultGatewayPort,
    masterKeyEnv: section.master_key_env,
    requireKey: section.require_key,
    redis: section.redis,
    journal: section.journal ?? '.frugal/journal',
    storeFlushMs: section.store_flush_ms ?? 50,
    maxBodyBytes: section.max_body_bytes ?? 4 * 1024 * 1024,
    shutdownGraceMs: section.shutdown_grace_ms ?? 10_000,
    deployments,
    router: {
      strategy: section.router?.strategy ?? 'weighted',
      retries: section.router?.retries ?? 2,
      timeoutMs: section.router?.timeout_ms ?? 600_000,
      allowedFails: section.router?.allowed_fails ?? 3,
      cooldownMs: section.router?.cooldown_ms ?? 30_000,
      fallbacks,
      policy: section.router?.policy,
    },
    policies: parsePolicies(section.policies ?? {}, file, known),
    cache: {
      enabled: section.cache?.enabled ?? true,
      backend,
      ttlMs: Math.round((section.cache?.ttl_seconds ?? 3600) * 1000),
      maxEntries: section.cache?.max_entries ?? 1_000,
    },
    semanticCache: semanticCacheOf(section, file),
    rateLimits: section.rate_limits ?? {},
  };
}

function semanticCacheOf(section: RawGateway, file: string): SemanticCacheConfig | undefined {
  const raw = section.semantic_cache;
  if (raw === undefined) return undefined;
  const backend = raw.backend ?? (section.redis === undefined ? 'memory' : 'redis');
  if (backend === 'redis' && section.redis === undefined) {
    throw new ConfigError(
      file,
      'gateway.semantic_cache.backend',
      'expected gateway.redis to be set for a redis semantic cache',
    );
  }
  return {
    threshold: raw.threshold,
    embedder: raw.embedder ?? 'local',
    apiKeyEnv: raw.api_key_env,
    dimensions: raw.dimensions,
    ttlMs: Math.round((raw.ttl_seconds ?? 86_400) * 1000),
    maxEntries: raw.max_entries ?? 10_000,
    backend,
  };
}

function parsePolicies(
  raw: NonNullable<RawGateway['policies']>,
  file: string,
  known: (name: string) => boolean,
): Record<string, PolicyConfig> {
  const policies: Record<string, PolicyConfig> = {};
  for (const [name, entry] of Object.entries(raw)) {
    const path = `gateway.policies.${name}`;
    const origin = { file, path };
    const alias = entry.model ?? 'frugal/auto';
    const kinds = [entry.learned, entry.cascade, entry.tiers].filter((kind) => kind !== undefined).length;
    if (kinds !== 1) {
      throw new ConfigError(
        file,
        path,
        'expected exactly one of learned (a router file), cascade (a cascade file) or tiers (a list)',
      );
    }
    if (entry.models !== undefined && entry.cascade === undefined)
      throw new ConfigError(file, `${path}.models`, 'models names the stages of a cascade: give cascade too');
    if (entry.learned !== undefined) {
      policies[name] = { kind: 'learned', alias, router: entry.learned, origin };
      continue;
    }
    if (entry.cascade !== undefined) {
      entry.models?.forEach((model, index) => {
        if (!known(model)) {
          throw new ConfigError(
            file,
            `${path}.models[${index}]`,
            `expected a model_name from gateway.model_list, found '${model}'`,
          );
        }
      });
      policies[name] = { kind: 'cascade', alias, cascade: entry.cascade, models: entry.models, origin };
      continue;
    }
    const tiers = entry.tiers!.map((tier, index) => {
      if (!known(tier.model)) {
        throw new ConfigError(
          file,
          `${path}.tiers[${index}].model`,
          `expected a model_name from gateway.model_list, found '${tier.model}'`,
        );
      }
      let skipIf: RegExp | undefined;
      try {
        skipIf = tier.skip_if === undefined ? undefined : new RegExp(tier.skip_if, 'i');
      } catch (error) {
        throw new ConfigError(
          file,
          `${path}.tiers[${index}].skip_if`,
          `expected a regular expression: ${(error as Error).message}`,
        );
      }
      return { model: tier.model, maxPromptTokens: tier.max_prompt_tokens, skipIf };
    });
    policies[name] = { kind: 'tiers', alias, tiers, origin };
  }
  return policies;
}
