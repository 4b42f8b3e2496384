import { UsageError } from '../../core/errors.js';
import { compareRuns } from '../../eval/compare/compare-runs.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { checkPrimary, comparisonFlags } from '../evaluation/comparison-flags.js';
import { comparisonCsv, comparisonJson, presentExperiment } from '../evaluation/present-experiment.js';
import { runsNamed } from '../evaluation/runs-named.js';
import { defaultStoreLocation, ledgerLocation, openLedger } from '../ledger.js';

const help = `usage: frugal compare <experiment | run id...> [--primary SCORER] [--bar X] [--volume N] [--store LOC] [--json | --csv]

Compares stored evaluation runs: an experiment's latest run of each candidate, or the runs named. Prints
each scorer's mean with its 95% CI, per-question verdicts, tokens and cost, cost per quality point, the
Pareto marks and the recommendation: the cheapest candidate not significantly worse than the best
(exact McNemar or paired bootstrap on the same rows) and the cheapest meeting --bar.

  --primary SCORER  the scorer that ranks candidates (default: the first)
  --bar X           quality bar on the primary scorer, 0 to 1
  --volume N        calls per month for the projected monthly cost
  --store LOC       sqlite:PATH, a file path, or postgres://… (default: the config's store, else
                    ${defaultStoreLocation})
  --config FILE     config file (default ./frugal.yaml if present)
  --detail          also each answer, every score's rationale and the verdict per expected fact
  --json            the comparison as JSON (exact decimal pico-dollar strings)
  --csv             the comparison as CSV, one line per candidate (exact decimal dollars)`;

const options = {
  primary: { type: 'string' },
  bar: { type: 'string' },
  volume: { type: 'string' },
  store: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  detail: { type: 'boolean' },
  csv: { type: 'boolean' },
} as const;

/** `frugal compare`. */
export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare stored evaluation runs',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('compare', args, options);
    if (positionals.length === 0)
      throw new UsageError("frugal compare: name an experiment or run ids (see 'frugal runs')");
    const flags = comparisonFlags('compare', values);
    const where = await ledgerLocation(io, values);
    const store = await openLedger(io, 'compare', where, true);
    if (store === undefined) return 1;
    try {
      const loaded = await runsNamed(store, positionals, 'compare');
      const runs = loaded.map(({ run }) => run);
      const rows = new Map(loaded.map(({ run, results }) => [run.id, results]));
      const comparison = compareRuns(loaded, { primary: values.primary, ...flags });
      checkPrimary('compare', comparison, values.primary);
      if (values.csv) io.stdout(comparisonCsv(comparison));
      else if (values.json) io.stdout(`${JSON.stringify(comparisonJson(comparison), null, 2)}\n`);
      else
        io.stdout(
          `${presentExperiment(comparison, rows, `frugal compare: ${runs.length} runs (${[...new Set(runs.map((run) => run.experiment))].join(', ')})`, values.detail === true)}\n`,
        );
      return 0;
    } finally {
      await store.close();
    }
  },
};
