import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { defaultStoreLocation, ledgerLocation, openLedger } from '../ledger.js';
import { renderTable } from '../table.js';

const help = `usage: frugal runs [--experiment NAME] [--limit N] [--store LOC] [--json]

Lists stored evaluation runs, newest first: experiment, candidate, model, status, rows and the first
scorer's mean. Compare them with 'frugal compare <experiment | run id...>'.

  --experiment NAME  only this experiment's runs
  --limit N          at most N runs (default 50)
  --store LOC        sqlite:PATH, a file path, or postgres://… (default: the config's store, else
                     ${defaultStoreLocation})
  --config FILE      config file (default ./frugal.yaml if present)
  --json             the run records as JSON`;

const options = {
  experiment: { type: 'string' },
  limit: { type: 'string' },
  store: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** `frugal runs`. */
export const runsCommand: Command = {
  name: 'runs',
  summary: 'list stored evaluation runs',
  help,
  async run(args, io) {
    const { values } = parseCommandArgs('runs', args, options, { maxPositionals: 0 });
    const limit = values.limit === undefined ? 50 : integerOption('runs', 'limit', values.limit, 1);
    const where = await ledgerLocation(io, values);
    const store = await openLedger(io, 'runs', where, true);
    if (store === undefined) return 1;
    try {
      const runs = await store.listRuns({ experiment: values.experiment, limit });
      if (values.json) {
        io.stdout(`${JSON.stringify(runs, null, 2)}\n`);
        return 0;
      }
      if (runs.length === 0) {
        io.stdout(
          `no evaluation runs${values.experiment ? ` in experiment '${values.experiment}'` : ''} yet: try 'frugal demo' or 'frugal eval <config>'\n`,
        );
        return 0;
      }
      const rows = runs.map((run) => {
        const mean = Object.entries(run.metrics).find(([name]) => name.endsWith('/mean'));
        return [
          run.id,
          run.experiment,
          run.candidate,
          `${run.model ?? 'predict'}${run.simulated ? ' (simulated)' : ''}`,
          run.status,
          String(run.dataset.rows),
          mean ? `${mean[0]} ${mean[1].toFixed(2)}` : '–',
          new Date(run.startedAt).toISOString().replace('T', ' ').slice(0, 16),
        ];
      });
      io.stdout(
        `${renderTable(['run', 'experiment', 'candidate', 'model', 'status', 'rows', 'score', 'started (UTC)'], rows)}\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
