import { ConfigError, UsageError } from '../errors.js';
import type { CustomPrice } from './custom-price.js';
import { entryFromCustomPrice } from './custom-price.js';
import { providerAnswersTo, splitProviderPrefix, splitRegionPrefix, splitSnapshot } from './model-name.js';
import type { PriceEntry } from './price-entry.js';
import { type RankedName, rankModelNames } from './rank-model-names.js';

/** How a requested name was matched to a priced id. */
export const matchKinds = [
  'exact',
  'case-insensitive',
  'provider-prefix',
  'region-prefix',
  'snapshot-base',
] as const;
/** One of `matchKinds`. */
export type MatchKind = (typeof matchKinds)[number];

/** A name resolved to the price in force: the entry, its canonical id, and how the name matched. */
export type Resolved = {
  readonly status: 'found';
  readonly requested: string;
  readonly id: string;
  readonly entry: PriceEntry;
  readonly match: MatchKind;
  /** One line saying what was stripped or added to match, e.g. "provider prefix 'openai/' removed". */
  readonly note: string;
};

/** A name with no price: unknown (with close names), or no price in force on the requested day. */
export type Unresolved = {
  readonly status: 'unpriced';
  readonly requested: string;
  readonly reason: 'unknown-model' | 'no-price-on-date';
  readonly message: string;
  readonly suggestions: readonly string[];
};

/** What `PriceBook.resolve` answers: a price in force, or unpriced with a reason. */
export type Resolution = Resolved | Unresolved;

/** Options of `PriceBook.resolve`: `on` (YYYY-MM-DD) picks the price in force that day, else the newest. */
export type ResolveOptions = { readonly on?: string | undefined };

/** Every price frugal knows, looked up by any common spelling of a model's name. Immutable and pure. */
export type PriceBook = {
  readonly size: number;
  readonly resolve: (name: string, options?: ResolveOptions) => Resolution;
  /** Every price of one canonical id, oldest first (entries without `effectiveFrom` count as oldest). */
  readonly history: (id: string) => readonly PriceEntry[];
  readonly search: (text: string, limit?: number) => readonly RankedName[];
  /** Close names for an unknown one, best first (only reasonably close ones). */
  readonly suggest: (name: string, limit?: number) => readonly string[];
  readonly ids: () => readonly string[];
  /** A new book in which config prices override catalog models (same id) or add custom models. */
  readonly withPrices: (prices: readonly CustomPrice[]) => PriceBook;
};

type Hit = { readonly id: string; readonly match: MatchKind; readonly note: string };

/** Distinct (name, day) resolutions remembered before the memo starts over. */
const MEMO_LIMIT = 10_000;

const datePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * Builds a book from entries. Entries sharing an id form its price history; when two have the same
 * `effectiveFrom`, the later one in the list wins (so config prices, added after the catalog, win).
 */
