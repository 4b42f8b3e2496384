import type { RateLimitState } from './chat-model.js';

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An OpenAI reset duration (`1s`, `6m0s`, `20ms`, `1h2m3.5s`) in ms; undefined when unreadable. */
export function parseResetDuration(value: string): number | undefined {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  return Math.round(parts.reduce((sum, part) => sum + Number(part[1]) * (units[part[2]!] ?? 0), 0));
}

function count(headers: Headers, name: string): number | undefined {
  const value = headers.get(name)?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** ms from `now` to an RFC 3339 time (0 when it is past). */
function untilTime(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : Math.max(0, time - now);
}

function duration(value: string | null): number | undefined {
  return value === null ? undefined : parseResetDuration(value);
}

function withoutUndefined(state: Record<string, number | undefined>): RateLimitState | undefined {
  const defined = Object.entries(state).filter(([, value]) => value !== undefined);
  return defined.length === 0 ? undefined : (Object.fromEntries(defined) as RateLimitState);
}

/**
 * The rate-limit state a response reports, from OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`
 * (resets are durations) or Anthropic's `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}` (resets
 * are RFC 3339 times; `input-tokens` stands in when `tokens` is absent). Undefined when there are none.
 */
export function rateLimitFromHeaders(headers: Headers, now: number): RateLimitState | undefined {
  const anthropic = (kind: string, field: string) => `anthropic-ratelimit-${kind}-${field}`;
  const tokenKind = headers.has(anthropic('tokens', 'limit')) ? 'tokens' : 'input-tokens';
  return withoutUndefined({
    limitRequests:
      count(headers, 'x-ratelimit-limit-requests') ?? count(headers, anthropic('requests', 'limit')),
    remainingRequests:
      count(headers, 'x-ratelimit-remaining-requests') ?? count(headers, anthropic('requests', 'remaining')),
    resetRequestsMs:
      duration(headers.get('x-ratelimit-reset-requests')) ??
      untilTime(headers.get(anthropic('requests', 'reset')), now),
    limitTokens: count(headers, 'x-ratelimit-limit-tokens') ?? count(headers, anthropic(tokenKind, 'limit')),
    remainingTokens:
      count(headers, 'x-ratelimit-remaining-tokens') ?? count(headers, anthropic(tokenKind, 'remaining')),
    resetTokensMs:
      duration(headers.get('x-ratelimit-reset-tokens')) ??
      untilTime(headers.get(anthropic(tokenKind, 'reset')), now),
  });
}
