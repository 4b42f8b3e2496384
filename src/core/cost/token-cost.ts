import { UsageError } from '../errors.js';
import { divideRoundHalfEven } from '../money.js';
import type { ServiceTier, TokenPriceEntry, TokenRates } from '../prices/price-entry.js';
import type { Usage } from '../usage.js';
import type { BatchPricing, CostComponent, PricedCost, UnpricedCost } from './cost-result.js';
import { costComponents } from './cost-result.js';
import { selectRates } from './select-rates.js';

const noRates: TokenRates = {};

/** Options of `tokenCost`. */
export type TokenCostOptions = {
  readonly tier: ServiceTier;
  readonly batch: boolean;
  /** How a requested name matched, copied into the result. */
  readonly match?: PricedCost['match'];
};

const standInNotes = {
  cachedInput: 'no cache-read rate: cached input priced at the input rate',
  cacheWrite: 'no cache-write rate: cache writes priced at the input rate',
  cacheWrite1h: {
    input: 'no 1-hour cache-write rate: 1-hour cache writes priced at the input rate',
    cacheWrite: 'no 1-hour cache-write rate: 1-hour cache writes priced at the 5-minute cache-write rate',
  },
} as const;

/**
 * Exact cost of one request to a per-token model (LiteLLM's rules; see `selectRates` for rates):
 * fresh input = input − cached − cache writes, each part at its rate; output − reasoning at the output rate
 * and reasoning at the reasoning rate. Unreported parts (cachedInput, reasoning, ... undefined) count as
 * fresh input / visible output, never as free. Batch: explicit `*_batches` rates where the model has them
 * (and no long-context band applies), every other component at half price, halved once on their sum with
 * `divideRoundHalfEven`. Batch with a priority/flex tier is a UsageError. Usage must already be valid.
 */
export function tokenCost(
  usage: Usage,
  entry: TokenPriceEntry,
  options: TokenCostOptions,
): PricedCost | UnpricedCost {
  const { input, output } = usage;
  if (input === undefined || output === undefined) {
    const unknown = input === undefined ? (output === undefined ? 'input and output' : 'input') : 'output';
    return unpriced(
      entry.id,
      'incomplete-usage',
      `incomplete usage for '${entry.id}': ${unknown} tokens unknown`,
    );
  }
  if (options.batch && options.tier !== 'standard') {
    throw new UsageError(`batch pricing cannot be combined with the ${options.tier} service tier`);
  }
  const cachedInput = usage.cachedInput ?? 0;
  const cacheWrite = usage.cacheWrite ?? 0;
  const cacheWrite1h = usage.cacheWrite1h ?? 0;
  const reasoning = usage.reasoning ?? 0;
  const tokens: Record<CostComponent, number> = {
    freshInput: input - cachedInput - cacheWrite - cacheWrite1h,
    cachedInput,
    cacheWrite,
    cacheWrite1h,
    output: output - reasoning,
    reasoning,
  };
  const selection = selectRates(entry, input, options.tier);
  if (!selection.ok) return unpriced(entry.id, 'no-tier-price', selection.message);
  const selected = selection.rates;
  if (
    (tokens.output > 0 && selected.output === undefined) ||
    (tokens.reasoning > 0 && selected.reasoning === undefined)
  ) {
    return unpriced(entry.id, 'no-output-price', `no output price for '${entry.id}' (a ${entry.mode} model)`);
  }
  const batched = options.batch
    ? batchRates(entry, selection.band === undefined, selected, tokens)
    : undefined;
  const rates = batched?.rates ?? selected;
  const freshInput = amount(tokens.freshInput, rates.freshInput);
  const cached = amount(cachedInput, rates.cachedInput);
  const written = amount(cacheWrite, rates.cacheWrite);
  const written1h = amount(cacheWrite1h, rates.cacheWrite1h);
  const visibleOutput = amount(tokens.output, rates.output);
  const reasoned = amount(reasoning, rates.reasoning);
  let batchDiscount = 0n;
  if (batched) {
    const half = batched.halved;
    const halvedSum =
      (half.freshInput ? freshInput : 0n) +
      (half.cachedInput ? cached : 0n) +
      (half.cacheWrite ? written : 0n) +
      (half.cacheWrite1h ? written1h : 0n) +
      (half.output ? visibleOutput : 0n) +
      (half.reasoning ? reasoned : 0n);
    batchDiscount = halvedSum - divideRoundHalfEven(halvedSum, 2n);
  }
  const { standIns, band } = selection;
  const notes: string[] = [];
  if (cachedInput > 0 && standIns.cachedInput) notes.push(standInNotes.cachedInput);
  if (cacheWrite > 0 && standIns.cacheWrite) notes.push(standInNotes.cacheWrite);
  if (cacheWrite1h > 0 && standIns.cacheWrite1h) notes.push(standInNotes.cacheWrite1h[standIns.cacheWrite1h]);
  return {
    status: 'priced',
    model: entry.id,
    total: freshInput + cached + written + written1h + visibleOutput + reasoned - batchDiscount,
    breakdown: {
      freshInput,
      cachedInput: cached,
      cacheWrite: written,
      cacheWrite1h: written1h,
      output: visibleOutput,
      reasoning: reasoned,
      gpuTime: 0n,
      batchDiscount,
    },
    tokens,
    rates,
    source: entry.source,
    effectiveFrom: entry.effectiveFrom,
    tier: options.tier,
    band: band && { kind: band.kind, aboveInputTokens: band.aboveInputTokens, inclusive: band.inclusive },
    batch: batched?.pricing ?? 'none',
    match: options.match,
    notes,
  };
}