export function createPriceBook(entries: readonly PriceEntry[]): PriceBook {
  const byId = new Map<string, PriceEntry[]>();
  for (const entry of entries) {
    const list = byId.get(entry.id);
    if (list) list.push(entry);
    else byId.set(entry.id, [entry]);
  }
  for (const list of byId.values()) {
    list.sort((a, b) => compareDates(a.effectiveFrom, b.effectiveFrom));
  }
  const lowerCase = new Map<string, string>();
  for (const id of [...byId.keys()].sort()) {
    if (!lowerCase.has(id.toLowerCase())) lowerCase.set(id.toLowerCase(), id);
  }
  const allIds = [...byId.keys()].sort();

  const lookup = (name: string): Hit | undefined => {
    if (byId.has(name)) return { id: name, match: 'exact', note: 'exact id' };
    const id = lowerCase.get(name.toLowerCase());
    return id === undefined
      ? undefined
      : { id, match: 'case-insensitive', note: `matched '${id}' ignoring case` };
  };

  const providerOf = (id: string) => byId.get(id)![0]!.provider;

  /** Every spelling except snapshot dates: exact, case, a provider prefix removed, a Bedrock region removed. */
  const lookupSpellings = (name: string): Hit | undefined => {
    const direct = lookup(name);
    if (direct) return direct;
    const prefixed = splitProviderPrefix(name);
    if (prefixed) {
      const inner = lookupSpellings(prefixed.rest);
      if (inner && providerAnswersTo(providerOf(inner.id), prefixed.prefix)) {
        const note = `provider prefix '${prefixed.prefix}/' removed${inner.match === 'exact' ? '' : `; ${inner.note}`}`;
        return { id: inner.id, match: inner.match === 'exact' ? 'provider-prefix' : inner.match, note };
      }
    }
    const region = splitRegionPrefix(name);
    if (region) {
      const inner = lookup(region.rest);
      if (inner)
        return { id: inner.id, match: 'region-prefix', note: `region prefix '${region.region}.' removed` };
    }
    return undefined;
  };

  const find = (name: string): Hit | undefined => {
    const hit = lookupSpellings(name);
    if (hit) return hit;
    const snapshot = splitSnapshot(name);
    if (!snapshot) return undefined;
    const base = lookupSpellings(snapshot.base);
    if (!base) return undefined;
    return {
      id: base.id,
      match: 'snapshot-base',
      note: `no snapshot '${name}' is priced; using its undated base '${base.id}'`,
    };
  };

  const suggest = (name: string, limit = 5) =>
    rankModelNames(name, allIds, limit)
      .filter((ranked) => ranked.score >= 0.55)
      .map((ranked) => ranked.id);

  // Resolutions are immutable, so they are memoised per (name, day); bounded, since names come from traffic.
  const memo = new Map<string, Resolution>();
  const resolve = (name: string, options: ResolveOptions = {}): Resolution => {
    const key = `${name}\u0000${options.on ?? ''}`;
    const known = memo.get(key);
    if (known) return known;
    const resolution = resolveUncached(name, options);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, resolution);
    return resolution;
  };

  const resolveUncached = (name: string, options: ResolveOptions): Resolution => {
    const requested = name.trim();
    const on = options.on;
    if (on !== undefined && !datePattern.test(on))
      throw new UsageError(`date must be YYYY-MM-DD, got '${on}'`);
    const hit = requested === '' ? undefined : find(requested);
    if (!hit) {
      const suggestions = requested === '' ? [] : suggest(requested);
      const hint = suggestions.length ? `; did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
      const message = `no price for model '${requested}'${hint}`;
      return { status: 'unpriced', requested, reason: 'unknown-model', message, suggestions };
    }
    const history = byId.get(hit.id)!;
    const entry =
      on === undefined ? history.at(-1) : history.findLast((e) => compareDates(e.effectiveFrom, on) <= 0);
    if (!entry) {
      const message = `no price for '${hit.id}' in force on ${on} (the earliest starts ${history[0]!.effectiveFrom})`;
      return { status: 'unpriced', requested, reason: 'no-price-on-date', message, suggestions: [] };
    }
    return { status: 'found', requested, id: hit.id, entry, match: hit.match, note: hit.note };
  };

  const withPrices = (prices: readonly CustomPrice[]): PriceBook => {
    const added: PriceEntry[] = [];
    const seen = new Set<string>();
    for (const price of prices) {
      const hit = lookupSpellings(price.model);
      const base = hit ? byId.get(hit.id)!.at(-1) : undefined;
      const entry = entryFromCustomPrice(price, base);
      const key = `${entry.id}@${entry.effectiveFrom ?? ''}`;
      if (seen.has(key)) {
        const when = entry.effectiveFrom
          ? ` effective from ${entry.effectiveFrom}`
          : ' without effective_from';
        throw new ConfigError(
          price.origin.file,
          price.origin.path,
          `a second price for '${entry.id}'${when}`,
        );
      }
      seen.add(key);
      added.push(entry);
    }
    return createPriceBook([...entries, ...added]);
  };

  return {
    size: byId.size,
    resolve,
    history: (id) => byId.get(id) ?? [],
    search: (text, limit = 20) => rankModelNames(text, allIds, limit),
    suggest,
    ids: () => allIds,
    withPrices,
  };
}

/** Compares YYYY-MM-DD dates; undefined ("since always") sorts first. */
function compareDates(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}
