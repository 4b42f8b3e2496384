/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds (`120`, decimals accepted) or an HTTP-date
 * (relative to `now`, epoch ms; a date in the past means 0). Undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Capped exponential backoff with jitter before retry number `retry` (1 = the first retry): a random wait
 * between half and all of `initialMs × 2^(retry−1)`, never above `maxMs`. `random` returns [0, 1).
 */
export function backoffMs(
  retry: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
