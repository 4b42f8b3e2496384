import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { perQueryDollarsText } from '../../core/analysis/dollars-text.js';
import { UsageError } from '../../core/errors.js';
import { divideRoundHalfEven } from '../../core/money.js';
import { loadTokenCounter, type TokenCounter } from '../../core/tokens/token-counter.js';
import { routeLlmStrong, routeLlmWeak } from '../../optimize/outcomes/import-routellm.js';
import { loadOutcomes, outcomeFileKind } from '../../optimize/outcomes/load-outcomes.js';
import { meanScore, type OutcomeSet } from '../../optimize/outcomes/outcome-set.js';
import { outcomesFromRuns } from '../../optimize/outcomes/outcomes-from-runs.js';
import { writeOutcomes } from '../../optimize/outcomes/write-outcomes.js';
import {
  evaluateRouter,
  outcomeCosts,
  type RouterEvaluation,
} from '../../optimize/routing/evaluate-router.js';
import { routerKinds, scorePrompts } from '../../optimize/routing/learned-router.js';
import { type RouteCurve, type RoutePoint, routeCurve } from '../../optimize/routing/route-curve.js';
import { readRouter, writeRouter } from '../../optimize/routing/router-file.js';
import { createLocalHashEmbedder } from '../../optimize/semantic-cache/local-hash-embedder.js';
import { choiceOption, integerOption, numberOption, parseCommandArgs } from '../args.js';
import type { Command, CommandIo } from '../command.js';
import { runsNamed } from '../evaluation/runs-named.js';
import { ledgerLocation, openLedger } from '../ledger.js';
import { renderTable } from '../table.js';

const help = `usage: frugal route train    --outcomes FILE --output router.json [options]
       frugal route evaluate --outcomes FILE [options]
       frugal route simulate --outcomes FILE --router router.json [--threshold T] [--curve FILE] [--json]
       frugal route export   --experiment NAME --output FILE [--scorer S] [--store LOC]

Learns, from recorded outcomes, which prompts the cheap model handles as well as the strong one, and
measures it the way RouteLLM does (PGR, CPT(50%), CPT(80%), APGR) on held-out queries, beside 200
random routers and the oracle.

  train      train on the training split, pick the threshold on the validation split, print the
             held-out figures and save the router (--output)
  evaluate   the same, without saving
  simulate   run a saved router over outcomes: the whole curve, and the point at its threshold
  export     write an experiment's latest run per candidate (frugal eval) as an outcomes file: per row,
             each candidate's --scorer verdict (default: the first scorer), tokens and answer

outcomes (--outcomes FILE, JSONL): frugal's outcomes format, or the files in ../shared/data as they
are: RouteLLM's MMLU / GSM8K correctness, its MT-Bench judge scores, AlpacaEval's preferences.

options:
  --strong MODEL, --weak MODEL   the pair (default: the first two models of the file)
  --kind knn|logistic            the learner (default knn)
  --k N                          neighbours for knn (default: a fifth of the training queries, ≤ 400)
  --dimensions N                 of the built-in local embedder (default 384)
  --seed N                       the split's seed (default 42); --test-share S (default 0.2)
  --target-pgr X                 the gap the threshold must recover on validation (default 0.8)
  --threshold T                  simulate: route at this threshold instead of the router's
  --curve FILE                   write the curve as plot-ready JSON
  --json                         print one JSON object instead of tables

The embedder is frugal's local one (local/hash-v1-N): lexical feature hashing, no download, no cost.
Costs are shown when the outcomes have token counts (RouteLLM prompts are counted with each model's
tokenizer) and both models are in the price catalog.`;

const options = {
  outcomes: { type: 'string' },
  output: { type: 'string' },
  router: { type: 'string' },
  strong: { type: 'string' },
  weak: { type: 'string' },
  kind: { type: 'string' },
  k: { type: 'string' },
  dimensions: { type: 'string' },
  seed: { type: 'string' },
  'test-share': { type: 'string' },
  'target-pgr': { type: 'string' },
  threshold: { type: 'string' },
  curve: { type: 'string' },
  json: { type: 'boolean' },
  experiment: { type: 'string' },
  scorer: { type: 'string' },
  store: { type: 'string' },
  config: { type: 'string' },
} as const;

