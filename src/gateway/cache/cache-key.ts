import { createHash } from 'node:crypto';

/** The gateway routes whose answers the exact cache keeps. */
export const cacheRoutes = ['chat', 'messages', 'embeddings'] as const;
export type CacheRoute = (typeof cacheRoutes)[number];

/** What a cache key is made of: the route, the public model name asked for, and the parsed JSON body. */
export type ExactCacheKeyInput = {
  readonly route: CacheRoute;
  /** The public model name the client asked for (not what it routes to upstream). */
  readonly model: string;
  readonly body: Readonly<Record<string, unknown>>;
  /**
   * Optional partition (a tenant, or a version of the routing configuration): requests in different scopes
   * never share an entry. Omitted, every client of the gateway shares the cache.
   */
  readonly scope?: string | undefined;
};

/** Body fields left out of the key: the caller's ids and storage flags, which do not change the answer. */
export const keyIgnoredFields = ['user', 'metadata', 'store'] as const;
const ignored = new Set<string>(keyIgnoredFields);

/**
 * The exact-cache key of a request: `v1:` + SHA-256 (hex) of a canonical JSON of route, model and body.
 *
 * Canonical JSON: object keys sorted (UTF-16 code-unit order) at every depth, arrays kept in order,
 * `undefined` properties dropped (inside arrays they read as `null`, as in JSON), so two bodies that parse to
 * the same JSON value give the same key whatever their field order or spacing.
 *
 * Everything that can change the bytes of the answer is IN the key, so that a hit is always the answer to the
 * very same question (LiteLLM #3199 returned one model's answer for another):
 * - the route and the `model` argument (the body's own `model` field is replaced by it);
 * - messages, system, tools, tool_choice and every sampling parameter (temperature, top_p, max_tokens, seed,
 *   n, stop, logit_bias, response_format, ...): any field not listed below, unknown ones included;
 * - `stream`: a streamed reply and a JSON reply are different bytes, and a hit replays the recorded bytes
 *   exactly (`stream: false` is the default and keys the same as no `stream` field);
 * - `stream_options.include_usage` when true: it adds a usage chunk to the stream.
 *
 * Left OUT, because the answer does not depend on them: `user`, `metadata` (the caller's ids, Anthropic's
 * `metadata.user_id` included), `store`, and the rest of `stream_options` (e.g. `include_obfuscation`, random
 * padding the client discards).
 */
export function exactCacheKey(input: ExactCacheKeyInput): string {
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input.body)) {
    if (ignored.has(field) || field === 'model') continue;
    if (field === 'stream' && value === false) continue;
    if (field === 'stream_options') {
      const kept = keptStreamOptions(value);
      if (kept !== undefined) body[field] = kept;
      continue;
    }
    body[field] = value;
  }
  const keyed = { route: input.route, model: input.model, scope: input.scope, body };
  return `v1:${createHash('sha256').update(canonicalJson(keyed)).digest('hex')}`;
}

/** Of `stream_options`, only `include_usage: true` changes the streamed bytes (a value that is no object is kept). */
function keptStreamOptions(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return (value as Record<string, unknown>)['include_usage'] === true ? { include_usage: true } : undefined;
}

/** JSON with object keys sorted at every depth and undefined properties dropped. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether a request may be answered from the cache (`read`) and whether its fresh answer may be kept (`write`). */
export type CacheDirective = { readonly read: boolean; readonly write: boolean };

/**
 * The request's wish about caching, from its headers (names matched case-insensitively):
 * - `cache-control: no-cache`: do not answer from the cache, but the fresh answer may be stored;
 * - `cache-control: no-store`: neither read nor write (wins over `no-cache`);
 * - `x-frugal-cache: off`: neither read nor write.
 * Directives are comma-separated and case-insensitive, may repeat across header lines, and others
 * (`max-age=...`) are ignored.
 */
export function cacheDirective(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): CacheDirective {
  const tokens = new Set(
    headerValues(headers, 'cache-control').flatMap((line) =>
      line.split(',').map((token) => token.split('=')[0]!.trim().toLowerCase()),
    ),
  );
  const off = headerValues(headers, 'x-frugal-cache').some((value) => value.trim().toLowerCase() === 'off');
  if (off || tokens.has('no-store')) return { read: false, write: false };
  return { read: !tokens.has('no-cache'), write: true };
}

function headerValues(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values;
}
