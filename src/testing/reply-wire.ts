import type { Usage } from '../core/usage.js';
import type { FakeError, FakeReply } from './fake-reply.js';

/** The wire usage a reply carries: its raw object if scripted, else converted; undefined when none. */
export function wireUsage(
  reply: FakeReply,
  usage: Usage | undefined,
  convert: (usage: Usage) => Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (reply.rawUsage !== undefined) return { ...reply.rawUsage };
  return usage === undefined ? undefined : convert(usage);
}

/** `retry-after` / `retry-after-ms` headers for an error that scripts a retry delay. */
export function retryHeaders(error: FakeError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.retryAfterMs !== undefined) {
    headers['retry-after-ms'] = String(error.retryAfterMs);
    headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000));
  }
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return headers;
}
