import type { Span } from '../core/spans/span.js';
import { type SpendDimension, spendDimensions } from '../core/spans/spend-query.js';
import { HOUR_MS } from '../core/time/zone-calendar.js';
import { splitCost } from './span-columns.js';

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

/**
 * Sums of one rollup row while a batch is read (also one span's contribution). Money is kept in numbers while
 * that is exact (micro-dollars up to 2^53, pico remainders below 10^6 each) and overflows into `bigMicros`:
 * this runs for every stored span, seven times, and bigint arithmetic allocates.
 */
class Sums {
  micros = 0;
  bigMicros = 0n;
  picos = 0;
  calls = 0;
  pricedCalls = 0;
  unpricedCalls = 0;
  errorCalls = 0;
  inputTokens = 0;
  cachedInputTokens = 0;
  cacheWriteTokens = 0;
  outputTokens = 0;
  reasoningTokens = 0;

  constructor(
    readonly dimension: SpendDimension,
    readonly time: number,
    readonly value: string | undefined,
  ) {}

  /** Makes this one span's contribution. */
  setSpan(span: Span): void {
    this.micros = 0;
    this.bigMicros = 0n;
    this.picos = 0;
    this.pricedCalls = 0;
    this.unpricedCalls = 0;
    const cost = span.cost;
    if (cost?.status === 'priced') {
      const { micros, picos } = splitCost(cost.total);
      if (typeof micros === 'number') this.micros = micros;
      else this.bigMicros = micros;
      this.picos = picos;
      this.pricedCalls = 1;
    } else if (cost?.status === 'unpriced') {
      this.unpricedCalls = 1;
    }
    this.calls = 1;
    this.errorCalls = span.status === 'error' ? 1 : 0;
    const usage = span.usage;
    this.inputTokens = usage?.input ?? 0;
    this.cachedInputTokens = usage?.cachedInput ?? 0;
    this.cacheWriteTokens = (usage?.cacheWrite ?? 0) + (usage?.cacheWrite1h ?? 0);
    this.outputTokens = usage?.output ?? 0;
    this.reasoningTokens = usage?.reasoning ?? 0;
  }

  add(other: Sums): void {
    const micros = this.micros + other.micros;
    if (micros <= Number.MAX_SAFE_INTEGER) {
      this.micros = micros;
    } else {
      this.bigMicros += BigInt(this.micros) + BigInt(other.micros);
      this.micros = 0;
    }
    if (other.bigMicros !== 0n) this.bigMicros += other.bigMicros;
    this.picos += other.picos;
    this.calls += other.calls;
    this.pricedCalls += other.pricedCalls;
    this.unpricedCalls += other.unpricedCalls;
    this.errorCalls += other.errorCalls;
    this.inputTokens += other.inputTokens;
    this.cachedInputTokens += other.cachedInputTokens;
    this.cacheWriteTokens += other.cacheWriteTokens;
    this.outputTokens += other.outputTokens;
    this.reasoningTokens += other.reasoningTokens;
  }

  toDelta(): RollupDelta {
    return {
      dimension: this.dimension,
      time: this.time,
      hasValue: this.value === undefined ? 0 : 1,
      value: this.value ?? '',
      costMicros: BigInt(this.micros) + this.bigMicros,
      costPicos: BigInt(this.picos),
      calls: this.calls,
      pricedCalls: this.pricedCalls,
      unpricedCalls: this.unpricedCalls,
      errorCalls: this.errorCalls,
      inputTokens: this.inputTokens,
      cachedInputTokens: this.cachedInputTokens,
      cacheWriteTokens: this.cacheWriteTokens,
      outputTokens: this.outputTokens,
      reasoningTokens: this.reasoningTokens,
    };
  }
}

function compareDeltas(a: RollupDelta, b: RollupDelta): number {
  if (a.dimension !== b.dimension) return a.dimension < b.dimension ? -1 : 1;
  if (a.time !== b.time) return a.time - b.time;
  if (a.hasValue !== b.hasValue) return a.hasValue - b.hasValue;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** One period's sums by value (undefined = no value), one map per dimension in `spendDimensions` order. */
type PeriodSums = Map<string | undefined, Sums>[];

function sumsFor(periods: Map<number, PeriodSums>, time: number): PeriodSums {
  let period = periods.get(time);
  if (period === undefined) {
    period = spendDimensions.map(() => new Map());
    periods.set(time, period);
  }
  return period;
}

function addTo(period: PeriodSums, index: number, time: number, value: string | undefined, sums: Sums) {
  const byValue = period[index]!;
  let target = byValue.get(value);
  if (target === undefined) {
    target = new Sums(spendDimensions[index]!, time, value);
    byValue.set(value, target);
  }
  target.add(sums);
}

const dimensionIndex = Object.fromEntries(
  spendDimensions.map((dimension, index) => [dimension, index]),
) as Record<SpendDimension, number>;

/**
 * The hourly and daily rollup deltas of spans that were really inserted (step spans are not calls and add
 * nothing). Sorted by key, so that concurrent writers lock rollup rows in the same order.
 */
export function rollupDeltas(spans: readonly Span[]): { hourly: RollupDelta[]; daily: RollupDelta[] } {
  const hours = new Map<number, PeriodSums>();
  const contribution = new Sums('model', 0, undefined);
  const { model, provider, feature, user, key, run, tag } = dimensionIndex;
  let current: PeriodSums | undefined;
  let currentHour = Number.NaN;
  // Written out per dimension (not via dimensionValues) because this runs for every stored span.
  for (const span of spans) {
    if (span.kind === 'step') continue;
    const hour = Math.floor(span.startTime / HOUR_MS);
    if (hour !== currentHour || current === undefined) {
      current = sumsFor(hours, hour);
      currentHour = hour;
    }
    contribution.setSpan(span);
    const attribution = span.attribution;
    addTo(current, model, hour, span.responseModel ?? span.requestModel, contribution);
    addTo(current, provider, hour, span.provider, contribution);
    addTo(current, feature, hour, attribution.feature, contribution);
    addTo(current, user, hour, attribution.user, contribution);
    addTo(current, key, hour, attribution.apiKeyId, contribution);
    addTo(current, run, hour, attribution.runId, contribution);
    const tags = attribution.tags;
    if (tags === undefined || tags.length === 0) {
      addTo(current, tag, hour, undefined, contribution);
    } else {
      for (let index = 0; index < tags.length; index++) {
        const each = tags[index]!;
        if (tags.indexOf(each) === index) addTo(current, tag, hour, each, contribution);
      }
    }
  }
  const hourly: RollupDelta[] = [];
  const days = new Map<number, PeriodSums>();
  for (const [hour, period] of hours) {
    const day = Math.floor(hour / 24);
    const daily = sumsFor(days, day);
    period.forEach((byValue, index) => {
      for (const sums of byValue.values()) {
        hourly.push(sums.toDelta());
        addTo(daily, index, day, sums.value, sums);
      }
    });
  }
  const daily: RollupDelta[] = [];
  for (const period of days.values())
    for (const byValue of period) for (const sums of byValue.values()) daily.push(sums.toDelta());
  return { hourly: hourly.sort(compareDeltas), daily: daily.sort(compareDeltas) };
}
