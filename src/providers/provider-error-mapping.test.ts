import { describe, expect, it } from 'vitest';
import {
  isRetryableStatus,
  providerErrorFromEvent,
  providerErrorFromResponse,
  redact,
} from './provider-error-mapping.js';

const context = { provider: 'p', secrets: ['sk-secret-key'], now: Date.parse('2025-01-01T00:00:00Z') };

describe('providerErrorFromResponse', () => {
  it.each([
    {
      name: 'OpenAI 429 with retry-after-ms and a request id',
      status: 429,
      headers: { 'retry-after-ms': '1500', 'retry-after': '2', 'x-request-id': 'req_1' },
      body: { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } },
      expected: { code: 'rate_limit_exceeded', retryable: true, retryAfterMs: 1500, requestId: 'req_1' },
    },
    {
      name: 'OpenAI 400 with no code: the type',
      status: 400,
      headers: {},
      body: { error: { message: 'bad', type: 'invalid_request_error', code: null } },
      expected: { code: 'invalid_request_error', retryable: false, retryAfterMs: undefined },
    },
    {
      name: 'Anthropic 529 overloaded, retry-after in seconds, request-id',
      status: 529,
      headers: { 'retry-after': '3', 'request-id': 'req_a' },
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      expected: { code: 'overloaded_error', retryable: true, retryAfterMs: 3000, requestId: 'req_a' },
    },
    {
      name: 'retry-after as an HTTP date',
      status: 503,
      headers: { 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' },
      body: {},
      expected: { retryable: true, retryAfterMs: 5000 },
    },
    {
      name: 'Gemini 429 with RetryInfo and no header',
      status: 429,
      headers: {},
      body: {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: 'quota',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
        },
      },
      expected: { code: 'RESOURCE_EXHAUSTED', retryable: true, retryAfterMs: 7000 },
    },
    { name: '408', status: 408, headers: {}, body: 'timeout', expected: { retryable: true } },
    { name: '409', status: 409, headers: {}, body: 'conflict', expected: { retryable: true } },
    { name: '401', status: 401, headers: {}, body: 'no', expected: { retryable: false } },
    { name: '422', status: 422, headers: {}, body: 'no', expected: { retryable: false } },
  ])('$name', ({ status, headers, body, expected }) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const error = providerErrorFromResponse(context, status, new Headers(headers), text);
    expect(error.status).toBe(status);
    expect(error.details).toMatchObject(expected);
    expect(error.details.body).toEqual(body);
    expect(error.message).toContain(`HTTP ${status}`);
  });

  it('keeps a non-JSON body as text and redacts the key from message and body', () => {
    const error = providerErrorFromResponse(
      context,
      502,
      new Headers(),
      '<html>bad gateway sk-secret-key</html>',
    );
    expect(error.details.body).toBe('<html>bad gateway [redacted]</html>');
    expect(error.message).not.toContain('sk-secret-key');
  });
});

describe('providerErrorFromEvent', () => {
  it.each([
    [{ error: { type: 'server_error', message: 'oops' } }, 'server_error', true],
    [{ type: 'error', error: { type: 'overloaded_error', message: 'busy' } }, 'overloaded_error', true],
    [
      { type: 'error', error: { type: 'invalid_request_error', message: 'no' } },
      'invalid_request_error',
      false,
    ],
    [{ error: { code: 503, status: 'UNAVAILABLE', message: 'later' } }, 'UNAVAILABLE', true],
  ])('%j', (event, code, retryable) => {
    const error = providerErrorFromEvent(context, event, 'req_9');
    expect(error.details).toMatchObject({ code, retryable, requestId: 'req_9' });
  });
});

describe('isRetryableStatus and redact', () => {
  it.each([
    [200, false],
    [400, false],
    [408, true],
    [409, true],
    [429, true],
    [500, true],
    [529, true],
  ])('%i retryable: %s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });

  it('replaces every occurrence, ignoring absent or tiny secrets', () => {
    expect(redact('a KEYS b KEYS', ['KEYS', undefined, 'a'])).toBe('a [redacted] b [redacted]');
  });
});
