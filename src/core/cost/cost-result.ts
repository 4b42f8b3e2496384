import type { Picodollars } from '../money.js';
import type { MatchKind } from '../prices/price-book.js';
import type { LongContextBand, ServiceTier } from '../prices/price-entry.js';

/** The parts a token cost is made of (fresh input = input − cached − cache writes; output excludes reasoning). */
export const costComponents = [
  'freshInput',
  'cachedInput',
  'cacheWrite',
  'cacheWrite1h',
  'output',
  'reasoning',
] as const;
/** One of `costComponents`. */
export type CostComponent = (typeof costComponents)[number];

/**
 * Exact amounts in pico-dollars. Each token component is tokens × the rate used. `batchDiscount` is what
 * the half-price batch rule takes off (the components it applies to are listed at full rate, and their sum
 * is halved once, rounding half to even); `gpuTime` is a self-hosted model's amortised GPU cost.
 * total = Σ components + gpuTime − batchDiscount.
 */
export type CostBreakdown = Readonly<Record<CostComponent, Picodollars>> & {
  readonly gpuTime: Picodollars;
  readonly batchDiscount: Picodollars;
};

/** How batch pricing was applied: explicit `*_batches` rates, the half-price rule, both, or not at all. */
export type BatchPricing = 'none' | 'batch-rates' | 'half-price' | 'batch-rates-and-half-price';

/** A request priced exactly, with everything needed to explain the number. */
export type PricedCost = {
  readonly status: 'priced';
  /** The canonical id of the price used. */
  readonly model: string;
  readonly total: Picodollars;
  readonly breakdown: CostBreakdown;
  /** Tokens per component (undefined parts of the usage count as fresh input / visible output). */
  readonly tokens: Readonly<Record<CostComponent, number>>;
  /** Pico-dollars per token used for each component, before any half-price batch rule; undefined = none. */
  readonly rates: Readonly<Record<CostComponent, bigint | undefined>>;
  /** Where the price comes from (`litellm:gpt-4o`, `config:frugal.yaml#prices[0]`). */
  readonly source: string;
  readonly effectiveFrom: string | undefined;
  readonly tier: ServiceTier;
  /** The long-context band that priced the whole request, if one did. */
  readonly band: Pick<LongContextBand, 'kind' | 'aboveInputTokens' | 'inclusive'> | undefined;
  readonly batch: BatchPricing;
  /** How the requested name matched the id (only when priced by name). */
  readonly match: { readonly requested: string; readonly kind: MatchKind; readonly note: string } | undefined;
  /** Fallbacks a reader should know about, e.g. "no cache-read rate: cached input priced at the input rate". */
  readonly notes: readonly string[];
};

/** Why a request could not be priced. Never $0: an unpriced request has no total. */
export const unpricedReasons = [
  'unknown-model',
  'no-price-on-date',
  'incomplete-usage',
  'invalid-usage',
  'no-tier-price',
  'no-output-price',
  'needs-duration',
] as const;
/** One of `unpricedReasons`. */
export type UnpricedReason = (typeof unpricedReasons)[number];

/** A request frugal refuses to price, and why, with close model names when the name was unknown. */
export type UnpricedCost = {
  readonly status: 'unpriced';
  readonly model: string;
  readonly reason: UnpricedReason;
  readonly message: string;
  readonly suggestions: readonly string[];
};

/** The result of `cost`: priced exactly, or unpriced with a reason. */
export type CostResult = PricedCost | UnpricedCost;