/** `frugal route`: train, evaluate and simulate routers learned from recorded outcomes. */
export const routeCommand: Command = {
  name: 'route',
  summary: 'train, evaluate and simulate a router learned from recorded outcomes (RouteLLM metrics)',
  help,
  async run(args, io) {
    const [action, ...rest] = args;
    const verb = choiceOption('route', 'action', action ?? '', [
      'train',
      'evaluate',
      'simulate',
      'export',
    ] as const);
    const { values } = parseCommandArgs(`route ${verb}`, rest, options, { maxPositionals: 0 });
    if (verb === 'export') return exportRuns(values, io);
    if (values.outcomes === undefined)
      throw new UsageError(`frugal route ${verb}: --outcomes FILE is required`);
    const kind =
      values.kind === undefined ? undefined : choiceOption('route', 'kind', values.kind, routerKinds);
    const testShare =
      values['test-share'] === undefined ? undefined : share('test-share', values['test-share']);
    const text = await io.readText(values.outcomes);
    const counted = ['routellm', 'alpacaeval'].includes(outcomeFileKind(text, values.outcomes));
    const set = loadOutcomes(text, values.outcomes, counted ? await tokenCounting() : undefined);
    const dimensions = integerOption('route', 'dimensions', values.dimensions ?? '384', 8);
    const embedder = createLocalHashEmbedder({ dimensions });
    if (verb === 'simulate') return simulate(set, values, io, embedder);
    if (verb === 'train' && values.output === undefined) {
      throw new UsageError('frugal route train: --output router.json is required');
    }
    const [strong, weak] = pair(set, values.strong, values.weak);
    const evaluation = await evaluateRouter(set, {
      embedder,
      strong,
      weak,
      kind,
      k: values.k === undefined ? undefined : integerOption('route', 'k', values.k, 1),
      seed: values.seed === undefined ? undefined : integerOption('route', 'seed', values.seed, 0),
      testShare,
      targetPgr:
        values['target-pgr'] === undefined
          ? undefined
          : numberOption('route', 'target-pgr', values['target-pgr']),
    });
    if (values.output !== undefined)
      writeFileSync(resolve(io.cwd, values.output), writeRouter(evaluation.router));
    if (values.curve !== undefined) writeCurve(io, values.curve, set, evaluation.learned, evaluation);
    if (values.json) io.stdout(`${JSON.stringify(evaluationJson(set, evaluation), null, 2)}\n`);
    else io.stdout(`${evaluationText(set, evaluation, embedder.id)}\n`);
    if (values.output !== undefined && !values.json) io.stdout(`router saved to ${values.output}\n`);
    return 0;
  },
};

function share(flag: string, value: string): number {
  const parsed = numberOption('route', flag, value);
  if (!(parsed > 0 && parsed < 1))
    throw new UsageError(`frugal route: --${flag} must be between 0 and 1, got '${value}'`);
  return parsed;
}

function pair(set: OutcomeSet, strong: string | undefined, weak: string | undefined): [string, string] {
  const chosen: [string, string] = [strong ?? set.models[0]!, weak ?? set.models[1]!];
  for (const model of chosen) {
    if (!set.models.includes(model)) {
      throw new UsageError(
        `frugal route: '${model}' is not in the outcomes (models: ${set.models.join(', ')})`,
      );
    }
  }
  return chosen;
}

/**
 * Counts tokens with each model's own tokenizer where frugal knows the model of an importer (RouteLLM's pair),
 * else with o200k_base; imported counts are marked estimated either way.
 */
async function tokenCounting(): Promise<(model: string, text: string) => number> {
  const fallback = await loadTokenCounter(undefined);
  const counters = new Map<string, TokenCounter>();
  for (const model of [routeLlmStrong, routeLlmWeak]) counters.set(model, await loadTokenCounter(model));
  return (model, text) => (counters.get(model) ?? fallback).count(text).tokens;
}

const percent = (value: number | undefined) => (value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);
const fixed = (value: number, digits = 3) => value.toFixed(digits);

function perQuery(point: RoutePoint, queries: number): string {
  return point.cost === undefined
    ? '—'
    : perQueryDollarsText(divideRoundHalfEven(point.cost, BigInt(queries)));
}

