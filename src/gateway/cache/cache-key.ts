import { requestHash, sha256Hex } from '../../tracing/request-hash.js';

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
  /** The body's `requestHash`, when the caller has it already (computed here otherwise). */
  readonly requestHash?: string | undefined;
};

/**
 * The exact-cache key of a request: `v1:` + SHA-256 (hex) of the route, the `model` argument, the scope, the
 * delivery (`stream`, and `stream_options.include_usage` when streaming) and the request's hash (the span's
 * `requestHash`: SHA-256 of the canonical JSON of the body, see tracing/request-hash.ts). One canonical JSON
 * per request serves both the span and the cache.
 *
 * Canonical JSON: object keys sorted at every depth, arrays kept in order, `undefined` properties dropped, so two
 * bodies that parse to the same JSON value give the same key whatever their field order or spacing.
 *
 * Everything that can change the bytes of the answer is IN the key, so that a hit is always the answer to the
 * very same question (LiteLLM #3199 returned one model's answer for another):
 * - the route and the public model name (routing policies may change it from the body's `model`);
 * - messages, system, tools, tool_choice and every sampling parameter (temperature, top_p, max_tokens, seed,
 *   n, stop, logit_bias, response_format, ...): any field not listed below, unknown ones included;
 * - `stream`: a streamed reply and a JSON reply are different bytes, and a hit replays the recorded bytes
 *   exactly (`stream: false` is the default and keys the same as no `stream` field);
 * - `stream_options.include_usage` when streaming: it adds a usage chunk to the stream.
 *
 * Left OUT, because the answer does not depend on them: `user`, `metadata` (the caller's ids, Anthropic's
 * `metadata.user_id` included), `store`, `service_tier`, `safety_identifier`, and the rest of `stream_options`.
 */
export function exactCacheKey(input: ExactCacheKeyInput): string {
  const hash = input.requestHash ?? requestHash(input.body);
  const stream = input.body['stream'] === true;
  const options = input.body['stream_options'];
  const usage =
    stream &&
    typeof options === 'object' &&
    options !== null &&
    (options as Record<string, unknown>)['include_usage'] === true;
  const keyed = JSON.stringify([input.route, input.model, input.scope ?? null, stream, usage, hash]);
  return `v1:${sha256Hex(keyed)}`;
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
  const control = headerValues(headers, 'cache-control');
  const frugal = headerValues(headers, 'x-frugal-cache');
  // Most requests carry neither header: answered without building anything.
  if (control.length === 0 && frugal.length === 0) return readWrite;
  const tokens = new Set(
    control.flatMap((line) => line.split(',').map((token) => token.split('=')[0]!.trim().toLowerCase())),
  );
  const off = frugal.some((value) => value.trim().toLowerCase() === 'off');
  if (off || tokens.has('no-store')) return { read: false, write: false };
  return { read: !tokens.has('no-cache'), write: true };
}

const readWrite: CacheDirective = Object.freeze({ read: true, write: true });
const none: readonly string[] = [];

function headerValues(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): readonly string[] {
  // node:http lower-cases header names: the direct lookup is the common case.
  const direct = headers[name];
  if (direct !== undefined) return Array.isArray(direct) ? direct : [direct];
  let values: string[] | undefined;
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined || key.toLowerCase() !== name) continue;
    values ??= [];
    values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values ?? none;
}
