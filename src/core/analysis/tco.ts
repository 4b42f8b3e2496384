import type { Picodollars } from '../money.js';
import {
  compareRationals,
  type DecimalValue,
  divideRationals,
  formatRational,
  multiplyRationals,
  nonNegativeDecimal,
  type Rational,
  rational,
  rationalToPicodollars,
  subtractRationals,
} from './rational.js';

/** The five places an LLM feature's money goes, in report order. */
export const tcoCategories = ['api', 'infrastructure', 'engineering', 'quality', 'operational'] as const;
export type TcoCategory = (typeof tcoCategories)[number];

/** How each category is titled in reports. */
export const tcoCategoryLabels: Readonly<Record<TcoCategory, string>> = {
  api: 'API / inference',
  infrastructure: 'Infrastructure',
  engineering: 'Engineering',
  quality: 'Quality / eval',
  operational: 'Operational',
};

/** Token counts that API prices are quoted for: per thousand or per million tokens. */
export const priceUnits = ['1K', '1M'] as const;
export type PriceUnit = (typeof priceUnits)[number];

/** A monthly line item: a dollar amount per month, or hours per month × an hourly rate. */
export type TcoLineItem = DecimalValue | { readonly hours: DecimalValue; readonly hourlyRate: DecimalValue };

/** Named line items of one category ("vector_db: 200"). */
export type TcoLineItems = Readonly<Record<string, TcoLineItem>>;

/** The per-query token model behind the API category, plus any fixed API costs (fine-tuning runs...). */
export type TcoApiUsage = {
  readonly inputTokensPerQuery: DecimalValue;
  readonly outputTokensPerQuery: DecimalValue;
  /** Prices below are dollars per this many tokens. */
  readonly pricesPer: PriceUnit;
  readonly inputPrice: DecimalValue;
  readonly outputPrice: DecimalValue;
  /** The part (0..1) of input tokens read from the provider's prompt cache, billed at `cachedInputPrice`. */
  readonly cachedInputShare?: DecimalValue;
  readonly cachedInputPrice?: DecimalValue;
  readonly fixed?: TcoLineItems;
};

/** Monthly traffic, given per day (× `daysPerMonth`, 30 by default as in the textbook) or per month. */
export type TcoVolume =
  | { readonly queriesPerDay: DecimalValue; readonly queriesPerMonth?: never }
  | { readonly queriesPerMonth: DecimalValue; readonly queriesPerDay?: never };

/** A total-cost-of-ownership model: traffic, the API token model and the other four categories' items. */
export type TcoModel = TcoVolume & {
  readonly daysPerMonth?: DecimalValue;
  readonly api?: TcoApiUsage;
  readonly infrastructure?: TcoLineItems;
  readonly engineering?: TcoLineItems;
  readonly quality?: TcoLineItems;
  readonly operational?: TcoLineItems;
};

/** One computed line: its monthly cost (exact to the pico-dollar) and how it was computed, if it was. */
export type TcoLine = { readonly name: string; readonly monthly: Picodollars; readonly detail?: string };

/** A category's items, its monthly total (the exact sum of its lines) and its exact share of the total. */
export type TcoCategoryTotal = {
  readonly category: TcoCategory;
  readonly label: string;
  readonly monthly: Picodollars;
  readonly share: Rational;
  readonly lines: readonly TcoLine[];
};

/** A computed TCO: the categories add up exactly to `total`; cost per query is undefined with no traffic. */
export type TcoReport = {
  readonly daysPerMonth: Rational;
  readonly queriesPerMonth: Rational;
  readonly categories: readonly TcoCategoryTotal[];
  readonly total: Picodollars;
  readonly costPerQuery: Picodollars | undefined;
};

/**
 * Computes the monthly TCO exactly. Every line is computed as an exact fraction and rounded once (half to
 * even) to pico-dollars; categories and the total are sums of those lines, so the report always adds up.
 * Throws RangeError naming the field for a negative value or a cache share outside 0..1.
 */
