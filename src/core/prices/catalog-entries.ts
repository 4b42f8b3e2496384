import { catalogText } from './catalog-text.js';
import type { LongContextBand, PriceEntry, PriceMode, TokenRates } from './price-entry.js';
import { priceModes, rateNames } from './price-entry.js';

/** Rates as the catalog file stores them: integer micro-dollars per 1M tokens (= pico-dollars per token). */
type RecordRates = { readonly [K in (typeof rateNames)[number]]?: number };
type RecordBand = RecordRates & {
  readonly kind: 'above' | 'range';
  readonly above: number;
  readonly inclusive?: boolean;
  readonly upTo?: number;
  readonly priority?: RecordRates;
  readonly flex?: RecordRates;
};
type CatalogRecord = RecordRates & {
  readonly provider: string;
  readonly mode: string;
  readonly contextWindow?: number;
  readonly maxOutput?: number;
  readonly batch?: RecordRates;
  readonly priority?: RecordRates;
  readonly flex?: RecordRates;
  readonly bands?: readonly RecordBand[];
};

type CatalogFile = {
  readonly source: CatalogInfo['source'];
  readonly generated: string;
  readonly counts: { readonly models: number; readonly providers: number };
  readonly rounded: CatalogInfo['rounded'];
  readonly models: Readonly<Record<string, CatalogRecord>>;
};

/** Where the catalog's prices come from and when it was generated (see scripts/build-catalog.mjs). */
export type CatalogInfo = {
  readonly source: {
    readonly name: string;
    readonly repository: string;
    readonly license: string;
    readonly synced: string;
    readonly via: string;
  };
  readonly generated: string;
  readonly models: number;
  readonly providers: number;
  /** Prices that were not whole pico-dollars in the source, with what the catalog stores instead. */
  readonly rounded: readonly { model: string; field: string; original: string; stored: number }[];
};

const catalog = JSON.parse(catalogText) as CatalogFile;

/** The catalog's header: source, generation date, counts and the rounded float artefacts. */
export const catalogInfo: CatalogInfo = {
  source: catalog.source,
  generated: catalog.generated,
  models: catalog.counts.models,
  providers: catalog.counts.providers,
  rounded: catalog.rounded,
};

let cached: readonly PriceEntry[] | undefined;

/** Every model of the committed catalog as a `PriceEntry` (converted once, then shared). */
export function catalogEntries(): readonly PriceEntry[] {
  cached ??= Object.entries(catalog.models).map(([id, record]) => entryFromRecord(id, record));
  return cached;
}

/** Converts one catalog record; exported for tests. */
export function entryFromRecord(id: string, record: CatalogRecord): PriceEntry {
  if (record.input === undefined) throw new RangeError(`catalog model '${id}' has no input rate`);
  if (!(priceModes as readonly string[]).includes(record.mode)) {
    throw new RangeError(`catalog model '${id}' has unknown mode '${record.mode}'`);
  }
  return {
    kind: 'tokens',
    id,
    provider: record.provider,
    mode: record.mode as PriceMode,
    ...(record.contextWindow === undefined ? {} : { contextWindow: record.contextWindow }),
    ...(record.maxOutput === undefined ? {} : { maxOutput: record.maxOutput }),
    source: `litellm:${id}`,
    rates: { ...toRates(record), input: BigInt(record.input) },
    batch: toRates(record.batch),
    tiers: tiersOf(record),
    bands: (record.bands ?? []).map(bandFromRecord),
  };
}

function bandFromRecord(band: RecordBand): LongContextBand {
  return {
    kind: band.kind === 'range' ? 'tiered-range' : 'above-threshold',
    aboveInputTokens: band.above,
    inclusive: band.inclusive === true,
    ...(band.upTo === undefined ? {} : { upToInputTokens: band.upTo }),
    rates: toRates(band),
    tiers: tiersOf(band),
  };
}

function tiersOf(record: {
  readonly priority?: RecordRates;
  readonly flex?: RecordRates;
}): LongContextBand['tiers'] {
  return {
    ...(record.priority ? { priority: toRates(record.priority) } : {}),
    ...(record.flex ? { flex: toRates(record.flex) } : {}),
  };
}

function toRates(record: RecordRates | undefined): TokenRates {
  const rates: Partial<Record<(typeof rateNames)[number], bigint>> = {};
  if (record === undefined) return rates;
  for (const name of rateNames) {
    const value = record[name];
    if (value !== undefined) rates[name] = BigInt(value);
  }
  return rates;
}
