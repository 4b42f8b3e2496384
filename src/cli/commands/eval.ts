import { dirname, isAbsolute, join } from 'node:path';
import { parseEvalConfig } from '../../config/parse-eval-config.js';
import { UsageError } from '../../core/errors.js';
import { formatOfFile } from '../../eval/dataset/dataset-format.js';
import { parseDataset } from '../../eval/dataset/parse-dataset.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { runExperimentCommand } from '../evaluation/experiment-command.js';
import { defaultStoreLocation } from '../ledger.js';

const help = `usage: frugal eval <eval.yaml> [--resume] [--store LOC] [--no-cache] [--detail] [--json | --csv]

Runs every candidate of an evaluation config over its dataset, scores the answers, and compares the runs:
each scorer's mean with its 95% CI, tokens, candidate and judge cost, latency, cost per quality point,
Pareto marks and the recommendation. Every call is a traced span of its run (see 'frugal spend --by run').
The config is YAML or JSON (schema/eval.schema.json; an example: examples/eval/eval.yaml). Answers are
cached under .frugal/eval-cache, so a re-run (after an interruption, or with another scorer) costs only
what is new; cached answers are marked and their latency is not reported as fresh.

  --store LOC    sqlite:PATH, a file path, or postgres://… (default: the config's store, else
                 ${defaultStoreLocation})
  --config FILE  frugal config file (prices, store; default ./frugal.yaml if present)
  --no-cache     ask every candidate afresh
  --resume       continue each candidate's latest unfinished run of the experiment (stopped by its budget
                 cap, Ctrl-C or a crash): its answered rows are kept, the rest are run
  --detail       also each answer, every score's rationale and the verdict per expected fact
  --json         the runs, comparison and rows as JSON (exact decimal pico-dollar strings)
  --csv          the comparison as CSV, one line per candidate (exact decimal dollars)`;

const options = {
  store: { type: 'string' },
  config: { type: 'string' },
  'no-cache': { type: 'boolean' },
  json: { type: 'boolean' },
  detail: { type: 'boolean' },
  resume: { type: 'boolean' },
  csv: { type: 'boolean' },
} as const;

/** `frugal eval <config>`. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate model configurations on a dataset and compare them',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('eval', args, options, { maxPositionals: 1 });
    const file = positionals[0];
    if (file === undefined)
      throw new UsageError("frugal eval: name an eval config, e.g. 'frugal eval examples/eval/eval.yaml'");
    const config = parseEvalConfig(await io.readText(file), file);
    const datasetPath = isAbsolute(config.dataset) ? config.dataset : join(dirname(file), config.dataset);
    const format = formatOfFile(datasetPath);
    const rows = parseDataset(await io.readText(datasetPath), format, config.dataset);
    return runExperimentCommand(io, {
      command: 'eval',
      config,
      rows,
      datasetName: config.dataset,
      title: `frugal eval ${file}: experiment '${config.experiment}', ${rows.length} rows × ${config.candidates.length} candidates`,
      flags: values,
      json: values.json === true,
      detail: values.detail === true,
      resume: values.resume === true,
      csv: values.csv === true,
      cache: config.cache && values['no-cache'] !== true,
    });
  },
};
