/**
 * A cascade over recorded outcomes (FrugalGPT): stage i's model answers; its answer is kept when the stage's
 * acceptance number is at or above `thresholds[i]`, else the next (dearer) model is asked; the last stage's
 * answer is always kept. Every stage tried is paid for.
 */
export type CascadeTable = {
  /** Per stage: each query's score (quality of that model's answer). */
  readonly scores: readonly ArrayLike<number>[];
  /** Per stage: each query's cost in pico-dollars. */
  readonly costs: readonly (readonly bigint[])[];
  /** Per stage but the last: each query's acceptance number (higher = more likely the answer is good). */
  readonly acceptance: readonly ArrayLike<number>[];
};

export type CascadeResult = {
  readonly queries: number;
  /** Mean score of the kept answers. */
  readonly quality: number;
  /** Exact total cost over the queries, pico-dollars. */
  readonly cost: bigint;
  /** Share of queries answered at each stage. */
  readonly answeredAt: readonly number[];
};

/** Runs the cascade with these thresholds over the queries at `indices`. */
export function runCascade(
  table: CascadeTable,
  thresholds: readonly number[],
  indices: readonly number[],
): CascadeResult {
  const stages = table.scores.length;
  if (thresholds.length !== stages - 1)
    throw new RangeError(`expected ${stages - 1} thresholds, got ${thresholds.length}`);
  const answered = new Array<number>(stages).fill(0);
  let quality = 0;
  let cost = 0n;
  for (const index of indices) {
    for (let stage = 0; stage < stages; stage++) {
      cost += table.costs[stage]![index]!;
      const last = stage === stages - 1;
      if (last || table.acceptance[stage]![index]! >= thresholds[stage]!) {
        quality += table.scores[stage]![index]!;
        answered[stage]! += 1;
        break;
      }
    }
  }
  const n = indices.length;
  return { queries: n, quality: quality / n, cost, answeredAt: answered.map((count) => count / n) };
}

/** What the thresholds are chosen for: the cheapest at or above a quality, or the best within a cost per query. */
export type CascadeGoal =
  | { readonly kind: 'quality'; readonly atLeast: number }
  | { readonly kind: 'budget'; readonly perQueryAtMost: bigint };

/**
 * Chooses thresholds on the queries at `indices` by trying every combination of candidate thresholds per stage
 * (the acceptance numbers' 5%-quantiles, plus accept-all and accept-none). Returns the cheapest combination
 * meeting a quality goal (else the best quality), or the best quality within a budget (else the cheapest).
 */
export function chooseThresholds(
  table: CascadeTable,
  indices: readonly number[],
  goal: CascadeGoal,
): number[] {
  const candidates = table.acceptance.map((numbers) => {
    const sorted = indices.map((index) => numbers[index]!).sort((a, b) => a - b);
    const quantiles = Array.from(
      { length: 19 },
      (_, i) => sorted[Math.floor(((i + 1) / 20) * sorted.length)]!,
    );
    return [...new Set([Number.NEGATIVE_INFINITY, ...quantiles, Number.POSITIVE_INFINITY])];
  });
  let best: { thresholds: number[]; result: CascadeResult } | undefined;
  const better = (a: CascadeResult, b: CascadeResult | undefined): boolean => {
    if (b === undefined) return true;
    const n = BigInt(indices.length);
    if (goal.kind === 'quality') {
      const [aMeets, bMeets] = [a.quality >= goal.atLeast, b.quality >= goal.atLeast];
      if (aMeets !== bMeets) return aMeets;
      return aMeets ? a.cost < b.cost || (a.cost === b.cost && a.quality > b.quality) : a.quality > b.quality;
    }
    const [aFits, bFits] = [a.cost <= goal.perQueryAtMost * n, b.cost <= goal.perQueryAtMost * n];
    if (aFits !== bFits) return aFits;
    return aFits ? a.quality > b.quality || (a.quality === b.quality && a.cost < b.cost) : a.cost < b.cost;
  };
  const walk = (stage: number, chosen: number[]) => {
    if (stage === candidates.length) {
      const result = runCascade(table, chosen, indices);
      if (better(result, best?.result)) best = { thresholds: [...chosen], result };
      return;
    }
    for (const threshold of candidates[stage]!) walk(stage + 1, [...chosen, threshold]);
  };
  walk(0, []);
  return best!.thresholds;
}
