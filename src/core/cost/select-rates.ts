import type { LongContextBand, ServiceTier, TokenPriceEntry, TokenRates } from '../prices/price-entry.js';
import type { CostComponent } from './cost-result.js';

/** The rates one request is billed at, and which of them stand in for a rate the price does not have. */
export type RateSelection = {
  readonly ok: true;
  readonly rates: Readonly<Record<CostComponent, bigint | undefined>>;
  readonly band: LongContextBand | undefined;
  /** For each cache component priced at a stand-in rate, the rate it stands in with ('input' or 'cacheWrite'). */
  readonly standIns: Readonly<
    Partial<Record<'cachedInput' | 'cacheWrite' | 'cacheWrite1h', 'input' | 'cacheWrite'>>
  >;
};

/** A tier the model has no (complete) price for: never silently billed at the cheaper standard rates. */
export type MissingTierPrice = { readonly ok: false; readonly message: string };

/**
 * Picks the rates for a request of `inputTokens` prompt tokens in `tier`, following LiteLLM's rules:
 * - the highest long-context band whose threshold the prompt exceeds prices the WHOLE request; a rate an
 *   above-threshold band lacks is the base rate, a tiered range's missing output rate is the base output;
 * - a service tier uses its own rates and must have input and output rates (in the band too, when one
 *   applies), else the request is unpriced: no silent fall back to the cheaper standard rates;
 * - reasoning without its own rate is billed at the output rate.
 * Where frugal departs from LiteLLM: LiteLLM bills cached reads and cache writes at $0 when a model has no
 * cache rate (its `_get_cost_per_unit` defaults to 0.0; only its tiered-range path falls back to the input
 * rate). frugal never prices tokens at $0 because a rate is missing: a missing cache-read or 5-minute
 * cache-write rate is the input rate, a missing 1-hour write rate is the 5-minute one (else input), and the
 * result notes it. A tier with no cache-read rate likewise uses the tier's input rate.
 */
export function selectRates(
  entry: TokenPriceEntry,
  inputTokens: number,
  tier: ServiceTier,
): RateSelection | MissingTierPrice {
  const band = bandFor(entry.bands, inputTokens);
  let level: TokenRates;
  if (tier === 'standard') {
    if (band === undefined) level = entry.rates;
    else if (band.kind === 'above-threshold') level = { ...entry.rates, ...band.rates };
    else
      level = entry.rates.output === undefined ? band.rates : { output: entry.rates.output, ...band.rates };
  } else {
    const tierRates = entry.tiers[tier];
    const missing = missingRates(tierRates);
    if (missing !== undefined) return { ok: false, message: `no ${tier} price for '${entry.id}'${missing}` };
    if (band === undefined) level = tierRates!;
    else {
      const bandTier = band.tiers[tier];
      const bandMissing = missingRates(bandTier);
      if (bandMissing !== undefined) {
        const where = `above ${band.aboveInputTokens} input tokens`;
        return { ok: false, message: `no ${tier} price for '${entry.id}' ${where}${bandMissing}` };
      }
      level = band.kind === 'above-threshold' ? { ...tierRates, ...bandTier } : bandTier!;
    }
  }
  const input = level.input!;
  const standIns: Partial<Record<'cachedInput' | 'cacheWrite' | 'cacheWrite1h', 'input' | 'cacheWrite'>> = {};
  if (level.cachedInput === undefined) standIns.cachedInput = 'input';
  if (level.cacheWrite === undefined) standIns.cacheWrite = 'input';
  if (level.cacheWrite1h === undefined)
    standIns.cacheWrite1h = level.cacheWrite === undefined ? 'input' : 'cacheWrite';
  return {
    ok: true,
    rates: {
      freshInput: input,
      cachedInput: level.cachedInput ?? input,
      cacheWrite: level.cacheWrite ?? input,
      cacheWrite1h: level.cacheWrite1h ?? level.cacheWrite ?? input,
      output: level.output,
      reasoning: level.reasoning ?? level.output,
    },
    band,
    standIns,
  };
}

/** The highest band whose threshold the prompt passes (bands are sorted ascending). */
function bandFor(bands: readonly LongContextBand[], inputTokens: number): LongContextBand | undefined {
  for (let index = bands.length - 1; index >= 0; index--) {
    const band = bands[index]!;
    if (inputTokens > band.aboveInputTokens || (band.inclusive && inputTokens === band.aboveInputTokens))
      return band;
  }
  return undefined;
}

function missingRates(rates: TokenRates | undefined): string | undefined {
  if (rates === undefined) return '';
  if (rates.input === undefined) return ' (it has no input rate for that tier)';
  if (rates.output === undefined) return ' (it has no output rate for that tier)';
  return undefined;
}
