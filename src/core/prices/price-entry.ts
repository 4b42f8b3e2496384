/**
 * The shape of one price: what a model costs per token (or per GPU-hour), where that price came from and
 * from which day it applies. Rates are `bigint` pico-dollars per token, which is the same number as
 * micro-dollars per million tokens, so `tokens × rate` is an exact integer of pico-dollars.
 */

/** How a request is served: standard, or one of the paid-for service tiers. */
export const serviceTiers = ['standard', 'priority', 'flex'] as const;
/** One of `serviceTiers`. */
export type ServiceTier = (typeof serviceTiers)[number];

/** The kinds of model the catalog prices per token. */
export const priceModes = ['chat', 'completion', 'responses', 'embedding'] as const;
/** One of `priceModes`. */
export type PriceMode = (typeof priceModes)[number];

/** The per-token rates a request can use, each in pico-dollars per token. */
export const rateNames = [
  'input',
  'cachedInput',
  'cacheWrite',
  'cacheWrite1h',
  'output',
  'reasoning',
] as const;
/** One of `rateNames`. */
export type RateName = (typeof rateNames)[number];

/**
 * Rates of one price level. Absent means the source has no such rate (never zero): `cost` then applies a
 * documented fallback (a cache rate falls back to the input rate, reasoning to output) or refuses to price.
 */
export type TokenRates = { readonly [K in RateName]?: bigint };

/**
 * A long-context band: when a request's input tokens exceed `aboveInputTokens` (or reach it, if
 * `inclusive`), the band's rates price the WHOLE request, not just the tokens past the threshold.
 * - `above-threshold`: LiteLLM's `*_above_<n>_tokens` keys. A rate the band lacks is the base rate.
 * - `tiered-range`: LiteLLM's `tiered_pricing` ranges. A cache rate the band lacks is the band's input rate,
 *   a reasoning rate the band lacks is the band's output rate.
 */
export type LongContextBand = {
  readonly kind: 'above-threshold' | 'tiered-range';
  readonly aboveInputTokens: number;
  readonly inclusive: boolean;
  /** Upper end of a tiered range, for display; requests past the last range stay in the last band. */
  readonly upToInputTokens?: number;
  readonly rates: TokenRates;
  readonly tiers: { readonly priority?: TokenRates; readonly flex?: TokenRates };
};

/**
 * A self-hosted model priced by the GPU time it occupies. `concurrency`: requests served at once, so one
 * request costs duration × hourly × gpuCount / concurrency (needs the request's measured duration).
 * `tokensPerSecond`: the deployment's measured throughput (input + output tokens per second), so one request
 * costs tokens / tokensPerSecond × hourly × gpuCount (needs no duration).
 */
export type GpuPricing = {
  /** Pico-dollars per GPU-hour. */
  readonly hourlyPerGpu: bigint;
  readonly gpuCount: number;
  readonly concurrency?: number;
  readonly tokensPerSecond?: number;
};

type PriceEntryBase = {
  /** The canonical id (a catalog key, or a custom model's name from config). */
  readonly id: string;
  readonly provider: string;
  readonly mode: PriceMode;
  readonly contextWindow?: number;
  readonly maxOutput?: number;
  /** First day (YYYY-MM-DD, UTC) this price applies; absent means "since always". */
  readonly effectiveFrom?: string;
  /** Where this price comes from: `litellm:gpt-4o`, `config:frugal.yaml#prices[2]`, ... */
  readonly source: string;
};

/** A model priced per token: base rates, optional batch rates, service tiers and long-context bands. */
export type TokenPriceEntry = PriceEntryBase & {
  readonly kind: 'tokens';
  /** Standard rates; `input` is always present. */
  readonly rates: TokenRates & { readonly input: bigint };
  /** Explicit batch-API rates; a rate absent here is billed at half its standard rate. */
  readonly batch: TokenRates;
  readonly tiers: { readonly priority?: TokenRates; readonly flex?: TokenRates };
  /** Sorted by `aboveInputTokens`, ascending. */
  readonly bands: readonly LongContextBand[];
};

/** A self-hosted model priced per GPU-hour. */
export type GpuPriceEntry = PriceEntryBase & { readonly kind: 'gpu-hours'; readonly gpu: GpuPricing };

/** One price of one model. Several entries with different `effectiveFrom` make a price history. */
export type PriceEntry = TokenPriceEntry | GpuPriceEntry;
