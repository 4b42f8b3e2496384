import type { Span } from '../core/spans/span.js';

type BigintBox = { $bigint: string };

const isBigintBox = (value: unknown): value is BigintBox =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as BigintBox).$bigint === 'string' &&
  Object.keys(value).length === 1;

/** One span as one line of JSON (no newline inside, `\n` at the end); bigints become `{"$bigint":"…"}`. */
export function spanToJsonLine(span: Span): string {
  // Fast path: a span's one bigint is a priced cost's total (a replacer function would double the time).
  try {
    const cost = span.cost;
    const plain =
      cost?.status === 'priced'
        ? { ...span, cost: { ...cost, total: { $bigint: cost.total.toString() } } }
        : span;
    return `${JSON.stringify(plain)}\n`;
  } catch {
    return `${JSON.stringify(span, bigintReplacer)}\n`;
  }
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? { $bigint: value.toString() } : value;
}

/**
 * Reads a line written by `spanToJsonLine`, bigints restored exactly. Undefined when the text is not JSON or
 * not span-shaped (a torn last line after a power loss, a foreign file).
 */
export function spanFromJsonLine(line: string): Span | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line, (_key, item) => (isBigintBox(item) ? BigInt(item.$bigint) : item));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const span = value as Partial<Span>;
  const shaped =
    typeof span.id === 'string' &&
    typeof span.traceId === 'string' &&
    typeof span.name === 'string' &&
    typeof span.startTime === 'number' &&
    typeof span.durationMs === 'number' &&
    typeof span.attribution === 'object' &&
    typeof span.attributes === 'object';
  return shaped ? (value as Span) : undefined;
}
