import { type Span, spanKinds, spanStatuses } from '../core/spans/span.js';
import { usageFields } from '../core/usage.js';

/**
 * The columns of the `spans` table, in insert order (both engines). Money is split in two integer columns,
 * `cost_micros` (whole micro-dollars, rounded down) and `cost_picos` (the remainder, 0 to 999,999), so that a
 * SUM of each stays far inside int64 on a ledger of any size and the exact total is recombined in bigint.
 */
export const spanColumns = [
  'id',
  'trace_id',
  'parent_id',
  'name',
  'kind',
  'start_time',
  'duration_ms',
  'time_to_first_token_ms',
  'status',
  'error_type',
  'error_message',
  'operation',
  'provider',
  'request_model',
  'response_model',
  'has_usage',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'output_tokens',
  'reasoning_tokens',
  'usage_estimated',
  'cost_status',
  'cost_micros',
  'cost_picos',
  'price_id',
  'price_source',
  'unpriced_reason',
  'unpriced_message',
  'simulated',
  'feature',
  'user_id',
  'api_key_id',
  'run_id',
  'tags',
  'attributes',
  'request_hash',
] as const;
export type SpanColumn = (typeof spanColumns)[number];

/**
 * A column value as bound to SQLite: flags are 0/1, tags and attributes are JSON text, money is a number where
 * that is exact and a bigint otherwise.
 */
export type SpanColumnValue = string | number | bigint | null;

export const PICOS_PER_MICRO = 1_000_000n;
/** The largest cost whose micro-dollars fit an int64 column. */
const MAX_TOTAL = (2n ** 63n - 1n) * PICOS_PER_MICRO;

/** Splits pico-dollars into whole micro-dollars (rounded down) and the 0–999,999 pico remainder. */
export function splitPicos(total: bigint): { readonly micros: bigint; readonly picos: bigint } {
  const picos = ((total % PICOS_PER_MICRO) + PICOS_PER_MICRO) % PICOS_PER_MICRO;
  return { micros: (total - picos) / PICOS_PER_MICRO, picos };
}

const SAFE_TOTAL = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * `splitPicos` as numbers when both fit exactly (any cost up to $9,007), else as bigints: this runs for every
 * stored span, and bigint division allocates.
 */
export function splitCost(total: bigint): { readonly micros: number | bigint; readonly picos: number } {
  if (total >= 0n && total <= SAFE_TOTAL) {
    const exact = Number(total);
    const picos = exact % 1_000_000;
    return { micros: (exact - picos) / 1_000_000, picos };
  }
  const { micros, picos } = splitPicos(total);
  return { micros, picos: Number(picos) };
}

function awkwardNumber(value: unknown): boolean {
  return typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0));
}

/** Serialises attributes (or any JSON record) as JSON, keeping the numbers JSON cannot write (NaN, ±Infinity, -0). */
export function encodeAttributes(attributes: Readonly<Record<string, unknown>>): string {
  let awkward = false;
  for (const key in attributes) if (awkwardNumber(attributes[key])) awkward = true;
  if (!awkward) return JSON.stringify(attributes);
  return JSON.stringify(attributes, (_key, value: unknown) =>
    awkwardNumber(value) ? { $number: Object.is(value, -0) ? '-0' : String(value) } : value,
  );
}

const plainTag = /^[\w .:/@+-]*$/;

/** Tags as a JSON array (written by hand when no tag needs escaping: this runs for every stored span). */
export function encodeTags(tags: readonly string[]): string {
  let text = '[';
  for (let index = 0; index < tags.length; index++) {
    const tag = tags[index]!;
    if (!plainTag.test(tag)) return JSON.stringify(tags);
    text += index === 0 ? `"${tag}"` : `,"${tag}"`;
  }
  return `${text}]`;
}

/** The inverse of `encodeAttributes`. */
export function decodeAttributes(text: string): Span['attributes'] {
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && '$number' in value
      ? Number((value as { $number: string }).$number)
      : value,
  );
}

function problem(span: Span, message: string): never {
  throw new RangeError(`span '${String(span.id)}': ${message}`);
}

function flag(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}

/** Checks what both engines need to store a span faithfully (RangeError naming the span otherwise). */
function checkSpan(span: Span): void {
  if (typeof span.id !== 'string' || span.id === '') problem(span, 'id must be a non-empty string');
  if (typeof span.traceId !== 'string') problem(span, 'traceId must be a string');
  if (!Number.isSafeInteger(span.startTime) || span.startTime < 0) {
    problem(span, `startTime must be a non-negative integer of epoch milliseconds, got ${span.startTime}`);
  }
  if (!Number.isFinite(span.durationMs)) problem(span, `durationMs must be finite, got ${span.durationMs}`);
  if (span.timeToFirstTokenMs !== undefined && !Number.isFinite(span.timeToFirstTokenMs)) {
    problem(span, `timeToFirstTokenMs must be finite, got ${span.timeToFirstTokenMs}`);
  }
  if (!spanKinds.includes(span.kind)) problem(span, `unknown kind '${span.kind}'`);
  if (!spanStatuses.includes(span.status)) problem(span, `unknown status '${span.status}'`);
  const usage = span.usage;
  if (usage !== undefined) {
    for (const field of usageFields) {
      const count = usage[field];
      if (count !== undefined && !(Number.isSafeInteger(count) && count >= 0)) {
        problem(span, `usage.${field} must be a non-negative integer, got ${count}`);
      }
    }
  }
  if (span.requestHash !== undefined && typeof span.requestHash !== 'string') {
    problem(span, 'requestHash must be a string');
  }
  if (span.cost?.status === 'priced') {
    const total = span.cost.total;
    if (typeof total !== 'bigint') problem(span, 'cost.total must be a bigint of pico-dollars');
    if (total > MAX_TOTAL || total < -MAX_TOTAL) problem(span, 'cost.total is too large to store');
  }
}

/** One value per `spanColumns` entry, ready to bind; throws a RangeError naming a span that cannot be stored. */
export function spanToValues(span: Span): SpanColumnValue[] {
  checkSpan(span);
  const usage = span.usage;
  const cost = span.cost;
  const money = cost?.status === 'priced' ? splitCost(cost.total) : undefined;
  const attribution = span.attribution;
  return [
    span.id,
    span.traceId,
    span.parentId ?? null,
    span.name,
    span.kind,
    span.startTime,
    span.durationMs,
    span.timeToFirstTokenMs ?? null,
    span.status,
    span.error?.type ?? null,
    span.error?.message ?? null,
    span.operation ?? null,
    span.provider ?? null,
    span.requestModel ?? null,
    span.responseModel ?? null,
    usage === undefined ? 0 : 1,
    usage?.input ?? null,
    usage?.cachedInput ?? null,
    usage?.cacheWrite ?? null,
    usage?.cacheWrite1h ?? null,
    usage?.output ?? null,
    usage?.reasoning ?? null,
    flag(span.usageEstimated),
    cost?.status ?? null,
    money?.micros ?? null,
    money?.picos ?? null,
    cost?.status === 'priced' ? cost.priceId : null,
    cost?.status === 'priced' ? cost.source : null,
    cost?.status === 'unpriced' ? cost.reason : null,
    cost?.status === 'unpriced' ? cost.message : null,
    flag(span.simulated),
    attribution.feature ?? null,
    attribution.user ?? null,
    attribution.apiKeyId ?? null,
    attribution.runId ?? null,
    attribution.tags === undefined ? null : encodeTags(attribution.tags),
    encodeAttributes(span.attributes),
    span.requestHash ?? null,
  ];
}
