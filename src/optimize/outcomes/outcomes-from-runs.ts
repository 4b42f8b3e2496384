import type { EvalResultRecord, EvalRunRecord } from '../../core/evals/eval-records.js';
import type { ModelOutcome, OutcomeQuery, OutcomeSet } from './outcome-set.js';

/** The row inputs a prompt is taken from, in order of preference; else the first text input, else JSON. */
const promptFields = ['question', 'input', 'prompt', 'query', 'text'];

export function promptOf(inputs: Readonly<Record<string, unknown>>): string {
  for (const field of promptFields) if (typeof inputs[field] === 'string') return inputs[field] as string;
  const text = Object.values(inputs).find((value) => typeof value === 'string');
  return typeof text === 'string' ? text : JSON.stringify(inputs);
}

/**
 * An outcome set from stored evaluation runs of one dataset (e.g. an experiment's latest run per candidate):
 * per row, each candidate's `scorer` verdict (pass/fail as 1/0, or the number), its tokens and its answer.
 * Models are the candidates' names. Rows that some run failed or did not score are left out (`dropped`).
 * A numeric scorer's scale is taken as [min, max] of the values seen (at least [0, 1]).
 */
export function outcomesFromRuns(
  name: string,
  runs: readonly { readonly run: EvalRunRecord; readonly results: readonly EvalResultRecord[] }[],
  scorer?: string,
): { set: OutcomeSet; dropped: number; scorer: string } {
  if (runs.length < 2)
    throw new RangeError(`outcomes need at least two runs to compare, found ${runs.length}`);
  const chosen =
    scorer ?? Object.keys(runs[0]!.results.find((result) => result.error === undefined)?.scores ?? {})[0];
  if (chosen === undefined) throw new RangeError('the runs have no scored results');
  const names = runs.map(({ run }) =>
    runs.filter((other) => other.run.candidate === run.candidate).length > 1
      ? `${run.candidate}@${run.id}`
      : run.candidate,
  );
  const byRow = runs.map(
    ({ results }) =>
      new Map(results.filter((result) => result.repeat === 0).map((result) => [result.rowId, result])),
  );
  const rowIds = [...byRow[0]!.keys()];
  const queries: OutcomeQuery[] = [];
  let allBoolean = true;
  let low = 0;
  let high = 1;
  for (const rowId of rowIds) {
    const outcomes: Record<string, ModelOutcome> = {};
    for (const [index, results] of byRow.entries()) {
      const result = results.get(rowId);
      const value = result?.error === undefined ? result?.scores[chosen]?.value : undefined;
      if (value === undefined) break;
      if (typeof value === 'number') {
        allBoolean = false;
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
      outcomes[names[index]!] = {
        score: typeof value === 'boolean' ? Number(value) : value,
        inputTokens: result!.usage?.input,
        outputTokens: result!.usage?.output,
        response: result!.output,
      };
    }
    if (Object.keys(outcomes).length < runs.length) continue;
    const first = byRow[0]!.get(rowId)!;
    queries.push({ id: rowId, prompt: promptOf(first.inputs), outcomes });
  }
  const set: OutcomeSet = {
    name,
    source:
      `frugal runs ${runs.map(({ run }) => run.id).join(', ')} (scorer ${chosen})` +
      (runs.some(({ run }) => run.simulated) ? ' — SIMULATED: the offline simulator, not real models' : ''),
    scale: allBoolean ? { kind: 'binary' } : { kind: 'graded', min: low, max: high },
    models: names,
    queries,
  };
  return { set, dropped: rowIds.length - queries.length, scorer: chosen };
}
