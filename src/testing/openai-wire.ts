import type { Usage } from '../core/usage.js';
import type { FakeError } from './fake-reply.js';
import { retryHeaders } from './reply-wire.js';

/**
 * OpenAI Chat Completions wire usage from frugal usage: the inverse of `usageFromOpenAIChat` (prompt tokens
 * include cached ones, completion tokens include reasoning ones), with the detail objects OpenAI always sends.
 */
export function openAIChatUsageWire(usage: Usage): Record<string, unknown> {
  const input = usage.input ?? 0;
  const output = usage.output ?? 0;
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: usage.cachedInput ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoning ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** OpenAI Responses wire usage: the inverse of `usageFromOpenAIResponses`. */
export function openAIResponsesUsageWire(usage: Usage): Record<string, unknown> {
  const input = usage.input ?? 0;
  const output = usage.output ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cachedInput ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
    total_tokens: input + output,
  };
}

const defaults: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Forbidden.' },
  404: { type: 'invalid_request_error', code: 'unknown_url', message: 'Not found.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  503: {
    type: 'server_error',
    code: null,
    message: 'The engine is currently overloaded, please try again later.',
  },
};

/** The `{ error: { message, type, param, code } }` object OpenAI sends, in bodies and in stream error chunks. */
export function openAIErrorObject(error: FakeError): Record<string, unknown> {
  const fallback = defaults[error.status] ?? defaults[500]!;
  return {
    message: error.message ?? fallback.message,
    type: error.type ?? fallback.type,
    param: null,
    code: error.code ?? fallback.code,
  };
}

/** OpenAI's error body and headers: retry headers, and on a 429 the `x-ratelimit-*` family. */
export function renderOpenAIError(error: FakeError): { body: unknown; headers: Record<string, string> } {
  const headers = retryHeaders(error);
  if (error.status === 429) {
    const reset = `${error.retryAfterSeconds ?? Math.ceil((error.retryAfterMs ?? 1000) / 1000)}s`;
    Object.assign(headers, {
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': reset,
      'x-ratelimit-limit-tokens': '30000',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': reset,
    });
  }
  return { body: { error: openAIErrorObject(error) }, headers };
}