export function computeTco(model: TcoModel): TcoReport {
  const daysPerMonth = nonNegativeDecimal(model.daysPerMonth ?? 30, 'daysPerMonth');
  if (compareRationals(daysPerMonth, rational(0n)) === 0)
    throw new RangeError('daysPerMonth must be more than 0');
  if (model.queriesPerMonth === undefined && model.queriesPerDay === undefined) {
    throw new RangeError('queriesPerDay or queriesPerMonth is required');
  }
  const queriesPerMonth =
    model.queriesPerMonth !== undefined
      ? nonNegativeDecimal(model.queriesPerMonth, 'queriesPerMonth')
      : multiplyRationals(nonNegativeDecimal(model.queriesPerDay!, 'queriesPerDay'), daysPerMonth);
  const linesOf: Record<TcoCategory, TcoLine[]> = {
    api: [
      ...(model.api ? apiLines(model.api, queriesPerMonth) : []),
      ...itemLines(model.api?.fixed, 'api.fixed'),
    ],
    infrastructure: itemLines(model.infrastructure, 'infrastructure'),
    engineering: itemLines(model.engineering, 'engineering'),
    quality: itemLines(model.quality, 'quality'),
    operational: itemLines(model.operational, 'operational'),
  };
  const sums = tcoCategories.map((category) =>
    linesOf[category].reduce((sum, line) => sum + line.monthly, 0n),
  );
  const total = sums.reduce((sum, value) => sum + value, 0n);
  const categories = tcoCategories.map((category, index) => ({
    category,
    label: tcoCategoryLabels[category],
    monthly: sums[index]!,
    share: total === 0n ? rational(0n) : rational(sums[index]!, total),
    lines: linesOf[category],
  }));
  const costPerQuery =
    queriesPerMonth.numerator === 0n
      ? undefined
      : rationalToPicodollars(divideRationals(rational(total, 1_000_000_000_000n), queriesPerMonth));
  return { daysPerMonth, queriesPerMonth, categories, total, costPerQuery };
}

function apiLines(api: TcoApiUsage, queriesPerMonth: Rational): TcoLine[] {
  const unit = api.pricesPer === '1K' ? rational(1000n) : rational(1_000_000n);
  const inputTokens = multiplyRationals(
    queriesPerMonth,
    nonNegativeDecimal(api.inputTokensPerQuery, 'api.inputTokensPerQuery'),
  );
  const outputTokens = multiplyRationals(
    queriesPerMonth,
    nonNegativeDecimal(api.outputTokensPerQuery, 'api.outputTokensPerQuery'),
  );
  const share = nonNegativeDecimal(api.cachedInputShare ?? 0, 'api.cachedInputShare');
  if (compareRationals(share, rational(1n)) > 0)
    throw new RangeError('api.cachedInputShare must be at most 1');
  const line = (name: string, tokens: Rational, price: DecimalValue, field: string): TcoLine => {
    const perUnit = nonNegativeDecimal(price, field);
    return {
      name,
      monthly: rationalToPicodollars(divideRationals(multiplyRationals(tokens, perUnit), unit)),
      detail: `${formatRational(tokens, 2, { group: true })} tokens × $${formatRational(perUnit, 12)}/${api.pricesPer}`,
    };
  };
  const lines = [
    line(
      'input tokens',
      multiplyRationals(inputTokens, subtractRationals(rational(1n), share)),
      api.inputPrice,
      'api.inputPrice',
    ),
  ];
  if (share.numerator !== 0n) {
    if (api.cachedInputPrice === undefined) {
      throw new RangeError('api.cachedInputPrice is required when api.cachedInputShare is more than 0');
    }
    lines.push(
      line(
        'cached input tokens',
        multiplyRationals(inputTokens, share),
        api.cachedInputPrice,
        'api.cachedInputPrice',
      ),
    );
  }
  lines.push(line('output tokens', outputTokens, api.outputPrice, 'api.outputPrice'));
  return lines;
}

function itemLines(items: TcoLineItems | undefined, path: string): TcoLine[] {
  return Object.entries(items ?? {}).map(([name, item]) => {
    if (typeof item !== 'object' || 'numerator' in item) {
      return { name, monthly: rationalToPicodollars(nonNegativeDecimal(item, `${path}.${name}`)) };
    }
    const hours = nonNegativeDecimal(item.hours, `${path}.${name}.hours`);
    const rate = nonNegativeDecimal(item.hourlyRate, `${path}.${name}.hourlyRate`);
    return {
      name,
      monthly: rationalToPicodollars(multiplyRationals(hours, rate)),
      detail: `${formatRational(hours, 2, { group: true })} h × $${formatRational(rate, 12, { group: true })}/h`,
    };
  });
}