function evaluationText(set: OutcomeSet, evaluation: RouterEvaluation, embedder: string): string {
  const { router, split, learned, randomRouters, oracle } = evaluation;
  const rows = [
    [
      `learned ${router.kind}`,
      `${fixed(learned.apgr)} (${fixed(evaluation.apgrInterval[0])}–${fixed(evaluation.apgrInterval[1])})`,
      percent(learned.cpt50),
      percent(learned.cpt80),
    ],
    [
      'random (200 routers)',
      `${fixed(randomRouters.apgr)} (${fixed(randomRouters.apgrRange[0])}–${fixed(randomRouters.apgrRange[1])})`,
      percent(randomRouters.cpt50),
      percent(randomRouters.cpt80),
    ],
    ['oracle', fixed(oracle.apgr), percent(oracle.cpt50), percent(oracle.cpt80)],
  ];
  const point = evaluation.operatingPoint;
  const at = learned.points.find((candidate) => candidate.strongShare === point.strongShare)!;
  const allStrong = learned.points.at(-1)!;
  const lines = [
    `${set.name}: ${set.queries.length.toLocaleString('en-US')} queries — train ${split.train.toLocaleString('en-US')}, ` +
      `validation ${split.validation.toLocaleString('en-US')}, test ${split.test.toLocaleString('en-US')} (seed ${split.seed})`,
    `strong ${router.strong} (${fixed(learned.strongScore)} on test), weak ${router.weak} (${fixed(learned.weakScore)})`,
    `router: ${router.kind}${router.knn ? ` (k=${router.knn.k})` : ''} over ${embedder} (lexical, built in)`,
    '',
    renderTable(['router', 'APGR (95% interval)', 'CPT(50%)', 'CPT(80%)'], rows),
    '',
    `threshold ${fixed(point.threshold, 4)} (chosen on validation for PGR ≥ ${point.target}): on test ` +
      `${percent(point.strongShare)} strong calls, score ${fixed(point.score)}, PGR ${fixed(point.pgr, 2)}`,
  ];
  if (at.cost !== undefined && allStrong.cost !== undefined) {
    const saved = 1 - Number(at.cost) / Number(allStrong.cost);
    lines.push(
      `cost per query: ${perQuery(at, learned.queries)} routed vs ${perQuery(allStrong, learned.queries)} all strong ` +
        `(${percent(saved)} less), ${perQuery(learned.points[0]!, learned.queries)} all weak`,
    );
  }
  return lines.join('\n');
}

function curveJson(curve: RouteCurve) {
  return curve.points.map((point) => ({
    threshold: Number.isFinite(point.threshold) ? point.threshold : null,
    strong_share: point.strongShare,
    score: point.score,
    pgr: point.pgr,
    ...(point.cost === undefined ? {} : { cost_per_query_usd: perQuery(point, curve.queries).slice(1) }),
  }));
}

function evaluationJson(set: OutcomeSet, evaluation: RouterEvaluation) {
  const metrics = (curve: { apgr: number; cpt50: number | undefined; cpt80: number | undefined }) => ({
    apgr: curve.apgr,
    cpt50: curve.cpt50 ?? null,
    cpt80: curve.cpt80 ?? null,
  });
  return {
    outcomes: set.name,
    split: evaluation.split,
    router: {
      kind: evaluation.router.kind,
      embedder: evaluation.router.embedder,
      k: evaluation.router.knn?.k,
    },
    strong: { model: evaluation.router.strong, score: evaluation.learned.strongScore },
    weak: { model: evaluation.router.weak, score: evaluation.learned.weakScore },
    learned: { ...metrics(evaluation.learned), apgr_interval: evaluation.apgrInterval },
    random: {
      ...metrics(evaluation.randomRouters),
      apgr_range: evaluation.randomRouters.apgrRange,
      routers: 200,
    },
    oracle: metrics(evaluation.oracle),
    operating_point: evaluation.operatingPoint,
  };
}

function writeCurve(
  io: CommandIo,
  path: string,
  set: OutcomeSet,
  curve: RouteCurve,
  evaluation?: RouterEvaluation,
) {
  const document = {
    outcomes: set.name,
    x: 'strong_share',
    y: ['score', 'pgr', 'cost_per_query_usd'],
    learned: curveJson(curve),
    ...(evaluation ? { random: curveJson(evaluation.random), oracle: curveJson(evaluation.oracle) } : {}),
  };
  writeFileSync(resolve(io.cwd, path), `${JSON.stringify(document, null, 2)}\n`);
}

