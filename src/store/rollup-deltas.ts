import type { Span } from '../core/spans/span.js';
import { type SpendDimension, spendDimensions } from '../core/spans/spend-query.js';
import { HOUR_MS } from '../core/time/zone-calendar.js';
import { splitPicos } from './span-columns.js';

/**
 * What new spans add to one row of a rollup table (`spend_by_hour` or `spend_by_day`): one dimension's value
 * (`hasValue` 0 = spans without a value, stored with value '') in one UTC hour or day (`time`, an index since
 * the epoch). Money stays split as in the spans table; token counts treat unknown as 0, like the sums do.
 */
export type RollupDelta = {
  readonly dimension: SpendDimension;
  readonly time: number;
  readonly hasValue: 0 | 1;
  readonly value: string;
  readonly costMicros: bigint;
  readonly costPicos: bigint;
  readonly calls: number;
  readonly pricedCalls: number;
  readonly unpricedCalls: number;
  readonly errorCalls: number;
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
};

/** The columns a rollup row has after its key, in the order `rollupValues` returns them. */
export const rollupMeasures = [
  'cost_micros',
  'cost_picos',
  'calls',
  'priced_calls',
  'unpriced_calls',
  'error_calls',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
] as const;

/** A delta's measures, in `rollupMeasures` order. */
export function rollupValues(delta: RollupDelta): (bigint | number)[] {
  return [
    delta.costMicros,
    delta.costPicos,
    delta.calls,
    delta.pricedCalls,
    delta.unpricedCalls,
    delta.errorCalls,
    delta.inputTokens,
    delta.cachedInputTokens,
    delta.cacheWriteTokens,
    delta.outputTokens,
    delta.reasoningTokens,
  ];
}

/** Sums of one rollup row while a batch is read (pico remainders stay below 10^6 each, so a number holds them). */
type Accumulator = {
  readonly dimension: SpendDimension;
  readonly time: number;
  readonly value: string | undefined;
  micros: bigint;
  picos: number;
  calls: number;
  pricedCalls: number;
  unpricedCalls: number;
  errorCalls: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
};

/** One call's contribution: its cost split in micros and picos, its counts and tokens. */
type Contribution = Omit<Accumulator, 'dimension' | 'time' | 'value'>;

function accumulator(dimension: SpendDimension, time: number, value: string | undefined): Accumulator {
  return {
    dimension,
    time,
    value,
    micros: 0n,
    picos: 0,
    calls: 0,
    pricedCalls: 0,
    unpricedCalls: 0,
    errorCalls: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
  };
}

function addInto(target: Accumulator, source: Contribution): void {
  target.micros += source.micros;
  target.picos += source.picos;
  target.calls += source.calls;
  target.pricedCalls += source.pricedCalls;
  target.unpricedCalls += source.unpricedCalls;
  target.errorCalls += source.errorCalls;
  target.inputTokens += source.inputTokens;
  target.cachedInputTokens += source.cachedInputTokens;
  target.cacheWriteTokens += source.cacheWriteTokens;
  target.outputTokens += source.outputTokens;
  target.reasoningTokens += source.reasoningTokens;
}

function contributionOf(span: Span): Contribution {
  const contribution = accumulator('model', 0, undefined);
  const usage = span.usage;
  contribution.calls = 1;
  if (span.cost?.status === 'priced') {
    const { micros, picos } = splitPicos(span.cost.total);
    contribution.micros = micros;
    contribution.picos = Number(picos);
    contribution.pricedCalls = 1;
  } else if (span.cost?.status === 'unpriced') {
    contribution.unpricedCalls = 1;
  }
  if (span.status === 'error') contribution.errorCalls = 1;
  if (usage !== undefined) {
    contribution.inputTokens = usage.input ?? 0;
    contribution.cachedInputTokens = usage.cachedInput ?? 0;
    contribution.cacheWriteTokens = (usage.cacheWrite ?? 0) + (usage.cacheWrite1h ?? 0);
    contribution.outputTokens = usage.output ?? 0;
    contribution.reasoningTokens = usage.reasoning ?? 0;
  }
  return contribution;
}

