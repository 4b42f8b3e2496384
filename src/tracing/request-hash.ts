import { createHash } from 'node:crypto';

/** Request fields that do not change the answer asked for: how it is delivered, and the caller's ids. */
const ignored = new Set([
  'stream',
  'stream_options',
  'user',
  'metadata',
  'store',
  'service_tier',
  'safety_identifier',
]);

/** JSON with object keys sorted, so that the same request always reads the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A hash of an LLM request body (SHA-256, first 16 bytes as hex) over everything that shapes the answer: model,
 * messages, tools, sampling parameters. Streaming flags and the caller's ids are left out, so a request retried
 * with or without streaming hashes the same. Keys are sorted: field order does not matter.
 */
export function requestHash(body: Readonly<Record<string, unknown>>): string {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (!ignored.has(key)) kept[key] = body[key];
  return createHash('sha256').update(stableJson(kept)).digest('hex').slice(0, 32);
}
