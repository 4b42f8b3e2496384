import type { Usage } from '../core/usage.js';

/** A tool call the fake model answers with; `arguments` is sent as the provider sends it (JSON text or object). */
export type FakeToolCall = {
  readonly id?: string | undefined;
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
};

/**
 * An HTTP error the fake answers with, rendered in the provider's own JSON error body. `retryAfterMs` /
 * `retryAfterSeconds` become the provider's retry headers (`retry-after-ms`, `retry-after`) and, on a 429, its
 * rate-limit headers (`x-ratelimit-*`, `anthropic-ratelimit-*`) or Gemini's `RetryInfo`. `headers` are sent as
 * given, over those; `body` replaces the rendered body entirely.
 */
export type FakeError = {
  readonly status: number;
  readonly message?: string | undefined;
  /** The provider's error type (`rate_limit_error`, `server_error`, `RESOURCE_EXHAUSTED`...); default per status. */
  readonly type?: string | undefined;
  /** OpenAI's `code` (`rate_limit_exceeded`, `invalid_api_key`...). */
  readonly code?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly retryAfterSeconds?: number | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: unknown;
};

/** Delays, in milliseconds: before the response starts (headers included), and between streamed events. */
export type FakeLatency = {
  readonly firstByteMs?: number | undefined;
  readonly chunkDelayMs?: number | undefined;
};

/**
 * What a fake provider answers to one request. Every field is optional; the defaults give a short text answer
 * from the requested model with usage of about 4 characters per token.
 */
export type FakeReply = {
  /** The assistant's text (default `Hello from the fake server.`). Empty for a tool-call-only answer. */
  readonly text?: string | undefined;
  /** How the text is streamed; must join to `text` (default: word by word, each word with its leading space). */
  readonly pieces?: readonly string[] | undefined;
  readonly toolCalls?: readonly FakeToolCall[] | undefined;
  /** The model the response names (default: the requested one). */
  readonly model?: string | undefined;
  /**
   * Usage in frugal's convention, converted by each fake to its provider's wire shape (the inverse of
   * core/usage-from-wire). `null`: the response reports no usage at all. Default: estimated from the request.
   */
  readonly usage?: Usage | null | undefined;
  /** An exact wire usage object, sent as is instead of one converted from `usage`. */
  readonly rawUsage?: Readonly<Record<string, unknown>> | undefined;
  /** The provider's own stop value (`stop`, `length`, `end_turn`, `MAX_TOKENS`...); default: normal end. */
  readonly finishReason?: string | undefined;
  /** Embeddings only: the vectors to return, one per input (default: deterministic vectors from the text). */
  readonly vectors?: readonly (readonly number[])[] | undefined;
  readonly latency?: FakeLatency | undefined;
  /** Answer with this HTTP error instead. */
  readonly error?: FakeError | undefined;
  /** Streams: send this error event after `afterChunks` events, then end the stream (provider's error event). */
  readonly streamError?: { readonly afterChunks: number; readonly error: FakeError } | undefined;
  /**
   * Destroy the connection. Streams: after this many events (0: right after the headers). Non-streaming
   * requests: without answering at all.
   */
  readonly disconnectAfterChunks?: number | undefined;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
};

/** A request as the fake received it: lower-cased headers, the query, the JSON body parsed (else undefined). */
export type RecordedRequest = {
  readonly method: string;
  /** The path without the query, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly rawBody: string;
  /** Epoch milliseconds. */
  readonly receivedAt: number;
};

/** A reply for every request, or one computed from the request. */
export type FakeReplySource = FakeReply | ((request: RecordedRequest) => FakeReply | Promise<FakeReply>);

export const defaultFakeText = 'Hello from the fake server.';

/** The pieces a reply's text is streamed in: as scripted, else word by word (joining back to the text). */
export function textPieces(reply: FakeReply): string[] {
  const text = reply.text ?? defaultFakeText;
  if (reply.pieces !== undefined) {
    if (reply.pieces.join('') !== text) throw new Error('fake reply: pieces must join to text');
    return [...reply.pieces];
  }
  const words: string[] = text.match(/\s*\S+/g) ?? [];
  const rest = text.slice(words.join('').length);
  if (rest === '') return words;
  if (words.length === 0) return [rest];
  words[words.length - 1] += rest;
  return words;
}

/** About 4 characters per token, at least 1: the fakes' stand-in for a tokenizer. */
export function approximateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Every string inside a JSON value, concatenated: the "prompt text" of a request body for estimates. */
export function stringsIn(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(stringsIn).join('');
  if (typeof value === 'object' && value !== null) return Object.values(value).map(stringsIn).join('');
  return '';
}

/**
 * The usage a reply reports: as scripted, `undefined` when scripted `null`, else estimated — input from the
 * request's prompt fields, output from the answer's text and tool calls, with no cache or reasoning tokens.
 */
export function replyUsage(reply: FakeReply, prompt: unknown): Usage | undefined {
  if (reply.usage === null) return undefined;
  if (reply.usage !== undefined) return reply.usage;
  const answer = (reply.text ?? defaultFakeText) + stringsIn(reply.toolCalls ?? []);
  return {
    input: approximateTokens(stringsIn(prompt)),
    cachedInput: 0,
    cacheWrite: 0,
    output: approximateTokens(answer),
    reasoning: 0,
  };
}

/** Ids like `chatcmpl-fake1`, `msg_fake2`: unique within one fake server, readable in test failures. */
export function idSource(): (prefix: string) => string {
  let counter = 0;
  return (prefix) => {
    counter += 1;
    return `${prefix}fake${counter}`;
  };
}

/** Splits a text into `count` nearly equal pieces (at least one), e.g. to stream tool-call arguments. */
export function splitText(text: string, count = 2): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces.length > 0 ? pieces : [''];
}
