/** How well a similarity score separates duplicates from non-duplicates, threshold-free and at its best. */
export type SeparationQuality = {
  /** Probability that a random duplicate pair scores above a random non-duplicate (ties count half). */
  readonly rocAuc: number;
  /** The threshold with the best F1 for "duplicate", and its F1, precision and recall. */
  readonly bestF1: {
    readonly threshold: number;
    readonly f1: number;
    readonly precision: number;
    readonly recall: number;
  };
};

/** ROC AUC by the rank-sum (Mann-Whitney U) with tied scores sharing their ranks; best F1 over every score. */
export function separationQuality(
  scores: readonly number[],
  positives: readonly boolean[],
): SeparationQuality {
  const order = scores.map((_, index) => index).sort((a, b) => scores[a]! - scores[b]!);
  const positiveCount = positives.filter(Boolean).length;
  const negativeCount = scores.length - positiveCount;
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) end++;
    const rank = (start + end + 1) / 2;
    for (let at = start; at < end; at++) if (positives[order[at]!]) rankSum += rank;
    start = end;
  }
  const rocAuc = (rankSum - (positiveCount * (positiveCount + 1)) / 2) / (positiveCount * negativeCount);
  // Walking from the highest score down, every distinct score is a threshold: pairs at or above it are "duplicate".
  let best = { threshold: Number.POSITIVE_INFINITY, f1: 0, precision: 0, recall: 0 };
  let truePositives = 0;
  let predicted = 0;
  for (let at = order.length - 1; at >= 0; at--) {
    const index = order[at]!;
    predicted += 1;
    if (positives[index]) truePositives += 1;
    if (at > 0 && scores[order[at - 1]!] === scores[index]) continue;
    const f1 = (2 * truePositives) / (predicted + positiveCount);
    if (f1 > best.f1) {
      best = {
        threshold: scores[index]!,
        f1,
        precision: truePositives / predicted,
        recall: truePositives / positiveCount,
      };
    }
  }
  return { rocAuc, bestF1: best };
}
