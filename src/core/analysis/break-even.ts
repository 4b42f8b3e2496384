import type { Picodollars } from '../money.js';
import {
  addRationals,
  ceilRational,
  compareRationals,
  type DecimalValue,
  divideRationals,
  multiplyRationals,
  nonNegativeDecimal,
  type Rational,
  rational,
  rationalToPicodollars,
  subtractRationals,
} from './rational.js';

/** API pricing and the token mix of one query: one blended price, or input and output priced apart. */
export type ApiTokenPricing =
  | { readonly pricePer1m: DecimalValue; readonly tokensPerQuery: DecimalValue }
  | {
      readonly inputPricePer1m: DecimalValue;
      readonly outputPricePer1m: DecimalValue;
      readonly inputTokensPerQuery: DecimalValue;
      readonly outputTokensPerQuery: DecimalValue;
    };

/** What self-hosting costs against the API. Dollars and token counts are exact decimals. */
export type BreakEvenInput = {
  readonly api: ApiTokenPricing;
  /** Fixed monthly cost: of the whole deployment, or of each GPU when `gpuTokensPerSecond` is given. */
  readonly gpuMonthly: DecimalValue;
  /** Self-hosting's marginal cost per 1M tokens (power, egress...), input and output together. */
  readonly selfHostPer1m: DecimalValue;
  /** Sustained tokens per second one GPU serves; makes the fixed cost a step function (more GPUs). */
  readonly gpuTokensPerSecond?: DecimalValue;
  /** Part (0..1] of that throughput usable on average, allowing for traffic peaks; 1 by default. */
  readonly utilization?: DecimalValue;
  /** Days in a month for the capacity arithmetic; 30 by default, as in the TCO model. */
  readonly daysPerMonth?: DecimalValue;
};

/** Why self-hosting never wins: its marginal cost is no lower, or a fully used GPU does not pay for itself. */
export const noBreakEvenReasons = ['marginal-cost-not-lower', 'gpu-never-pays-off'] as const;
export type NoBreakEvenReason = (typeof noBreakEvenReasons)[number];

/** Where the lines cross, in queries per month (rounded up to whole queries). */
export type BreakEvenPoint =
  | { readonly kind: 'none'; readonly reason: NoBreakEvenReason }
  | {
      readonly kind: 'volume';
      /** The smallest volume at which self-hosting costs no more than the API. */
      readonly queriesPerMonth: bigint;
      /**
       * The volume from which self-hosting costs no more at every larger volume. Later than the first
       * crossing when adding a GPU makes the API cheaper again for a while; undefined when that keeps
       * happening forever (a full GPU saves exactly its own cost).
       */
      readonly cheaperFromQueriesPerMonth: bigint | undefined;
    };

/** Per-query costs in exact dollars, the capacity of one GPU, and the break-even point. */
export type BreakEvenAnalysis = {
  readonly tokensPerQuery: Rational;
  readonly apiPerQuery: Rational;
  readonly selfHostPerQuery: Rational;
  readonly gpuMonthly: Rational;
  /** Queries one GPU serves per month, when a throughput was given. */
  readonly queriesPerGpu: Rational | undefined;
  readonly breakEven: BreakEvenPoint;
};

/** Monthly costs of both options at one volume; `cheaper` compares the exact amounts. */
export type VolumeCosts = {
  readonly queriesPerMonth: bigint;
  readonly api: Picodollars;
  readonly gpus: bigint;
  readonly selfHost: Picodollars;
  readonly cheaper: 'api' | 'self-host' | 'equal';
};

const million = rational(1_000_000n);
const secondsPerDay = rational(86_400n);

/**
 * Finds the monthly volume above which self-hosting is cheaper than the API. With a GPU throughput the
 * fixed cost grows by one GPU each time traffic fills the last one, so the crossing is computed per step:
 * self-hosting wins in step k from k × (GPU cost ÷ saving per query), which lies inside the step only
 * when one full GPU saves at least its own cost. Volumes are monthly rates, treated as continuous and
 * reported rounded up to whole queries.
 */
