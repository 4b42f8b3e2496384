import type { Usage } from '../core/usage.js';

/**
 * The provider port: plain types, one shape for every provider. Each adapter normalises its wire usage into
 * `Usage` in one place and keeps the raw payload beside it. Middleware (tracing, caching, routing, budgets)
 * wraps a `ChatModel` and returns a `ChatModel`.
 */

export const chatRoles = ['system', 'user', 'assistant'] as const;
export type ChatRole = (typeof chatRoles)[number];

/** One turn of a conversation. Text only: the evaluation and optimisation paths need nothing more. */
export type ChatTurn = { readonly role: ChatRole; readonly content: string };

export type GenerateRequest = {
  readonly messages: readonly ChatTurn[];
  /** Cap on generated tokens (reasoning included); the provider's default when absent. */
  readonly maxOutputTokens?: number | undefined;
  readonly temperature?: number | undefined;
  readonly topP?: number | undefined;
  readonly stop?: readonly string[] | undefined;
  readonly seed?: number | undefined;
  /** Ask for a JSON object reply where the provider supports it (judges use this). */
  readonly responseFormat?: 'text' | 'json' | undefined;
  /** Extra provider-specific body fields, sent as given (`{ reasoning_effort: 'low' }`). */
  readonly providerOptions?: Readonly<Record<string, unknown>> | undefined;
  /** Aborts the call; an aborted call rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
};

export const finishReasons = ['stop', 'length', 'content-filter', 'tool-calls', 'error', 'other'] as const;
export type FinishReason = (typeof finishReasons)[number];

/** What the provider said about its rate limits on this response (`x-ratelimit-*` headers), when it did. */
export type RateLimitState = {
  readonly limitRequests?: number | undefined;
  readonly remainingRequests?: number | undefined;
  /** ms until the request window resets. */
  readonly resetRequestsMs?: number | undefined;
  readonly limitTokens?: number | undefined;
  readonly remainingTokens?: number | undefined;
  readonly resetTokensMs?: number | undefined;
};

export type GenerateResult = {
  readonly text: string;
  /** Usage in frugal's convention (see `Usage`); fields the provider did not report stay undefined. */
  readonly usage: Usage;
  readonly finishReason: FinishReason;
  /** The model that answered, as the provider named it (may be a dated snapshot of the requested one). */
  readonly responseModel: string;
  /** Wall time from sending the request to the last byte, ms. */
  readonly latencyMs: number;
  /** Streams only: ms from sending the request to the first text delta. */
  readonly timeToFirstTokenMs?: number | undefined;
  readonly requestId?: string | undefined;
  readonly rateLimit?: RateLimitState | undefined;
  /** True when the simulator produced this: it is never to be shown as a real model's output. */
  readonly simulated: boolean;
  /** The provider's response body (non-stream) or its parsed stream events, as received. */
  readonly raw: unknown;
};

export type StreamPart =
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'finish'; readonly result: GenerateResult };

export interface ChatModel {
  /** `provider/model`, e.g. `openai/gpt-4o-mini`, `anthropic/claude-sonnet-4-5`, `sim/frugal-small`. */
  readonly id: string;
  /** Which adapter: `openai`, `azure`, `anthropic`, `gemini`, `ollama`, ..., `sim`. */
  readonly provider: string;
  /** The model name sent to the provider and used to look up its price. */
  readonly model: string;
  /** True for the offline simulator's models. */
  readonly simulated: boolean;
  /**
   * Where calls go (an API root, never a key), when over HTTP: the same model name at two endpoints (a proxy,
   * a self-hosted server) is two models to a cache.
   */
  readonly endpoint?: string | undefined;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Text deltas, then exactly one `finish` part carrying the same result `generate` would return. */
  stream(request: GenerateRequest): AsyncIterable<StreamPart>;
  /**
   * Set by a model made of other models (a cascade): the same model with each inner model passed through
   * `wrap`. Tracing wraps the inner models instead of this one, so every inner call is its own span, priced
   * at its own model's price, rather than one span whose summed usage no single price fits.
   */
  readonly mapInner?: ((wrap: (inner: ChatModel) => ChatModel) => ChatModel) | undefined;
}

export type EmbedRequest = {
  readonly inputs: readonly string[];
  readonly dimensions?: number | undefined;
  readonly signal?: AbortSignal | undefined;
};

export type EmbedResult = {
  /** One vector per input, in input order. */
  readonly vectors: readonly (readonly number[])[];
  readonly usage: Usage;
  readonly responseModel: string;
  readonly latencyMs: number;
  readonly requestId?: string | undefined;
  readonly simulated: boolean;
  readonly raw: unknown;
};

export interface EmbeddingModel {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly simulated: boolean;
  embed(request: EmbedRequest): Promise<EmbedResult>;
}
