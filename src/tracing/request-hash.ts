import * as crypto from 'node:crypto';

/**
 * SHA-256 of a text as hex: the one-shot `crypto.hash` where Node has it (20.12+; no Hash object per call, it runs
 * on every gateway request), else `createHash`.
 */
export const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

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

/**
 * JSON with object keys sorted (UTF-16 code-unit order, as `Array.prototype.sort`), so that the same request
 * always reads the same; `undefined` properties are left out. Built by concatenation: it runs on every request.
 */
function stableJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      out += stableJson(value[index]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Insertion sort for the short key lists of a request (Array#sort allocates a working copy); same order.
  if (keys.length > 16) keys.sort();
  else {
    for (let index = 1; index < keys.length; index++) {
      const key = keys[index]!;
      let at = index - 1;
      for (; at >= 0 && keys[at]! > key; at--) keys[at + 1] = keys[at]!;
      keys[at + 1] = key;
    }
  }
  let out = '{';
  for (const key of keys) {
    const inner = record[key];
    if (inner === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${stableJson(inner)}`;
  }
  return `${out}}`;
}

/**
 * A hash of an LLM request body (SHA-256, first 16 bytes as hex) over everything that shapes the answer: model,
 * messages, tools, sampling parameters. Streaming flags and the caller's ids are left out, so a request retried
 * with or without streaming hashes the same. Keys are sorted: field order does not matter.
 */
export function requestHash(body: Readonly<Record<string, unknown>>): string {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (!ignored.has(key)) kept[key] = body[key];
  return sha256Hex(stableJson(kept)).slice(0, 32);
}