export function analyzeBreakEven(input: BreakEvenInput): BreakEvenAnalysis {
  const { tokensPerQuery, apiPerQuery } = apiCosts(input.api);
  if (tokensPerQuery.numerator === 0n) throw new RangeError('tokens per query must be more than 0');
  const selfHostPerQuery = divideRationals(
    multiplyRationals(tokensPerQuery, nonNegativeDecimal(input.selfHostPer1m, 'selfHostPer1m')),
    million,
  );
  const gpuMonthly = nonNegativeDecimal(input.gpuMonthly, 'gpuMonthly');
  const queriesPerGpu = input.gpuTokensPerSecond === undefined ? undefined : capacity(input, tokensPerQuery);
  const saving = subtractRationals(apiPerQuery, selfHostPerQuery);
  let breakEven: BreakEvenPoint;
  if (saving.numerator <= 0n) {
    breakEven = { kind: 'none', reason: 'marginal-cost-not-lower' };
  } else {
    const perGpu = divideRationals(gpuMonthly, saving);
    const fit = queriesPerGpu === undefined ? -1 : compareRationals(perGpu, queriesPerGpu);
    if (fit > 0) {
      breakEven = { kind: 'none', reason: 'gpu-never-pays-off' };
    } else {
      // Windows where the API is cheaper again exist for steps k with k·perGpu > (k−1)·queriesPerGpu.
      const lastStep =
        queriesPerGpu === undefined || perGpu.numerator === 0n
          ? 1n
          : fit === 0
            ? undefined
            : ceilRational(divideRationals(queriesPerGpu, subtractRationals(queriesPerGpu, perGpu))) - 1n;
      breakEven = {
        kind: 'volume',
        queriesPerMonth: ceilRational(perGpu),
        cheaperFromQueriesPerMonth:
          lastStep === undefined ? undefined : ceilRational(multiplyRationals(perGpu, rational(lastStep))),
      };
    }
  }
  return { tokensPerQuery, apiPerQuery, selfHostPerQuery, gpuMonthly, queriesPerGpu, breakEven };
}

/** Both options' monthly cost at a volume (queries per month, a non-negative integer). */
export function costsAtVolume(analysis: BreakEvenAnalysis, queriesPerMonth: bigint): VolumeCosts {
  if (queriesPerMonth < 0n) throw new RangeError(`volume must not be negative, got ${queriesPerMonth}`);
  const volume = rational(queriesPerMonth);
  const gpus =
    analysis.queriesPerGpu === undefined
      ? 1n
      : [ceilRational(divideRationals(volume, analysis.queriesPerGpu)), 1n].reduce((a, b) => (a > b ? a : b));
  const api = multiplyRationals(volume, analysis.apiPerQuery);
  const selfHost = addRationals(
    multiplyRationals(rational(gpus), analysis.gpuMonthly),
    multiplyRationals(volume, analysis.selfHostPerQuery),
  );
  const order = compareRationals(selfHost, api);
  return {
    queriesPerMonth,
    api: rationalToPicodollars(api),
    gpus,
    selfHost: rationalToPicodollars(selfHost),
    cheaper: order < 0 ? 'self-host' : order > 0 ? 'api' : 'equal',
  };
}

function apiCosts(api: ApiTokenPricing): { tokensPerQuery: Rational; apiPerQuery: Rational } {
  if ('pricePer1m' in api) {
    const tokensPerQuery = nonNegativeDecimal(api.tokensPerQuery, 'tokensPerQuery');
    const price = nonNegativeDecimal(api.pricePer1m, 'pricePer1m');
    return {
      tokensPerQuery,
      apiPerQuery: divideRationals(multiplyRationals(tokensPerQuery, price), million),
    };
  }
  const input = nonNegativeDecimal(api.inputTokensPerQuery, 'inputTokensPerQuery');
  const output = nonNegativeDecimal(api.outputTokensPerQuery, 'outputTokensPerQuery');
  const cost = addRationals(
    multiplyRationals(input, nonNegativeDecimal(api.inputPricePer1m, 'inputPricePer1m')),
    multiplyRationals(output, nonNegativeDecimal(api.outputPricePer1m, 'outputPricePer1m')),
  );
  return { tokensPerQuery: addRationals(input, output), apiPerQuery: divideRationals(cost, million) };
}

function capacity(input: BreakEvenInput, tokensPerQuery: Rational): Rational {
  const throughput = nonNegativeDecimal(input.gpuTokensPerSecond ?? 0, 'gpuTokensPerSecond');
  const utilization = nonNegativeDecimal(input.utilization ?? 1, 'utilization');
  const days = nonNegativeDecimal(input.daysPerMonth ?? 30, 'daysPerMonth');
  if (throughput.numerator === 0n) throw new RangeError('gpuTokensPerSecond must be more than 0');
  if (utilization.numerator === 0n || compareRationals(utilization, rational(1n)) > 0) {
    throw new RangeError('utilization must be more than 0 and at most 1');
  }
  if (days.numerator === 0n) throw new RangeError('daysPerMonth must be more than 0');
  const tokensPerMonth = multiplyRationals(throughput, utilization, days, secondsPerDay);
  return divideRationals(tokensPerMonth, tokensPerQuery);
}
