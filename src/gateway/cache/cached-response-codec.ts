import { z } from 'zod';
import { unpricedReasons } from '../../core/cost/cost-result.js';
import type { SpanCost } from '../../core/spans/span.js';
import type { Usage } from '../../core/usage.js';
import type { CachedResponse } from './response-cache.js';

/** Bumped when the stored shape changes: entries of another format read as corrupt (a miss). */
const format = 1;

const count = z.number().int().nonnegative().optional();
const usageSchema = z.object({
  input: count,
  cachedInput: count,
  cacheWrite: count,
  cacheWrite1h: count,
  output: count,
  reasoning: count,
});
const costSchema = z.discriminatedUnion('status', [
  // Pico-dollars as a decimal string: a bigint, exact at any size (never through a float).
  z.object({
    status: z.literal('priced'),
    total: z.string().regex(/^-?\d{1,64}$/),
    priceId: z.string(),
    source: z.string(),
  }),
  z.object({ status: z.literal('unpriced'), reason: z.enum(unpricedReasons), message: z.string() }),
]);
const entrySchema = z.object({
  format: z.literal(format),
  kind: z.enum(['json', 'sse']),
  body: z.string(),
  contentType: z.string(),
  model: z.string(),
  provider: z.string(),
  usage: usageSchema.optional(),
  cost: costSchema.optional(),
  spanId: z.string(),
  storedAt: z.number(),
});
type Entry = z.input<typeof entrySchema>;

/** A cached response as JSON text, its bigint cost as a decimal string. */
export function encodeCachedResponse(value: CachedResponse): string {
  const entry: Entry = {
    format,
    kind: value.kind,
    body: value.body,
    contentType: value.contentType,
    model: value.model,
    provider: value.provider,
    ...(value.usage === undefined ? {} : { usage: value.usage }),
    ...(value.cost === undefined ? {} : { cost: encodeCost(value.cost) }),
    spanId: value.spanId,
    storedAt: value.storedAt,
  };
  return JSON.stringify(entry);
}

function encodeCost(cost: SpanCost): NonNullable<Entry['cost']> {
  return cost.status === 'priced'
    ? { status: 'priced', total: cost.total.toString(), priceId: cost.priceId, source: cost.source }
    : { status: 'unpriced', reason: cost.reason, message: cost.message };
}

/** Reads back what `encodeCachedResponse` wrote; throws an Error naming the problem for anything else. */
export function decodeCachedResponse(text: string): CachedResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error('corrupt cache entry: not JSON', { cause: error });
  }
  const parsed = entrySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'entry';
    throw new Error(`corrupt cache entry: ${where}: ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
  }
  const { usage, cost, ...entry } = parsed.data;
  return {
    kind: entry.kind,
    body: entry.body,
    contentType: entry.contentType,
    model: entry.model,
    provider: entry.provider,
    ...(usage === undefined ? {} : { usage: definedUsage(usage) }),
    ...(cost === undefined
      ? {}
      : { cost: cost.status === 'priced' ? { ...cost, total: BigInt(cost.total) } : cost }),
    spanId: entry.spanId,
    storedAt: entry.storedAt,
  };
}

/** The usage with only the fields that were stored (JSON has no undefined). */
function definedUsage(usage: z.output<typeof usageSchema>): Usage {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== undefined)) as Usage;
}
