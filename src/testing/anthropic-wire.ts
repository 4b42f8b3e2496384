import type { Usage } from '../core/usage.js';
import type { FakeError } from './fake-reply.js';
import { retryHeaders } from './reply-wire.js';

/**
 * Anthropic wire usage from frugal usage: the inverse of `usageFromAnthropic`. Anthropic's `input_tokens` counts
 * only fresh input; cache reads and writes are reported beside it, writes also split by TTL (5 minutes, 1 hour).
 */
export function anthropicUsageWire(usage: Usage): Record<string, unknown> {
  const read = usage.cachedInput ?? 0;
  const written5m = usage.cacheWrite ?? 0;
  const written1h = usage.cacheWrite1h ?? 0;
  return {
    input_tokens: (usage.input ?? 0) - read - written5m - written1h,
    cache_creation_input_tokens: written5m + written1h,
    cache_read_input_tokens: read,
    cache_creation: { ephemeral_5m_input_tokens: written5m, ephemeral_1h_input_tokens: written1h },
    output_tokens: usage.output ?? 0,
    service_tier: 'standard',
  };
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const defaultMessages: Record<string, string> = {
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit.',
  api_error: 'Internal server error',
  overloaded_error: 'Overloaded',
};

/** The `{ type: 'error', error: { type, message } }` object, in bodies and in the stream's `error` event. */
export function anthropicErrorObject(error: FakeError): Record<string, unknown> {
  const type = error.type ?? errorTypes[error.status] ?? 'api_error';
  return { type: 'error', error: { type, message: error.message ?? defaultMessages[type] ?? type } };
}

/** Anthropic's error body and headers: retry headers, and on a 429 the `anthropic-ratelimit-*` family. */
export function renderAnthropicError(error: FakeError): { body: unknown; headers: Record<string, string> } {
  const headers = retryHeaders(error);
  if (error.status === 429) {
    const seconds = error.retryAfterSeconds ?? Math.ceil((error.retryAfterMs ?? 1000) / 1000);
    const reset = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    for (const kind of ['requests', 'input-tokens', 'output-tokens']) {
      headers[`anthropic-ratelimit-${kind}-limit`] = kind === 'requests' ? '50' : '40000';
      headers[`anthropic-ratelimit-${kind}-remaining`] = '0';
      headers[`anthropic-ratelimit-${kind}-reset`] = reset;
    }
  }
  return { body: anthropicErrorObject(error), headers };
}
