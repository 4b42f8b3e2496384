import type { PriceBook } from '../../core/prices/price-book.js';
import type { Embedder } from '../embedder.js';
import type { OutcomeSet } from '../outcomes/outcome-set.js';
import { heldOutSplit, outcomeCosts } from '../routing/evaluate-router.js';
import { createKnnTable, type KnnTable, knnScore } from '../routing/knn-scorer.js';
import { embedAll } from '../routing/learned-router.js';
import {
  type CascadeGoal,
  type CascadeResult,
  type CascadeTable,
  chooseThresholds,
  runCascade,
} from './cascade-outcomes.js';
import { acceptanceText, type TrainedCascade } from './trained-cascade.js';

export type CascadeEvaluation = {
  /** The models in the order tried (cheapest first, unless given). */
  readonly stages: readonly string[];
  readonly thresholds: readonly number[];
  readonly goal: CascadeGoal;
  readonly split: {
    readonly train: number;
    readonly validation: number;
    readonly test: number;
    readonly seed: number;
  };
  /** The cascade on the test queries. */
  readonly cascade: CascadeResult;
  /** Each model alone on the test queries (in stage order). */
  readonly singles: readonly (CascadeResult & { readonly model: string })[];
  /** The single model with the best test quality (the cheaper on ties): what the cascade is measured against. */
  readonly best: string;
  /** True when the acceptance models saw each stage's answer (recorded responses), not just the prompt. */
  readonly seesAnswers: boolean;
  /** The acceptance tables (built on the training split) with the chosen thresholds: what `frugal cascade train` saves. */
  readonly trained: TrainedCascade;
};

export type EvaluateCascadeOptions = {
  readonly embedder: Embedder;
  /** The models to cascade through, in order; default: every model of the set, cheapest first. */
  readonly models?: readonly string[] | undefined;
  /** Default: match the best single model's quality on the validation queries. */
  readonly goal?: CascadeGoal | undefined;
  readonly seed?: number | undefined;
  readonly book?: PriceBook | undefined;
  readonly signal?: AbortSignal | undefined;
};

/**
 * FrugalGPT on recorded outcomes. Per stage but the last, a learned acceptance model — k-NN over the embedding
 * of the prompt and that stage's recorded answer (the prompt alone when no answer was recorded) — predicts how
 * good the answer is; trained on the training split, its thresholds chosen on the validation split for the
 * goal, everything reported on the test split beside each model alone. Costs are exact from token counts.
 */
export async function evaluateCascade(
  set: OutcomeSet,
  options: EvaluateCascadeOptions,
): Promise<CascadeEvaluation> {
  const costs = new Map<string, bigint[]>();
  for (const model of options.models ?? set.models) {
    if (!set.models.includes(model))
      throw new RangeError(`'${model}' is not one of the outcome set's models (${set.models.join(', ')})`);
    const modelCosts = outcomeCosts(set, model, options.book);
    if (modelCosts === undefined) {
      throw new RangeError(
        `'${model}': a cascade needs every query's token counts and a price for the model`,
      );
    }
    costs.set(model, modelCosts);
  }
  const total = (model: string) => costs.get(model)!.reduce((sum, cost) => sum + cost, 0n);
  const stages =
    options.models ??
    [...costs.keys()].sort((a, b) => (total(a) < total(b) ? -1 : total(a) > total(b) ? 1 : 0));
  if (stages.length < 2) throw new RangeError('a cascade needs at least two models');
  const seed = options.seed ?? 42;
  const split = heldOutSplit(set.queries.length, seed);
  const range =
    set.scale.kind === 'binary'
      ? { min: 0, width: 1 }
      : { min: set.scale.min, width: set.scale.max - set.scale.min };
  const seesAnswers = stages
    .slice(0, -1)
    .every((model) => set.queries.every((query) => query.outcomes[model]!.response !== undefined));
  const acceptance: Float64Array[] = [];
  const tables: KnnTable[] = [];
  for (const model of stages.slice(0, -1)) {
    const texts = set.queries.map((query) =>
      acceptanceText(query.prompt, query.outcomes[model]!.response ?? '', seesAnswers),
    );
    const vectors = await embedAll(options.embedder, texts, options.signal);
    const targets = split.train.map(
      (index) => (set.queries[index]!.outcomes[model]!.score - range.min) / range.width,
    );
    const knn = createKnnTable(
      split.train.map((index) => vectors[index]!),
      targets,
      Math.min(400, Math.max(10, Math.round(split.train.length / 5))),
    );
    tables.push(knn);
    const numbers = new Float64Array(set.queries.length);
    for (const index of [...split.validation, ...split.test]) numbers[index] = knnScore(knn, vectors[index]!);
    acceptance.push(numbers);
  }
  const table: CascadeTable = {
    scores: stages.map((model) => set.queries.map((query) => query.outcomes[model]!.score)),
    costs: stages.map((model) => costs.get(model)!),
    acceptance,
  };
  /** One model answering every query: its own cost only (no earlier stage is paid). */
  const alone = (stage: number, indices: readonly number[]): CascadeResult => {
    let quality = 0;
    let cost = 0n;
    for (const index of indices) {
      quality += table.scores[stage]![index]!;
      cost += table.costs[stage]![index]!;
    }
    const answeredAt = stages.map((_, i) => (i === stage ? 1 : 0));
    return { queries: indices.length, quality: quality / indices.length, cost, answeredAt };
  };
  const bestOn = (indices: readonly number[]) =>
    Math.max(...stages.map((_, stage) => alone(stage, indices).quality));
  const goal: CascadeGoal = options.goal ?? { kind: 'quality', atLeast: bestOn(split.validation) };
  const thresholds = chooseThresholds(table, split.validation, goal);
  const singles = stages.map((model, stage) => ({ model, ...alone(stage, split.test) }));
  const best = singles.reduce((a, b) =>
    b.quality > a.quality || (b.quality === a.quality && b.cost < a.cost) ? b : a,
  );
  return {
    stages,
    thresholds,
    goal,
    split: { train: split.train.length, validation: split.validation.length, test: split.test.length, seed },
    cascade: runCascade(table, thresholds, split.test),
    singles,
    best: best.model,
    seesAnswers,
    trained: {
      embedder: options.embedder.id,
      stages,
      thresholds,
      acceptance: tables,
      seesAnswers,
      goal,
      trainedOn: { outcomes: set.name, queries: split.train.length },
    },
  };
}
