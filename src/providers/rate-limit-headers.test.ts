import { describe, expect, it } from 'vitest';
import { parseResetDuration, rateLimitFromHeaders } from './rate-limit-headers.js';

describe('parseResetDuration', () => {
  it.each([
    ['1s', 1000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0.5s', 500],
    ['2', 2000],
    ['soon', undefined],
    ['1s later', undefined],
  ])('%s -> %s', (text, expected) => {
    expect(parseResetDuration(text)).toBe(expected);
  });
});

describe('rateLimitFromHeaders', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  it('reads the OpenAI x-ratelimit-* family', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-limit-tokens': '30000',
      'x-ratelimit-remaining-tokens': '29000',
      'x-ratelimit-reset-tokens': '6m0s',
    });
    expect(rateLimitFromHeaders(headers, now)).toEqual({
      limitRequests: 500,
      remainingRequests: 499,
      resetRequestsMs: 120,
      limitTokens: 30000,
      remainingTokens: 29000,
      resetTokensMs: 360_000,
    });
  });

  it('reads the Anthropic anthropic-ratelimit-* family (RFC 3339 resets)', () => {
    const headers = new Headers({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': '2025-06-01T12:00:30Z',
      'anthropic-ratelimit-tokens-limit': '90000',
      'anthropic-ratelimit-tokens-remaining': '80000',
      'anthropic-ratelimit-tokens-reset': '2025-06-01T11:59:00Z',
    });
    expect(rateLimitFromHeaders(headers, now)).toEqual({
      limitRequests: 50,
      remainingRequests: 49,
      resetRequestsMs: 30_000,
      limitTokens: 90000,
      remainingTokens: 80000,
      resetTokensMs: 0,
    });
  });

  it('falls back to Anthropic input-token limits, and is undefined without any header', () => {
    const headers = new Headers({ 'anthropic-ratelimit-input-tokens-remaining': '7' });
    expect(rateLimitFromHeaders(headers, now)).toEqual({ remainingTokens: 7 });
    expect(rateLimitFromHeaders(new Headers({ 'content-type': 'x' }), now)).toBeUndefined();
  });
});
