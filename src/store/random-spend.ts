import { createRandom } from '../core/random.js';
import type { Span } from '../core/spans/span.js';
import {
  type SpendDimension,
  type SpendQuery,
  spendDimensions,
  type TimeBucket,
} from '../core/spans/spend-query.js';
import { dimensionValues } from './dimension-values.js';
import { generateSpans } from './generate-spans.js';

const hour = 3_600_000;
const day = 24 * hour;
/** Zones with whole-hour DST changes (rollups apply) and with half- and quarter-hour offsets (they do not). */
const zones = [
  'UTC',
  'Europe/Berlin',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
];
const buckets: readonly (TimeBucket | undefined)[] = [undefined, undefined, 'hour', 'day', 'week', 'month'];

/**
 * Messy seeded traffic over 45 days around the 2024 DST changes (Berlin on Oct 27, Los Angeles on Nov 3):
 * missing attribution, duplicate and empty tag lists, unknown usage, spans without a model, unpriced, failed
 * and step spans, a few calls too costly for 2^53 micro-dollars... everything a spend answer must get right.
 */
export function randomSpendTraffic(seed: number, count: number): Span[] {
  const spans = generateSpans({
    count,
    seed,
    start: Date.UTC(2024, 9, 1),
    days: 45,
    features: 4,
    users: 25,
    apiKeys: 3,
    missingAttribution: 0.15,
    unpricedShare: 0.1,
    errorShare: 0.1,
    stepShare: 0.2,
  });
  return spans.map((span, index) => {
    const attribution = { ...span.attribution };
    if (index % 7 === 0) attribution.tags = ['x', 'x', 'y'];
    if (index % 11 === 0) attribution.tags = [];
    if (index % 23 === 0) attribution.runId = `run-${index % 2}`;
    const changed: { -readonly [K in keyof Span]: Span[K] } = { ...span, attribution };
    if (index % 13 === 0) delete changed.usage;
    if (index % 17 === 0) {
      delete changed.requestModel;
      delete changed.responseModel;
      delete changed.provider;
    }
    if (index % 97 === 0)
      changed.cost = { status: 'priced', total: 2n ** 62n + BigInt(index), priceId: 'x', source: 'x' };
    return changed;
  });
}

/** Random spend questions over `spans`: groupings, buckets, zones, ragged and aligned ranges, filters, top N. */
export function randomSpendQueries(seed: number, spans: readonly Span[], count: number): SpendQuery[] {
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const valuesOf = (dimension: SpendDimension) => [
    ...new Set(spans.flatMap((span) => dimensionValues(span, dimension).map((value) => value ?? null))),
  ];
  const first = Math.min(...spans.map((span) => span.startTime));
  const last = Math.max(...spans.map((span) => span.startTime));
  const queries: SpendQuery[] = [];
  for (let index = 0; index < count; index++) {
    const shuffled = [...spendDimensions].sort(() => random() - 0.5);
    const groupBy = shuffled.slice(0, random() < 0.25 ? 0 : random() < 0.75 ? 1 : 2);
    const query: { -readonly [K in keyof SpendQuery]: SpendQuery[K] } = { groupBy };
    const bucket = pick(buckets);
    if (bucket !== undefined) query.bucket = bucket;
    query.timeZone = pick(zones);
    if (random() < 0.7) {
      const alignment = pick([hour, day, 1]);
      const from = first - day + Math.floor(random() * (last - first + 2 * day));
      query.from = Math.floor(from / alignment) * alignment;
      query.to = query.from + Math.ceil((random() * 20 * day) / alignment) * alignment;
    }
    if (random() < 0.3) {
      const dimension = groupBy.length > 0 && random() < 0.6 ? pick(groupBy) : pick(spendDimensions);
      const values = valuesOf(dimension);
      query.filters = {
        [dimension]: [...new Set([pick(values), pick(values), pick(values)])].slice(
          0,
          1 + Math.floor(random() * 3),
        ),
      };
    }
    if (random() < 0.25) query.limit = 1 + Math.floor(random() * 5);
    queries.push(query);
  }
  return queries;
}