function amount(count: number, rate: bigint | undefined): bigint {
  return count === 0 ? 0n : BigInt(count) * rate!;
}

/**
 * Batch rates: a component uses the model's explicit `*_batches` rate when it has one and no long-context
 * band applies (batch rates are base-band prices); every other component is marked for the half-price rule.
 * Reasoning billed at the output rate takes the batch output rate.
 */
function batchRates(
  entry: TokenPriceEntry,
  useExplicit: boolean,
  selected: Readonly<Record<CostComponent, bigint | undefined>>,
  tokens: Readonly<Record<CostComponent, number>>,
): {
  rates: Record<CostComponent, bigint | undefined>;
  halved: Record<CostComponent, boolean>;
  pricing: BatchPricing;
} {
  const explicit = useExplicit ? entry.batch : noRates;
  const reasoning =
    explicit.reasoning ?? (selected.reasoning === selected.output ? explicit.output : undefined);
  const halved: Record<CostComponent, boolean> = {
    freshInput: explicit.input === undefined,
    cachedInput: explicit.cachedInput === undefined,
    cacheWrite: explicit.cacheWrite === undefined,
    cacheWrite1h: explicit.cacheWrite1h === undefined,
    output: explicit.output === undefined,
    reasoning: reasoning === undefined,
  };
  const rates: Record<CostComponent, bigint | undefined> = {
    freshInput: explicit.input ?? selected.freshInput,
    cachedInput: explicit.cachedInput ?? selected.cachedInput,
    cacheWrite: explicit.cacheWrite ?? selected.cacheWrite,
    cacheWrite1h: explicit.cacheWrite1h ?? selected.cacheWrite1h,
    output: explicit.output ?? selected.output,
    reasoning: reasoning ?? selected.reasoning,
  };
  let usedExplicit = false;
  let usedHalf = false;
  for (const component of costComponents) {
    if (tokens[component] === 0) continue;
    if (halved[component]) usedHalf = true;
    else usedExplicit = true;
  }
  const pricing = usedExplicit ? (usedHalf ? 'batch-rates-and-half-price' : 'batch-rates') : 'half-price';
  return { rates, halved, pricing };
}

/** An unpriced result (shared by the cost functions). */
export function unpriced(
  model: string,
  reason: UnpricedCost['reason'],
  message: string,
  suggestions: readonly string[] = [],
): UnpricedCost {
  return { status: 'unpriced', model, reason, message, suggestions };
}
