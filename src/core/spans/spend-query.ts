import type { Picodollars } from '../money.js';

/** What spend can be grouped and filtered by. `key` is the API key id; `tag` expands a span into its tags. */
export const spendDimensions = ['model', 'provider', 'feature', 'user', 'key', 'tag', 'run'] as const;
export type SpendDimension = (typeof spendDimensions)[number];

export const timeBuckets = ['hour', 'day', 'week', 'month'] as const;
export type TimeBucket = (typeof timeBuckets)[number];

/**
 * A ledger question: spend, tokens and calls over [from, to), grouped by any dimensions and optionally by a
 * calendar bucket in an IANA time zone (weeks start on Monday), filtered to given values, largest first.
 */
export type SpendQuery = {
  /** Epoch ms, inclusive. */
  readonly from?: number | undefined;
  /** Epoch ms, exclusive. */
  readonly to?: number | undefined;
  readonly groupBy?: readonly SpendDimension[] | undefined;
  readonly bucket?: TimeBucket | undefined;
  /** IANA zone for calendar buckets (default UTC). */
  readonly timeZone?: string | undefined;
  /** Keep only spans whose dimension value is one of these (`null` matches spans without a value). */
  readonly filters?: Partial<Record<SpendDimension, readonly (string | null)[]>> | undefined;
  /** Top-N groups by cost (with a bucket: the N groups with most cost over the whole range, every bucket). */
  readonly limit?: number | undefined;
};

/** Token sums of a group (input includes cached and cache writes; output includes reasoning). */
export type TokenTotals = {
  readonly input: number;
  readonly cachedInput: number;
  readonly cacheWrite: number;
  readonly output: number;
  readonly reasoning: number;
};

/** One group of a spend answer. `cost` sums priced spans exactly; unpriced spans are counted, never $0. */
export type SpendRow = {
  /** The group's value per `groupBy` dimension, in order; null = spans without a value. */
  readonly group: readonly (string | null)[];
  /** Start of the calendar bucket (epoch ms), when the query has a bucket. */
  readonly bucketStart?: number | undefined;
  readonly cost: Picodollars;
  readonly calls: number;
  readonly pricedCalls: number;
  readonly unpricedCalls: number;
  readonly errorCalls: number;
  readonly tokens: TokenTotals;
};
