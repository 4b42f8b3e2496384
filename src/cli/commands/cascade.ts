import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { perQueryDollarsText } from '../../core/analysis/dollars-text.js';
import { UsageError } from '../../core/errors.js';
import { divideRoundHalfEven, parseUsd } from '../../core/money.js';
import { loadTokenCounter } from '../../core/tokens/token-counter.js';
import type { CascadeGoal } from '../../optimize/cascade/cascade-outcomes.js';
import { type CascadeEvaluation, evaluateCascade } from '../../optimize/cascade/evaluate-cascade.js';
import { frugalGptReference } from '../../optimize/cascade/frugalgpt-reference.js';
import { writeCascade } from '../../optimize/cascade/trained-cascade.js';
import { loadOutcomes, outcomeFileKind } from '../../optimize/outcomes/load-outcomes.js';
import { createLocalHashEmbedder } from '../../optimize/semantic-cache/local-hash-embedder.js';
import { choiceOption, integerOption, numberOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { renderTable } from '../table.js';

const help = `usage: frugal cascade train    --outcomes FILE --output cascade.json [options]
       frugal cascade evaluate --outcomes FILE [options]

FrugalGPT on recorded outcomes: the models are tried cheapest first (or in --models order); each answer
is kept when a learned acceptance model (k-NN over the prompt and that model's recorded answer, or the
prompt alone when no answer was recorded) clears the stage's threshold, else the next model is asked.
Thresholds are chosen on a validation split; the cascade and each model alone are reported on the test
split (seeded 70/10/20), with exact costs from the token counts and the price catalog.

  train      the same, and save the cascade (--output): serve it live as an eval candidate
             (cascade: { file, models }) or a gateway policy (gateway.policies[].cascade), where each
             stage is a real call with its own span and exact cost
  evaluate   measure without saving

options:
  --models A,B,...    the stages, in order (default: every model of the file, cheapest first)
  --target-quality X  the cheapest thresholds reaching this mean score on validation
  --budget USD        the best quality within this cost per query on validation
                      (default: match the best single model's validation quality)
  --seed N            the split's seed (default 42)
  --reference FILE    also print FrugalGPT's published picture (best single model vs its cascade),
                      e.g. ../shared/data/frugalgpt/frugalgpt_2024_models_and_cascade_summary.csv
  --json              one JSON object`;

const options = {
  outcomes: { type: 'string' },
  output: { type: 'string' },
  models: { type: 'string' },
  'target-quality': { type: 'string' },
  budget: { type: 'string' },
  seed: { type: 'string' },
  reference: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `frugal cascade`: a FrugalGPT cascade measured on recorded outcomes. */
export const cascadeCommand: Command = {
  name: 'cascade',
  summary:
    'train and measure a FrugalGPT cascade (cheapest model first, learned acceptance) on recorded outcomes',
  help,
  async run(args, io) {
    const [action, ...rest] = args;
    const verb = choiceOption('cascade', 'action', action ?? '', ['train', 'evaluate'] as const);
    const { values } = parseCommandArgs(`cascade ${verb}`, rest, options, { maxPositionals: 0 });
    if (values.outcomes === undefined)
      throw new UsageError(`frugal cascade ${verb}: --outcomes FILE is required`);
    if (verb === 'train' && values.output === undefined)
      throw new UsageError('frugal cascade train: --output cascade.json is required');
    if (values['target-quality'] !== undefined && values.budget !== undefined) {
      throw new UsageError('frugal cascade: give --target-quality or --budget, not both');
    }
    const goal: CascadeGoal | undefined =
      values['target-quality'] !== undefined
        ? {
            kind: 'quality',
            atLeast: numberOption('cascade', 'target-quality', values['target-quality'], -1e9),
          }
        : values.budget !== undefined
          ? { kind: 'budget', perQueryAtMost: budgetOption(values.budget) }
          : undefined;
    const seed = values.seed === undefined ? undefined : integerOption('cascade', 'seed', values.seed, 0);
    const text = await io.readText(values.outcomes);
    const counter = ['routellm', 'alpacaeval'].includes(outcomeFileKind(text, values.outcomes))
      ? await loadTokenCounter(undefined)
      : undefined;
    const set = loadOutcomes(
      text,
      values.outcomes,
      counter && ((_model, input) => counter.count(input).tokens),
    );
    const models = values.models?.split(',').map((model) => model.trim());
    let evaluation: CascadeEvaluation;
    try {
      evaluation = await evaluateCascade(set, {
        embedder: createLocalHashEmbedder({ dimensions: 384 }),
        models,
        goal,
        seed,
      });
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(`frugal cascade ${verb}: ${error.message}`);
      throw error;
    }
    if (values.output !== undefined)
      writeFileSync(resolve(io.cwd, values.output), writeCascade(evaluation.trained));
    const reference =
      values.reference === undefined
        ? undefined
        : frugalGptReference(await io.readText(values.reference), values.reference);
    if (values.json) {
      const { trained: _trained, ...measured } = evaluation;
      io.stdout(
        `${JSON.stringify({ outcomes: set.name, ...measured, reference }, (_key, value) => (typeof value === 'bigint' ? String(value) : value), 2)}\n`,
      );
      return 0;
    }
    io.stdout(`${present(set.name, evaluation)}\n`);
    if (reference !== undefined) io.stdout(`\n${presentReference(reference)}\n`);
    if (values.output !== undefined) io.stdout(`cascade saved to ${values.output}\n`);
    return 0;
  },
};

function budgetOption(value: string): bigint {
  try {
    const amount = parseUsd(value);
    if (amount > 0n) return amount;
  } catch {
    // reported below
  }
  throw new UsageError(`frugal cascade: --budget must be dollars per query > 0, got '${value}'`);
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const perQuery = (cost: bigint, queries: number) =>
  perQueryDollarsText(divideRoundHalfEven(cost, BigInt(queries)));

function present(name: string, evaluation: CascadeEvaluation): string {
  const { cascade, singles, split } = evaluation;
  const best = singles.find((single) => single.model === evaluation.best)!;
  const rows = [
    ...singles.map((single) => [
      single.model,
      single.quality.toFixed(3),
      perQuery(single.cost, single.queries),
      '',
    ]),
    [
      `cascade (${evaluation.stages.length} stages)`,
      cascade.quality.toFixed(3),
      perQuery(cascade.cost, cascade.queries),
      cascade.answeredAt.map(percent).join(' / '),
    ],
  ];
  const goal =
    evaluation.goal.kind === 'quality'
      ? `quality ≥ ${evaluation.goal.atLeast.toFixed(3)} on validation`
      : `cost ≤ ${perQueryDollarsText(evaluation.goal.perQueryAtMost)} per query on validation`;
  const saving = 1 - Number(cascade.cost) / Number(best.cost);
  return [
    `${name}: test ${split.test.toLocaleString('en-US')} queries (train ${split.train.toLocaleString('en-US')}, validation ${split.validation}, seed ${split.seed})`,
    `stages: ${evaluation.stages.join(' → ')}; acceptance: k-NN over the ${evaluation.seesAnswers ? 'prompt and the answer' : 'prompt alone (no answers recorded)'}`,
    `thresholds ${evaluation.thresholds.map((threshold) => threshold.toFixed(4)).join(', ')} chosen for ${goal}`,
    '',
    renderTable(['model', 'quality', 'cost/query', 'answered at each stage'], rows),
    '',
    `against the best single model (${best.model}): quality ${cascade.quality >= best.quality ? '+' : ''}${(cascade.quality - best.quality).toFixed(3)}, ` +
      `cost ${saving >= 0 ? `${percent(saving)} less` : `${percent(-saving)} more`}`,
  ].join('\n');
}

function presentReference(points: ReturnType<typeof frugalGptReference>): string {
  const rows = points.map((point) => [
    point.dataset,
    `${point.bestModel} ${point.bestAccuracy.toFixed(4)}`,
    `$${point.bestCostPerQuery.toPrecision(3)}`,
    point.cascade === undefined
      ? '—'
      : `${point.cascade.accuracy.toFixed(4)} at $${point.cascade.costPerQuery.toPrecision(3)}`,
    point.cascade === undefined ? 'none' : percent(point.cascade.saving),
  ]);
  return [
    'FrugalGPT (published, 2024 models): the best single model vs the cheapest cascade point matching it',
    renderTable(['dataset', 'best single (accuracy)', 'its cost', 'cascade matching it', 'saving'], rows),
  ].join('\n');
}
