import type { Span } from './span.js';

type BigintBox = { $bigint: string };
type NumberBox = { $number: string };

const isBigintBox = (value: unknown): value is BigintBox =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as BigintBox).$bigint === 'string' &&
  Object.keys(value).length === 1;

const isNumberBox = (value: unknown): value is NumberBox =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as NumberBox).$number === 'string' &&
  Object.keys(value).length === 1;

/** A number JSON cannot write (it would read back null, or 0 for -0): attributes may hold them, the store keeps them. */
const awkward = (value: unknown): boolean =>
  typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0));

function hasAwkwardAttribute(attributes: Span['attributes']): boolean {
  for (const key in attributes) if (awkward(attributes[key])) return true;
  return false;
}

/**
 * One span as one line of JSON (no newline inside, `\n` at the end) that reads back exactly: bigints become
 * `{"$bigint":"…"}`, and numbers JSON cannot write (NaN, ±Infinity, -0, in attributes) `{"$number":"…"}`.
 */
export function spanToJsonLine(span: Span): string {
  // Fast path: a span's one bigint is a priced cost's total (a replacer function would double the time).
  if (!hasAwkwardAttribute(span.attributes)) {
    try {
      const cost = span.cost;
      const plain =
        cost?.status === 'priced'
          ? { ...span, cost: { ...cost, total: { $bigint: cost.total.toString() } } }
          : span;
      return `${JSON.stringify(plain)}\n`;
    } catch {}
  }
  return `${JSON.stringify(span, boxingReplacer)}\n`;
}

function boxingReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (awkward(value)) return { $number: Object.is(value, -0) ? '-0' : String(value) };
  return value;
}

const unboxingReviver = (_key: string, item: unknown): unknown =>
  isBigintBox(item) ? BigInt(item.$bigint) : isNumberBox(item) ? Number(item.$number) : item;

/**
 * Reads a line written by `spanToJsonLine`, bigints restored exactly. Undefined when the text is not JSON or
 * not span-shaped (a torn last line after a power loss, a foreign file).
 */
export function spanFromJsonLine(line: string): Span | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
    // Fast path (a reviver makes JSON.parse ~4× slower): most lines box one bigint, a priced cost's total. (Inside
    // a JSON string a quote is escaped, so these markers can only be the boxes themselves.)
    const first = line.indexOf('{"$bigint":');
    if (line.includes('{"$number":')) value = JSON.parse(line, unboxingReviver);
    else if (first !== -1) {
      const cost = (value as { cost?: { total?: unknown } } | null)?.cost;
      if (line.indexOf('{"$bigint":', first + 1) === -1 && isBigintBox(cost?.total)) {
        cost.total = BigInt(cost.total.$bigint);
      } else value = JSON.parse(line, unboxingReviver);
    }
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
