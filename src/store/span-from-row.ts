import type { UnpricedReason } from '../core/cost/cost-result.js';
import type { Span, SpanKind, SpanStatus } from '../core/spans/span.js';
import { decodeAttributes, PICOS_PER_MICRO } from './span-columns.js';

/** A `spans` row as a driver returns it: integers may come as number, bigint or string (PostgreSQL int8). */
export type SpanRow = Readonly<Record<string, unknown>>;

function text(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function count(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function flag(value: unknown): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  return value === true || value === 1 || value === 1n;
}

/** Copies only the defined entries, so a missing field stays missing (never `key: undefined`). */
function defined<T extends object>(entries: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as T;
}

/** Rebuilds a `Span` exactly from its row (both engines): undefined stays undefined, money stays bigint. */
export function spanFromRow(row: SpanRow): Span {
  const usage =
    flag(row['has_usage']) === true
      ? defined<NonNullable<Span['usage']>>({
          input: count(row['input_tokens']),
          cachedInput: count(row['cached_input_tokens']),
          cacheWrite: count(row['cache_write_tokens']),
          cacheWrite1h: count(row['cache_write_1h_tokens']),
          output: count(row['output_tokens']),
          reasoning: count(row['reasoning_tokens']),
        })
      : undefined;
  let cost: Span['cost'];
  if (row['cost_status'] === 'priced') {
    cost = {
      status: 'priced',
      total: BigInt(row['cost_micros'] as bigint) * PICOS_PER_MICRO + BigInt(row['cost_picos'] as bigint),
      priceId: String(row['price_id']),
      source: String(row['price_source']),
    };
  } else if (row['cost_status'] === 'unpriced') {
    cost = {
      status: 'unpriced',
      reason: String(row['unpriced_reason']) as UnpricedReason,
      message: String(row['unpriced_message']),
    };
  }
  const tags = row['tags'];
  return defined<Span>({
    id: String(row['id']),
    traceId: String(row['trace_id']),
    parentId: text(row['parent_id']),
    name: String(row['name']),
    kind: String(row['kind']) as SpanKind,
    startTime: Number(row['start_time']),
    durationMs: Number(row['duration_ms']),
    timeToFirstTokenMs: count(row['time_to_first_token_ms']),
    status: String(row['status']) as SpanStatus,
    error:
      row['error_type'] === null || row['error_type'] === undefined
        ? undefined
        : { type: String(row['error_type']), message: String(row['error_message']) },
    operation: text(row['operation']),
    provider: text(row['provider']),
    requestModel: text(row['request_model']),
    responseModel: text(row['response_model']),
    usage,
    usageEstimated: flag(row['usage_estimated']),
    cost,
    requestHash: text(row['request_hash']),
    simulated: flag(row['simulated']),
    attribution: defined<Span['attribution']>({
      feature: text(row['feature']),
      user: text(row['user_id']),
      apiKeyId: text(row['api_key_id']),
      runId: text(row['run_id']),
      tags:
        tags === null || tags === undefined
          ? undefined
          : Array.isArray(tags)
            ? (tags as string[])
            : (JSON.parse(String(tags)) as string[]),
    }),
    attributes: decodeAttributes(String(row['attributes'])),
  });
}
