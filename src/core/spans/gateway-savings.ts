import type { Picodollars } from '../money.js';
import type { SpendQuery } from './spend-query.js';

/** The span attributes the gateway writes for its cache and its router (see gateway/proxy/llm-call.ts). */
export const savingsAttributes = {
  cacheStatus: 'frugal.cache.status',
  cacheSavedUsd: 'frugal.cache.saved_usd',
  requestedModel: 'frugal.route.requested_model',
} as const;

/** The `frugal.cache.status` values of a call answered from the cache (the others are `miss` and `bypass`). */
export const cacheHitStatuses = ['hit', 'semantic-hit'] as const;
export type CacheHitStatus = (typeof cacheHitStatuses)[number];

/** Which gateway savings to sum: calls in [from, to) that pass the same filters as a spend query. */
export type SavingsQuery = Pick<SpendQuery, 'from' | 'to' | 'filters'>;

/** Calls served from the cache with one status, and what their original calls cost. */
export type CacheHits = {
  readonly status: CacheHitStatus;
  readonly calls: number;
  /** Exact sum of `frugal.cache.saved_usd` over the hits that carry it. */
  readonly saved: Picodollars;
  /** Hits whose original call was unpriced (no saved amount): counted, never as $0 saved. */
  readonly unknownSavedCalls: number;
};

/** Requests a routing policy sent to another model than the one asked for, per (asked, chosen) pair. */
export type RoutedSpend = {
  /** `frugal.route.requested_model`: what the client asked for. */
  readonly requestedModel: string;
  /** The model the spend is reported under (what answered, else what was sent); null when neither is known. */
  readonly model: string | null;
  readonly calls: number;
  /** Exact sum over priced calls; unpriced calls are counted apart. */
  readonly cost: Picodollars;
  readonly unpricedCalls: number;
};

/**
 * What the gateway's cache and router did in a range: one entry per hit status (both always present, in the
 * order of `cacheHitStatuses`), and routed requests by cost descending (then requested model, then model).
 */
export type GatewaySavings = {
  readonly cacheHits: readonly CacheHits[];
  readonly routed: readonly RoutedSpend[];
};
