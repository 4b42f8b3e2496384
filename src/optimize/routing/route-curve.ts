/**
 * What a two-model router buys, in RouteLLM's terms (routellm/evals/evaluate.py). A router gives each query a
 * number; every query at or above a threshold goes to the strong model, the rest to the weak one. Sweeping the
 * threshold over every distinct number draws the curve from 0% strong calls (all weak) to 100% (all strong).
 * - PGR (performance gap recovered) at a point = (score − weak) / (strong − weak), the scores being means over
 *   the queries.
 * - CPT(x) = the share of strong calls at which the curve first reaches PGR x, interpolated linearly between
 *   the two points around it.
 * - APGR = the area under PGR over the share of strong calls, from 0 to 1, by trapezoids.
 * Queries with equal numbers cannot be told apart by a threshold: they move together, and the straight line
 * between the points on either side is the expected curve when ties are broken at random. RouteLLM samples 10
 * quantile thresholds; here every distinct number is a point, so small differences to its figures are expected.
 */
export type RoutePoint = {
  /** Queries at or above this number go to the strong model (+Infinity: none). */
  readonly threshold: number;
  readonly strongCalls: number;
  /** strongCalls / queries. */
  readonly strongShare: number;
  /** Mean score of the routed answers. */
  readonly score: number;
  readonly pgr: number;
  /** Exact total cost in pico-dollars of answering every query as routed, when costs were given. */
  readonly cost?: bigint | undefined;
};

export type RouteCurve = {
  readonly queries: number;
  readonly strongScore: number;
  readonly weakScore: number;
  readonly points: readonly RoutePoint[];
  readonly apgr: number;
  /** Share of strong calls to recover 50% / 80% of the gap (undefined: never reached). */
  readonly cpt50: number | undefined;
  readonly cpt80: number | undefined;
};

export type RouteInputs = {
  /** The router's number per query: higher = more in need of the strong model. */
  readonly routerScores: ArrayLike<number>;
  readonly strong: ArrayLike<number>;
  readonly weak: ArrayLike<number>;
  /** Per-query cost in pico-dollars of each model's answer (both or neither). */
  readonly strongCost?: readonly bigint[] | undefined;
  readonly weakCost?: readonly bigint[] | undefined;
};

/** The curve and its metrics over `indices` (default: every query; repeats allowed, as in a bootstrap sample). */
export function routeCurve(inputs: RouteInputs, indices?: ArrayLike<number>): RouteCurve {
  const { routerScores, strong, weak, strongCost, weakCost } = inputs;
  const chosen = indices ?? Array.from({ length: routerScores.length }, (_, index) => index);
  const n = chosen.length;
  if (n === 0) throw new RangeError('no queries to route');
  let strongSum = 0;
  let weakSum = 0;
  let cost = weakCost === undefined ? undefined : 0n;
  for (let i = 0; i < n; i++) {
    const index = chosen[i]!;
    strongSum += strong[index]!;
    weakSum += weak[index]!;
    if (cost !== undefined) cost += weakCost![index]!;
  }
  const strongScore = strongSum / n;
  const weakScore = weakSum / n;
  const gap = strongScore - weakScore;
  if (!(Math.abs(gap) > 1e-12)) {
    throw new RangeError(
      'the strong and weak models score the same on these queries: there is no gap to recover',
    );
  }
  const order = Array.from(chosen).sort((a, b) => routerScores[b]! - routerScores[a]!);
  const points: RoutePoint[] = [
    { threshold: Number.POSITIVE_INFINITY, strongCalls: 0, strongShare: 0, score: weakScore, pgr: 0, cost },
  ];
  let sum = weakSum;
  for (let i = 0; i < n; ) {
    const threshold = routerScores[order[i]!]!;
    while (i < n && routerScores[order[i]!] === threshold) {
      const index = order[i]!;
      sum += strong[index]! - weak[index]!;
      if (cost !== undefined) cost += strongCost![index]! - weakCost![index]!;
      i += 1;
    }
    const score = sum / n;
    points.push({
      threshold,
      strongCalls: i,
      strongShare: i / n,
      score,
      pgr: (score - weakScore) / gap,
      cost,
    });
  }
  let apgr = 0;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    apgr += ((a.pgr + b.pgr) / 2) * (b.strongShare - a.strongShare);
  }
  return {
    queries: n,
    strongScore,
    weakScore,
    points,
    apgr,
    cpt50: callsToReach(points, 0.5),
    cpt80: callsToReach(points, 0.8),
  };
}

/** The share of strong calls at which the curve first reaches `pgr`, interpolated; undefined if it never does. */
export function callsToReach(points: readonly RoutePoint[], pgr: number): number | undefined {
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    if (point.pgr < pgr) continue;
    if (i === 0) return point.strongShare;
    const previous = points[i - 1]!;
    const fraction = (pgr - previous.pgr) / (point.pgr - previous.pgr);
    return previous.strongShare + fraction * (point.strongShare - previous.strongShare);
  }
  return undefined;
}

/** The oracle's numbers: what the strong model gains over the weak one on each query (it knows the outcomes). */
export function oracleScores(strong: ArrayLike<number>, weak: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: strong.length }, (_, index) => strong[index]! - weak[index]!);
}
