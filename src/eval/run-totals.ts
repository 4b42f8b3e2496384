import type { EvalResultRecord } from '../core/evals/eval-records.js';
import type { Picodollars } from '../core/money.js';
import { addUsage, type Usage } from '../core/usage.js';

/** What a run's rows add up to. */
export type RunTotals = {
  readonly usage: Usage | undefined;
  /** Candidate cost, exact; undefined when an answer with usage had no price. */
  readonly cost: Picodollars | undefined;
  readonly judgeCost: Picodollars | undefined;
  /** Candidate and judge spend that is priced (for progress and budgets). */
  readonly spent: Picodollars;
  readonly unpricedRows: number;
};

/** Sums a run's rows: usage, candidate cost and judge cost, apart. */
export function runTotals(rows: readonly EvalResultRecord[]): RunTotals {
  let usage: Usage | undefined;
  let cost = 0n;
  let judgeCost = 0n;
  let judged = false;
  let unpricedRows = 0;
  let unpricedJudge = 0;
  for (const row of rows) {
    if (row.usage !== undefined) usage = usage === undefined ? row.usage : addUsage(usage, row.usage);
    if (row.cost !== undefined) cost += row.cost;
    else if (row.usage !== undefined) unpricedRows++;
    if (row.judgeCost !== undefined) {
      judgeCost += row.judgeCost;
      judged = true;
    } else if (row.judgeUsage !== undefined) unpricedJudge++;
  }
  return {
    usage,
    cost: unpricedRows > 0 ? undefined : cost,
    judgeCost: unpricedJudge > 0 || !judged ? undefined : judgeCost,
    spent: cost + judgeCost,
    unpricedRows,
  };
}
