import { UsageError } from '../../core/errors.js';
import type { EvalResultRecord, EvalRunRecord } from '../../core/evals/eval-records.js';
import type { Store } from '../../store/store.js';

/**
 * The runs that `names` designate: a run id, or an experiment's latest run of each candidate (in the order of
 * its config, else oldest first); each run once. A name that is neither is a UsageError for `command`.
 */
export async function runsNamed(
  store: Store,
  names: readonly string[],
  command: string,
): Promise<{ run: EvalRunRecord; results: EvalResultRecord[] }[]> {
  let runs: EvalRunRecord[] = [];
  for (const name of names) {
    const run = await store.getRun(name);
    if (run !== undefined) {
      runs.push(run);
      continue;
    }
    const latest = new Map<string, EvalRunRecord>();
    for (const each of await store.listRuns({ experiment: name }))
      if (!latest.has(each.candidate)) latest.set(each.candidate, each);
    if (latest.size === 0)
      throw new UsageError(`frugal ${command}: no run or experiment named '${name}' (see 'frugal runs')`);
    const position = (each: EvalRunRecord) =>
      typeof each.config['position'] === 'number' ? each.config['position'] : Number.MAX_SAFE_INTEGER;
    runs.push(...[...latest.values()].reverse().sort((a, b) => position(a) - position(b)));
  }
  runs = runs.filter((run, index) => runs.findIndex((other) => other.id === run.id) === index);
  const withResults = [];
  for (const run of runs) withResults.push({ run, results: await store.listResults(run.id) });
  return withResults;
}
