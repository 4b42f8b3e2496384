import { cost } from '../../core/cost/cost.js';
import type { PriceBook } from '../../core/prices/price-book.js';
import { createRandom } from '../../core/random.js';
import type { OutcomeSet } from '../outcomes/outcome-set.js';
import { type LearnedRouter, scorePrompts, type TrainRouterOptions, trainRouter } from './learned-router.js';
import { oracleScores, type RouteCurve, routeCurve } from './route-curve.js';

/** A seeded split of query indices: shuffled once, then cut (train, validation for the threshold, test). */
export function splitQueries(
  count: number,
  options: {
    readonly testShare?: number | undefined;
    readonly validationShare?: number | undefined;
    readonly seed?: number | undefined;
  } = {},
): { train: number[]; validation: number[]; test: number[] } {
  const random = createRandom(options.seed ?? 42);
  const order = Array.from({ length: count }, (_, index) => index);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const test = Math.round(count * (options.testShare ?? 0.2));
  const validation = Math.round(count * (options.validationShare ?? 0.1));
  return {
    test: order.slice(0, test),
    validation: order.slice(test, test + validation),
    train: order.slice(test + validation),
  };
}

/** `splitQueries`, refusing sets too small to hold out at least 10 test and 5 validation queries. */
export function heldOutSplit(count: number, seed: number, testShare?: number | undefined) {
  const split = splitQueries(count, { seed, testShare });
  if (split.test.length < 10 || split.validation.length < 5) {
    throw new RangeError(`${count} queries are too few to hold out test and validation queries`);
  }
  return split;
}

/** The per-query cost (pico-dollars) of a model's recorded answers; undefined when any is unknown or unpriced. */
export function outcomeCosts(set: OutcomeSet, model: string, book?: PriceBook): bigint[] | undefined {
  const costs: bigint[] = [];
  for (const query of set.queries) {
    const outcome = query.outcomes[model]!;
    if (outcome.inputTokens === undefined || outcome.outputTokens === undefined) return undefined;
    const priced = cost({ input: outcome.inputTokens, output: outcome.outputTokens }, model, { book });
    if (priced.status !== 'priced') return undefined;
    costs.push(priced.total);
  }
  return costs;
}

export type RouterEvaluation = {
  readonly router: LearnedRouter;
  readonly split: {
    readonly train: number;
    readonly validation: number;
    readonly test: number;
    readonly seed: number;
  };
  /** On the held-out test queries. */
  readonly learned: RouteCurve;
  /** A seeded random router on the same queries (one draw: its curve, for plots). */
  readonly random: RouteCurve;
  /** 200 seeded random routers on the same queries: their mean metrics and the middle 95% of their APGRs. */
  readonly randomRouters: {
    readonly apgr: number;
    readonly apgrRange: readonly [number, number];
    readonly cpt50: number;
    readonly cpt80: number;
  };
  /** The oracle: strong model exactly where it does better. */
  readonly oracle: RouteCurve;
  /** 95% bootstrap interval of the learned router's APGR over the test queries. */
  readonly apgrInterval: readonly [number, number];
  /** The threshold chosen on the validation queries for the target, and what it gives on the test queries. */
  readonly operatingPoint: {
    readonly target: number;
    readonly threshold: number;
    readonly strongShare: number;
    readonly pgr: number;
    readonly score: number;
  };
  /** Each model's per-query costs (pico-dollars), when the outcomes have token counts and both are priced. */
  readonly costs?: { readonly strong: readonly bigint[]; readonly weak: readonly bigint[] } | undefined;
};

/** How to train (as `trainRouter`), and how to hold out and measure. */
export type EvaluateRouterOptions = TrainRouterOptions & {
  readonly testShare?: number | undefined;
  /** PGR the operating point must recover (default 0.8). */
  readonly targetPgr?: number | undefined;
  /** Bootstrap resamples for the APGR interval (default 500). */
  readonly resamples?: number | undefined;
  readonly book?: PriceBook | undefined;
};

/** Trains on the training split, picks the threshold on the validation split, measures on the test split. */
export async function evaluateRouter(
  set: OutcomeSet,
  options: EvaluateRouterOptions,
): Promise<RouterEvaluation> {
  const seed = options.seed ?? 42;
  const split = heldOutSplit(set.queries.length, seed, options.testShare);
  const router = await trainRouter(set, split.train, { ...options, seed });
  const allScores = new Float64Array(set.queries.length);
  const held = [...split.validation, ...split.test];
  const scores = await scorePrompts(
    router,
    options.embedder,
    held.map((index) => set.queries[index]!.prompt),
    options.signal,
  );
  held.forEach((index, i) => {
    allScores[index] = scores[i]!;
  });
  const strong = set.queries.map((query) => query.outcomes[options.strong]!.score);
  const weak = set.queries.map((query) => query.outcomes[options.weak]!.score);
  const strongCost = outcomeCosts(set, options.strong, options.book);
  const weakCost = outcomeCosts(set, options.weak, options.book);
  const costs = strongCost && weakCost ? { strongCost, weakCost } : {};
  const learned = routeCurve({ routerScores: allScores, strong, weak, ...costs }, split.test);
  const random = createRandom(seed + 1);
  const randomCurves = Array.from({ length: 200 }, () =>
    routeCurve(
      { routerScores: Float64Array.from(strong, () => random()), strong, weak, ...costs },
      split.test,
    ),
  );
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const randomApgrs = randomCurves.map((curve) => curve.apgr).sort((a, b) => a - b);
  const target = options.targetPgr ?? 0.8;
  const validationCurve = routeCurve({ routerScores: allScores, strong, weak }, split.validation);
  const reach = validationCurve.points.find((point) => point.pgr >= target) ?? validationCurve.points.at(-1)!;
  const threshold = reach.threshold;
  const chosen = learned.points.findLast((point) => point.threshold >= threshold) ?? learned.points[0]!;
  const resamples = options.resamples ?? 500;
  const draw = createRandom(seed + 2);
  const apgrs: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const sample = Array.from(split.test, () => split.test[Math.floor(draw() * split.test.length)]!);
    try {
      apgrs.push(routeCurve({ routerScores: allScores, strong, weak }, sample).apgr);
    } catch {
      // A resample where both models score alike has no gap to recover: it says nothing about the router.
    }
  }
  apgrs.sort((a, b) => a - b);
  const at = (q: number) => apgrs[Math.min(apgrs.length - 1, Math.floor(q * apgrs.length))]!;
  return {
    router: { ...router, threshold },
    split: { train: split.train.length, validation: split.validation.length, test: split.test.length, seed },
    learned,
    random: randomCurves[0]!,
    randomRouters: {
      apgr: mean(randomApgrs),
      apgrRange: [randomApgrs[4]!, randomApgrs[194]!],
      cpt50: mean(randomCurves.map((curve) => curve.cpt50 ?? 1)),
      cpt80: mean(randomCurves.map((curve) => curve.cpt80 ?? 1)),
    },
    oracle: routeCurve({ routerScores: oracleScores(strong, weak), strong, weak, ...costs }, split.test),
    apgrInterval: [at(0.025), at(0.975)],
    operatingPoint: {
      target,
      threshold,
      strongShare: chosen.strongShare,
      pgr: chosen.pgr,
      score: chosen.score,
    },
    costs: strongCost && weakCost ? { strong: strongCost, weak: weakCost } : undefined,
  };
}
