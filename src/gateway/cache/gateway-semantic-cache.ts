import type { SemanticCacheConfig } from '../../config/parse-gateway-config.js';
import { ConfigError } from '../../core/errors.js';
import type { SpanCost } from '../../core/spans/span.js';
import { embedderFromSpec } from '../../optimize/semantic-cache/embedder-spec.js';
import {
  createRedisSemanticCacheStorage,
  type SemanticCacheRedis,
} from '../../optimize/semantic-cache/redis-semantic-cache-storage.js';
import { createSemanticCache, type SemanticCache } from '../../optimize/semantic-cache/semantic-cache.js';
import { type ChatSemanticKey, chatSemanticKey } from '../../optimize/semantic-cache/semantic-namespace.js';
import { generateRequestOf } from '../proxy/translate.js';
import type { Dialect } from '../routing/deployment.js';
import type { CachedResponse } from './response-cache.js';

/** Opens the semantic cache `gateway.semantic_cache` describes (Redis storage when shared). */
export async function openGatewaySemanticCache(
  config: SemanticCacheConfig,
  options: {
    readonly file: string;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly redis?: SemanticCacheRedis | undefined;
    readonly now: () => number;
    readonly log: (line: string) => void;
  },
): Promise<SemanticCache> {
  const apiKey = config.apiKeyEnv === undefined ? undefined : options.env[config.apiKeyEnv];
  if (config.apiKeyEnv !== undefined && !apiKey) {
    throw new ConfigError(
      options.file,
      'gateway.semantic_cache.api_key_env',
      `expected ${config.apiKeyEnv} to hold the embedding API key, found it unset`,
    );
  }
  let embedder: ReturnType<typeof embedderFromSpec>;
  try {
    embedder = embedderFromSpec(config.embedder, { apiKey, dimensions: config.dimensions });
  } catch (error) {
    throw new ConfigError(options.file, 'gateway.semantic_cache.embedder', (error as Error).message);
  }
  return createSemanticCache({
    embedder,
    threshold: config.threshold,
    ttlMs: config.ttlMs,
    maxEntries: config.maxEntries,
    storage:
      config.backend === 'redis' && options.redis
        ? createRedisSemanticCacheStorage(options.redis)
        : undefined,
    now: options.now,
    onError: (error) => options.log(`frugal gateway: semantic cache: ${(error as Error).message}`),
  });
}

/**
 * The semantic key of a chat or messages request: the last user turn to embed, and a namespace of the public
 * model, the system prompt, the earlier turns, every generation parameter, the route and whether it streams —
 * so an answer is only ever replayed in the shape it was recorded in. Undefined for requests it cannot key
 * (tools, images, a last turn that is not the user's): those bypass the semantic cache.
 */
export function gatewaySemanticKey(
  body: Readonly<Record<string, unknown>>,
  dialect: Dialect,
  route: string,
  model: string,
): ChatSemanticKey | undefined {
  let key: ChatSemanticKey | undefined;
  try {
    key = chatSemanticKey(generateRequestOf(body, dialect, new AbortController().signal), model);
  } catch {
    return undefined;
  }
  if (key === undefined) return undefined;
  const stream = body['stream'] === true;
  const usage = (body['stream_options'] as { include_usage?: unknown } | undefined)?.include_usage === true;
  return { ...key, parts: { ...key.parts, parameters: { ...key.parts.parameters, route, stream, usage } } };
}

/** A cached response as the semantic cache keeps it (its answer text), and back. */
export function encodeSemanticAnswer(response: CachedResponse): string {
  return JSON.stringify(response, (_key, value) => (typeof value === 'bigint' ? `${value}n` : value));
}

export function decodeSemanticAnswer(text: string): CachedResponse | undefined {
  try {
    const value = JSON.parse(text, (_key, item) =>
      typeof item === 'string' && /^-?\d+n$/.test(item) ? BigInt(item.slice(0, -1)) : item,
    ) as CachedResponse;
    return typeof value.body === 'string' && (value.kind === 'json' || value.kind === 'sse')
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

/** What a stored answer's original call cost, in pico-dollars (undefined: unpriced). */
export const costOf = (cost: SpanCost | undefined): bigint | undefined =>
  cost?.status === 'priced' ? cost.total : undefined;
