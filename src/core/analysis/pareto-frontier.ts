/** Whether smaller or larger values of an objective are better. */
export const objectiveDirections = ['minimize', 'maximize'] as const;
export type ObjectiveDirection = (typeof objectiveDirections)[number];

/**
 * True when `a` dominates `b`: at least as good on every objective and strictly better on at least one.
 * Identical points do not dominate each other.
 */
export function dominates(
  a: readonly number[],
  b: readonly number[],
  directions: readonly ObjectiveDirection[],
): boolean {
  let strictlyBetter = false;
  for (let index = 0; index < directions.length; index++) {
    const sign = directions[index] === 'maximize' ? -1 : 1;
    const x = sign * a[index]!;
    const y = sign * b[index]!;
    if (x > y) return false;
    if (x < y) strictlyBetter = true;
  }
  return strictlyBetter;
}

/**
 * Marks the Pareto-optimal points: `result[i]` is true when no other point dominates `points[i]`. Exact
 * ties are all kept. Each point has one value per objective, in the order of `directions`. Two objectives
 * take O(n log n) (a sort and a sweep); more take O(n² · d) pairwise checks.
 */
export function paretoFrontier(
  points: readonly (readonly number[])[],
  directions: readonly ObjectiveDirection[],
): boolean[] {
  if (directions.length === 0) throw new RangeError('a Pareto frontier needs at least one objective');
  for (const direction of directions) {
    if (!objectiveDirections.includes(direction)) {
      throw new RangeError(`unknown objective direction '${direction}'; expected minimize or maximize`);
    }
  }
  points.forEach((point, index) => {
    if (point.length !== directions.length) {
      throw new RangeError(`point ${index} has ${point.length} values for ${directions.length} objectives`);
    }
    const bad = point.findIndex((value) => Number.isNaN(value));
    if (bad >= 0) throw new RangeError(`point ${index} has no value (NaN) for objective ${bad}`);
  });
  if (directions.length === 2) return frontierOfTwo(points, directions);
  return points.map((point) => !points.some((other) => dominates(other, point, directions)));
}

/** Sort by the first objective, then sweep keeping the best second value seen among strictly better firsts. */
function frontierOfTwo(
  points: readonly (readonly number[])[],
  directions: readonly ObjectiveDirection[],
): boolean[] {
  const signs = directions.map((direction) => (direction === 'maximize' ? -1 : 1));
  const first = (index: number) => signs[0]! * points[index]![0]!;
  const second = (index: number) => signs[1]! * points[index]![1]!;
  const compare = (x: number, y: number) => (x < y ? -1 : x > y ? 1 : 0);
  const order = points
    .map((_, index) => index)
    .sort((a, b) => compare(first(a), first(b)) || compare(second(a), second(b)));
  const optimal = new Array<boolean>(points.length).fill(false);
  let bestBefore: number | undefined;
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end < order.length && first(order[end]!) === first(order[start]!)) end++;
    const groupBest = second(order[start]!);
    for (let position = start; position < end && second(order[position]!) === groupBest; position++) {
      optimal[order[position]!] = bestBefore === undefined || groupBest < bestBefore;
    }
    bestBefore = bestBefore === undefined ? groupBest : Math.min(bestBefore, groupBest);
    start = end;
  }
  return optimal;
}