function toDelta(sums: Accumulator): RollupDelta {
  return {
    dimension: sums.dimension,
    time: sums.time,
    hasValue: sums.value === undefined ? 0 : 1,
    value: sums.value ?? '',
    costMicros: sums.micros,
    costPicos: BigInt(sums.picos),
    calls: sums.calls,
    pricedCalls: sums.pricedCalls,
    unpricedCalls: sums.unpricedCalls,
    errorCalls: sums.errorCalls,
    inputTokens: sums.inputTokens,
    cachedInputTokens: sums.cachedInputTokens,
    cacheWriteTokens: sums.cacheWriteTokens,
    outputTokens: sums.outputTokens,
    reasoningTokens: sums.reasoningTokens,
  };
}

function compareDeltas(a: RollupDelta, b: RollupDelta): number {
  if (a.dimension !== b.dimension) return a.dimension < b.dimension ? -1 : 1;
  if (a.time !== b.time) return a.time - b.time;
  if (a.hasValue !== b.hasValue) return a.hasValue - b.hasValue;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** Accumulators by time, then by value (undefined = no value), for one dimension. */
type DimensionSums = Map<number, Map<string | undefined, Accumulator>>;

function sumsFor(byTime: DimensionSums, dimension: SpendDimension, time: number, value: string | undefined) {
  let byValue = byTime.get(time);
  if (byValue === undefined) {
    byValue = new Map();
    byTime.set(time, byValue);
  }
  let sums = byValue.get(value);
  if (sums === undefined) {
    sums = accumulator(dimension, time, value);
    byValue.set(value, sums);
  }
  return sums;
}

/**
 * The hourly and daily rollup deltas of spans that were really inserted (step spans are not calls and add
 * nothing). Sorted by key, so that concurrent writers lock rollup rows in the same order.
 */
export function rollupDeltas(spans: readonly Span[]): { hourly: RollupDelta[]; daily: RollupDelta[] } {
  const hourly = Object.fromEntries(spendDimensions.map((dimension) => [dimension, new Map()])) as Record<
    SpendDimension,
    DimensionSums
  >;
  // Written out per dimension (not via dimensionValues) because this runs for every stored span.
  for (const span of spans) {
    if (span.kind === 'step') continue;
    const hour = Math.floor(span.startTime / HOUR_MS);
    const contribution = contributionOf(span);
    const attribution = span.attribution;
    addInto(sumsFor(hourly.model, 'model', hour, span.responseModel ?? span.requestModel), contribution);
    addInto(sumsFor(hourly.provider, 'provider', hour, span.provider), contribution);
    addInto(sumsFor(hourly.feature, 'feature', hour, attribution.feature), contribution);
    addInto(sumsFor(hourly.user, 'user', hour, attribution.user), contribution);
    addInto(sumsFor(hourly.key, 'key', hour, attribution.apiKeyId), contribution);
    addInto(sumsFor(hourly.run, 'run', hour, attribution.runId), contribution);
    const tags = attribution.tags;
    if (tags === undefined || tags.length === 0) {
      addInto(sumsFor(hourly.tag, 'tag', hour, undefined), contribution);
    } else {
      tags.forEach((tag, index) => {
        if (tags.indexOf(tag) === index) addInto(sumsFor(hourly.tag, 'tag', hour, tag), contribution);
      });
    }
  }
  const hourlyDeltas: RollupDelta[] = [];
  const dailyDeltas: RollupDelta[] = [];
  for (const dimension of spendDimensions) {
    const daily: DimensionSums = new Map();
    for (const byValue of hourly[dimension].values()) {
      for (const sums of byValue.values()) {
        hourlyDeltas.push(toDelta(sums));
        addInto(sumsFor(daily, dimension, Math.floor(sums.time / 24), sums.value), sums);
      }
    }
    for (const byValue of daily.values())
      for (const sums of byValue.values()) dailyDeltas.push(toDelta(sums));
  }
  return { hourly: hourlyDeltas.sort(compareDeltas), daily: dailyDeltas.sort(compareDeltas) };
}
