import type { GpuPricing, PriceEntry, PriceMode, TokenRates } from './price-entry.js';

/**
 * A price from the user's config: an override of a catalog model (when `model` names one, in any spelling
 * `PriceBook.resolve` accepts except a snapshot fallback) or a custom model (any other name).
 *
 * An override REPLACES the catalog's prices for that model: rates it does not give are absent, not
 * inherited (so a negotiated input/output price is never mixed with catalog cache, batch, tier or band
 * rates). It keeps the catalog's provider, mode, context window and max output unless it sets them.
 */
export type CustomPrice = {
  readonly model: string;
  /** Where it was written, for errors and for the entry's `source` (`config:frugal.yaml#prices[2]`). */
  readonly origin: { readonly file: string; readonly path: string };
  readonly provider?: string;
  readonly mode?: PriceMode;
  readonly contextWindow?: number;
  readonly maxOutput?: number;
  readonly effectiveFrom?: string;
  readonly pricing:
    | {
        readonly kind: 'tokens';
        readonly rates: TokenRates & { readonly input: bigint };
        readonly batch: TokenRates;
      }
    | { readonly kind: 'gpu-hours'; readonly gpu: GpuPricing };
};

/** The entry a config price becomes; `base` is the catalog entry it overrides, if any. */
export function entryFromCustomPrice(price: CustomPrice, base: PriceEntry | undefined): PriceEntry {
  const contextWindow = price.contextWindow ?? base?.contextWindow;
  const maxOutput = price.maxOutput ?? base?.maxOutput;
  const common = {
    id: base?.id ?? price.model,
    provider: price.provider ?? base?.provider ?? 'custom',
    mode: price.mode ?? base?.mode ?? 'chat',
    ...(contextWindow === undefined ? {} : { contextWindow }),
    ...(maxOutput === undefined ? {} : { maxOutput }),
    ...(price.effectiveFrom === undefined ? {} : { effectiveFrom: price.effectiveFrom }),
    source: `config:${price.origin.file}#${price.origin.path}`,
  };
  if (price.pricing.kind === 'gpu-hours') return { ...common, kind: 'gpu-hours', gpu: price.pricing.gpu };
  return {
    ...common,
    kind: 'tokens',
    rates: price.pricing.rates,
    batch: price.pricing.batch,
    tiers: {},
    bands: [],
  };
}