async function simulate(
  set: OutcomeSet,
  values: { router?: string; threshold?: string; curve?: string; json?: boolean },
  io: CommandIo,
  embedder: ReturnType<typeof createLocalHashEmbedder>,
): Promise<number> {
  if (values.router === undefined)
    throw new UsageError('frugal route simulate: --router router.json is required');
  const router = readRouter(await io.readText(values.router), values.router);
  const [strong, weak] = pair(set, router.strong, router.weak);
  const routerEmbedder =
    router.embedder === embedder.id
      ? embedder
      : createLocalHashEmbedder({ dimensions: Number(/-(\d+)$/.exec(router.embedder)?.[1] ?? Number.NaN) });
  const scores = await scorePrompts(
    router,
    routerEmbedder,
    set.queries.map((query) => query.prompt),
  );
  const strongCost = outcomeCosts(set, strong);
  const weakCost = outcomeCosts(set, weak);
  const curve = routeCurve({
    routerScores: scores,
    strong: set.queries.map((query) => query.outcomes[strong]!.score),
    weak: set.queries.map((query) => query.outcomes[weak]!.score),
    ...(strongCost && weakCost ? { strongCost, weakCost } : {}),
  });
  const threshold =
    values.threshold === undefined
      ? router.threshold
      : numberOption('route', 'threshold', values.threshold, -1e9);
  const point = curve.points.findLast((candidate) => candidate.threshold >= threshold) ?? curve.points[0]!;
  if (values.curve !== undefined) writeCurve(io, values.curve, set, curve);
  const summary = {
    outcomes: set.name,
    queries: curve.queries,
    threshold,
    strong_share: point.strongShare,
    score: point.score,
    pgr: point.pgr,
    strong_score: meanScore(set, strong),
    weak_score: meanScore(set, weak),
    apgr: curve.apgr,
    cpt50: curve.cpt50 ?? null,
    cpt80: curve.cpt80 ?? null,
    ...(point.cost === undefined ? {} : { cost_per_query_usd: perQuery(point, curve.queries).slice(1) }),
  };
  if (values.json) {
    io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  io.stdout(
    `${[
      `${set.name}: ${curve.queries.toLocaleString('en-US')} queries through the router (${router.kind}, trained on ` +
        `${router.trainedOn.queries.toLocaleString('en-US')} queries of ${router.trainedOn.outcomes})`,
      `at threshold ${fixed(threshold, 4)}: ${percent(point.strongShare)} to ${strong}, score ${fixed(point.score)} ` +
        `(strong alone ${fixed(summary.strong_score)}, weak alone ${fixed(summary.weak_score)}), PGR ${fixed(point.pgr, 2)}` +
        (point.cost === undefined ? '' : `, ${perQuery(point, curve.queries)} per query`),
      `whole curve: APGR ${fixed(curve.apgr)}, CPT(50%) ${percent(curve.cpt50)}, CPT(80%) ${percent(curve.cpt80)}`,
    ].join('\n')}\n`,
  );
  return 0;
}

async function exportRuns(
  values: { experiment?: string; output?: string; scorer?: string; store?: string; config?: string },
  io: CommandIo,
): Promise<number> {
  if (values.experiment === undefined)
    throw new UsageError('frugal route export: --experiment NAME is required');
  if (values.output === undefined) throw new UsageError('frugal route export: --output FILE is required');
  const store = await openLedger(io, 'route', await ledgerLocation(io, values), true);
  if (store === undefined) return 1;
  try {
    // The latest run of each candidate, in the order of the experiment's config (as frugal compare shows them).
    const runs = await runsNamed(store, [values.experiment], 'route export');
    if (runs.length < 2) {
      throw new UsageError(
        `frugal route export: experiment '${values.experiment}' has ${runs.length} candidate run(s); outcomes need two or more (see 'frugal runs')`,
      );
    }
    const { set, dropped, scorer } = outcomesFromRuns(values.experiment, runs, values.scorer);
    if (set.queries.length === 0)
      throw new UsageError(`frugal route export: no row was scored by '${scorer}' in every run`);
    writeFileSync(resolve(io.cwd, values.output), writeOutcomes(set));
    io.stdout(
      `${set.queries.length} queries × ${set.models.length} models (${set.models.join(', ')}), scorer ${scorer}` +
        `${dropped > 0 ? `, ${dropped} rows left out (failed or unscored in some run)` : ''} → ${values.output}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
