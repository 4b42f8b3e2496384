import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { EvalConfig } from '../../config/parse-eval-config.js';
import type { Comparison } from '../../eval/compare/compare-runs.js';
import type { EvalRow } from '../../eval/eval-row.js';
import { openSpanWriter } from '../../tracing/span-writer.js';
import type { CommandIo } from '../command.js';
import { ledgerLocation, openLedger } from '../ledger.js';
import { comparisonCsv, comparisonJson, presentExperiment } from './present-experiment.js';
import { runExperiment } from './run-experiment.js';

export type ExperimentRun = {
  readonly command: string;
  readonly config: EvalConfig;
  readonly rows: readonly EvalRow[];
  readonly datasetName: string;
  readonly title: string;
  readonly flags: { readonly store?: string | undefined; readonly config?: string | undefined };
  readonly json: boolean;
  readonly csv?: boolean | undefined;
  readonly detail?: boolean | undefined;
  readonly resume?: boolean | undefined;
  readonly cache: boolean;
  /** A command's own reading of the comparison (e.g. `frugal compress`'s verdicts): printed after the report. */
  readonly summarize?:
    | ((comparison: Comparison) => { readonly text: string; readonly json: unknown })
    | undefined;
};

/**
 * Runs an experiment for a command (`eval`, `demo`): opens the ledger and a span writer beside it, draws a
 * progress line on a terminal, prints the report (or JSON) and where the runs are stored. Ctrl-C stops the
 * runs cleanly: what is done is kept, and `frugal eval` can be run again to continue from the cache.
 */
export async function runExperimentCommand(io: CommandIo, run: ExperimentRun): Promise<number> {
  const where = await ledgerLocation(io, run.flags);
  const store = await openLedger(io, run.command, where, false);
  if (store === undefined) return 1;
  const frugalDirectory = where.file === undefined ? join(io.cwd, '.frugal') : dirname(where.file);
  mkdirSync(frugalDirectory, { recursive: true });
  const writer = await openSpanWriter({ store, journalDirectory: join(frugalDirectory, 'journal') });
  const abort = new AbortController();
  const interrupt = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  let drawn = false;
  try {
    const outcome = await runExperiment({
      config: run.config,
      rows: run.rows,
      datasetName: run.datasetName,
      store,
      sink: writer,
      env: io.env,
      cacheDirectory: run.cache ? resolve(frugalDirectory, 'eval-cache') : undefined,
      onProgress: io.stderrIsTty
        ? (line) => {
            drawn = true;
            io.stderr(`\r\x1b[2K${line}`);
          }
        : undefined,
      signal: abort.signal,
      resume: run.resume,
    });
    if (drawn) io.stderr('\r\x1b[2K');
    await writer.flush();
    const rows = new Map(outcome.results.map((result) => [result.runId, result.rows]));
    const summary = run.summarize?.(outcome.comparison);
    if (run.csv) {
      io.stdout(comparisonCsv(outcome.comparison));
    } else if (run.json) {
      io.stdout(
        `${JSON.stringify({ experiment: run.config.experiment, store: where.location, runs: outcome.runs, comparison: comparisonJson(outcome.comparison), ...(summary ? { summary: summary.json } : {}), rows: Object.fromEntries(rows) }, (_, value) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`,
      );
    } else {
      io.stdout(`${presentExperiment(outcome.comparison, rows, run.title, run.detail === true)}\n`);
      if (summary !== undefined) io.stdout(`\n${summary.text}\n`);
      io.stdout(
        `\nStored: experiment '${run.config.experiment}', runs ${outcome.runs.map((each) => each.id).join(', ')} in ${where.file ?? where.location}.\n` +
          `See them again with 'frugal compare ${run.config.experiment}', list runs with 'frugal runs', spend with 'frugal spend --by run'.\n`,
      );
    }
    return outcome.runs.every((each) => each.status === 'completed') ? 0 : 1;
  } finally {
    process.off('SIGINT', interrupt);
    await writer.close();
    await store.close();
  }
}
