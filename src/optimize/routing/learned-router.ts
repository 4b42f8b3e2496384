import type { Embedder } from '../embedder.js';
import type { OutcomeSet } from '../outcomes/outcome-set.js';
import { createKnnTable, type KnnTable, knnScore } from './knn-scorer.js';
import { type LogisticModel, predictLogistic, trainLogistic } from './logistic-regression.js';
import { textStatistics } from './text-statistics.js';

export const routerKinds = ['knn', 'logistic'] as const;
export type RouterKind = (typeof routerKinds)[number];

/**
 * A router learned from recorded outcomes: from a prompt alone, a number that grows with how much the strong
 * model is expected to beat the weak one on it. Prompts scoring at or above `threshold` go to `strong`.
 * - `knn`: the similarity-weighted mean gain (strong − weak score, over the scale's range) of the k most
 *   similar training prompts, by the embedder's vectors.
 * - `logistic`: the probability that the strong model does strictly better, by logistic regression over the
 *   embedding and a few text statistics (length, digits, arithmetic, code).
 */
export type LearnedRouter = {
  readonly kind: RouterKind;
  /** The embedder the vectors came from: scoring must use the same one (its id is checked). */
  readonly embedder: string;
  readonly strong: string;
  readonly weak: string;
  readonly knn?: KnnTable | undefined;
  readonly logistic?: LogisticModel | undefined;
  /** Prompts whose number is ≥ this go to the strong model (+Infinity: all to the weak one). */
  readonly threshold: number;
  readonly trainedOn: { readonly outcomes: string; readonly queries: number };
};

export type TrainRouterOptions = {
  readonly embedder: Embedder;
  readonly strong: string;
  readonly weak: string;
  readonly kind?: RouterKind | undefined;
  /** Neighbours for `knn` (default: a fifth of the training queries, between 10 and 400). */
  readonly k?: number | undefined;
  readonly seed?: number | undefined;
  readonly signal?: AbortSignal | undefined;
};

/** Per query, strong − weak score as a share of the scale's range: in [−1, 1]. */
export function scoreGains(set: OutcomeSet, strong: string, weak: string): Float64Array {
  const range = set.scale.kind === 'binary' ? 1 : set.scale.max - set.scale.min;
  return Float64Array.from(
    set.queries,
    (query) => (query.outcomes[strong]!.score - query.outcomes[weak]!.score) / range,
  );
}

/** Embeds texts in batches (providers cap the inputs of one call). */
export async function embedAll(
  embedder: Embedder,
  texts: readonly string[],
  signal?: AbortSignal,
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += 256) {
    const { vectors: batch } = await embedder.embed(texts.slice(start, start + 256), signal);
    vectors.push(...batch);
  }
  return vectors;
}

/** Trains on the queries at `indices` of `set`; the threshold starts at +Infinity (see `chooseThreshold`). */
export async function trainRouter(
  set: OutcomeSet,
  indices: readonly number[],
  options: TrainRouterOptions,
): Promise<LearnedRouter> {
  for (const model of [options.strong, options.weak]) {
    if (!set.models.includes(model)) {
      throw new RangeError(`'${model}' is not one of the outcome set's models (${set.models.join(', ')})`);
    }
  }
  if (options.strong === options.weak) throw new RangeError('the strong and weak models must differ');
  if (indices.length < 2) throw new RangeError('at least two training queries are needed');
  const kind = options.kind ?? 'knn';
  const gains = scoreGains(set, options.strong, options.weak);
  const prompts = indices.map((index) => set.queries[index]!.prompt);
  const vectors = await embedAll(options.embedder, prompts, options.signal);
  const targets = indices.map((index) => gains[index]!);
  const common = {
    kind,
    embedder: options.embedder.id,
    strong: options.strong,
    weak: options.weak,
    threshold: Number.POSITIVE_INFINITY,
    trainedOn: { outcomes: set.name, queries: indices.length },
  };
  if (kind === 'knn') {
    const k = options.k ?? Math.min(400, Math.max(10, Math.round(indices.length / 5)));
    return { ...common, knn: createKnnTable(vectors, targets, k) };
  }
  const rows = vectors.map((vector, i) => [...vector, ...textStatistics(prompts[i]!)]);
  const labels = targets.map((gain) => (gain > 0 ? 1 : 0));
  return { ...common, logistic: trainLogistic(rows, labels, { l2: 1e-2, epochs: 30, seed: options.seed }) };
}

/** The router's number for each prompt. */
export async function scorePrompts(
  router: LearnedRouter,
  embedder: Embedder,
  prompts: readonly string[],
  signal?: AbortSignal,
): Promise<Float64Array> {
  if (embedder.id !== router.embedder) {
    throw new RangeError(`the router was trained with embedder '${router.embedder}', not '${embedder.id}'`);
  }
  const vectors = await embedAll(embedder, prompts, signal);
  return Float64Array.from(vectors, (vector, i) =>
    router.knn !== undefined
      ? knnScore(router.knn, vector)
      : predictLogistic(router.logistic!, [...vector, ...textStatistics(prompts[i]!)]),
  );
}
