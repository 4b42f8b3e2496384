import type { EvalConfig } from '../../config/parse-eval-config.js';
import { UsageError } from '../../core/errors.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { runExperimentCommand } from '../evaluation/experiment-command.js';
import { seed000Rows, seed000SystemPrompt } from '../evaluation/seed-000.js';
import { defaultStoreLocation } from '../ledger.js';

const help = `usage: frugal demo [--real] [--store LOC] [--json]

frugal's main job, offline: seed 000's six questions (MLflow's cost-quality tutorial) answered by three
simulated candidates of different price and skill (sim/small, sim/medium, sim/large), scored by the
Correctness and Completeness judges (the simulated judge, sim/judge) and by expected-fact coverage. Prints
the metrics with confidence intervals, a per-question table, token usage and cost from the traces, the
comparison with its Pareto marks, the recommendation, and where the runs are stored.

  --real         run the tutorial's real comparison instead: openai/gpt-4o-mini vs openai/gpt-4o, judged by
                 gpt-4o-mini (needs OPENAI_API_KEY; costs real money, a few cents)
  --store LOC    sqlite:PATH, a file path, or postgres://… (default: the config's store, else
                 ${defaultStoreLocation})
  --config FILE  config file (default ./frugal.yaml if present)
  --detail       also each answer, every score's rationale and the verdict per expected fact
  --json         the runs, comparison and rows as JSON (exact decimal pico-dollar strings)`;

const options = {
  real: { type: 'boolean' },
  store: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  detail: { type: 'boolean' },
} as const;

/** The demo's eval config, built in: the same thing `frugal eval` would read from YAML. */
export function demoConfig(real: boolean): EvalConfig {
  const candidates = real
    ? [
        ['gpt-4o-mini', 'openai/gpt-4o-mini'],
        ['gpt-4o', 'openai/gpt-4o'],
      ]
    : [
        ['small', 'sim/small'],
        ['medium', 'sim/medium'],
        ['large', 'sim/large'],
      ];
  return {
    file: real ? 'frugal demo --real' : 'frugal demo',
    experiment: real ? 'demo-real' : 'demo',
    dataset: 'seed 000',
    candidates: candidates.map(([name, model]) => ({
      name: name as string,
      model: model as string,
      systemPrompt: seed000SystemPrompt,
      parameters: {},
      stream: false,
    })),
    judge: { model: real ? 'openai/gpt-4o-mini' : 'sim/judge' },
    scorers: [
      { type: 'correctness', path: 'scorers[0]' },
      { type: 'completeness', path: 'scorers[1]' },
      { type: 'fact_coverage', path: 'scorers[2]' },
    ],
    repeats: 1,
    concurrency: 4,
    rateLimits: {},
    providers: {},
    primary: 'correctness',
    qualityBar: 0.8,
    monthlyVolume: 100_000,
    cache: false,
    seed: 1,
  };
}

/** `frugal demo`: the main job, offline, in one command. */
export const demoCommand: Command = {
  name: 'demo',
  summary: "compare three simulated models on seed 000's questions, offline",
  help,
  async run(args, io) {
    const { values } = parseCommandArgs('demo', args, options, { maxPositionals: 0 });
    const real = values.real === true;
    if (real && !io.env['OPENAI_API_KEY']) {
      throw new UsageError(
        'frugal demo --real: set OPENAI_API_KEY (it runs gpt-4o-mini and gpt-4o for real, a few cents)',
      );
    }
    return runExperimentCommand(io, {
      command: 'demo',
      config: demoConfig(real),
      rows: seed000Rows,
      datasetName: 'seed 000 (6 questions)',
      title: real
        ? "frugal demo --real: seed 000's six questions, gpt-4o-mini vs gpt-4o, judged by gpt-4o-mini"
        : "frugal demo: seed 000's six questions through three simulated candidates, judged offline",
      flags: values,
      json: values.json === true,
      detail: values.detail === true,
      cache: false,
    });
  },
};
