import type { EvalResultRecord, EvalRunRecord } from '../../core/evals/eval-records.js';
import { divideRoundHalfEven, type Picodollars } from '../../core/money.js';
import { unanimous } from '../judges/repeated-judge.js';
import { summarizeScores } from '../metrics/summarize-scores.js';
import { runTotals } from '../run-totals.js';
import type { Score, ScoreKind } from '../scorer.js';
import { quantile } from '../statistics/quantile.js';

/** One scorer's result for a candidate. */
export type ScoreColumn = {
  readonly kind: ScoreKind;
  /** Undefined when no row has a verdict. */
  readonly mean: number | undefined;
  readonly low: number | undefined;
  readonly high: number | undefined;
  readonly n: number;
  readonly errors: number;
  /** A judge asked several times per answer: the share of answers on which its votes all agreed. */
  readonly agreement?: number | undefined;
};

/** One candidate's line in the comparison table. */
export type CandidateColumn = {
  readonly runId: string;
  readonly candidate: string;
  readonly model?: string | undefined;
  readonly simulated: boolean;
  readonly status: EvalRunRecord['status'];
  /** Results recorded (rows × repeats), and how many of them failed to get an answer. */
  readonly results: number;
  readonly failed: number;
  readonly scores: Readonly<Record<string, ScoreColumn>>;
  readonly tokens: { readonly input: number; readonly output: number; readonly total: number };
  /** Candidate cost of the answers, exact; undefined when a call was unpriced. */
  readonly cost: Picodollars | undefined;
  /** What judging cost, reported apart. */
  readonly judgeCost: Picodollars | undefined;
  /** Mean candidate cost per answer, rounded half-to-even to a pico-dollar. */
  readonly costPerAnswer: Picodollars | undefined;
  /** Fresh answers only (cached ones have no latency to report). */
  readonly latency: {
    readonly p50: number | undefined;
    readonly p95: number | undefined;
    readonly n: number;
  };
  /** Seed 000's `cost_per_correct_pct`: candidate cost ÷ the primary score's mean. */
  readonly costPerQualityPoint: Picodollars | undefined;
  /** `costPerAnswer` × the stated monthly volume. */
  readonly monthlyCost: Picodollars | undefined;
  /** Rows keyed `rowId#repeat`, for paired comparisons. */
  readonly byRow: ReadonlyMap<string, ReadonlyMap<string, Score>>;
};

/** The kind of a stored scorer's values: pass-fail when every verdict is a boolean. */
export function kindOf(results: readonly EvalResultRecord[], scorer: string): ScoreKind {
  const values = results.map((result) => result.scores[scorer]?.value).filter((value) => value !== undefined);
  return values.every((value) => typeof value === 'boolean') ? 'pass-fail' : 'numeric';
}

const toScore = (result: EvalResultRecord, scorer: string): Score => {
  const stored = result.scores[scorer];
  return stored === undefined
    ? { value: undefined, error: result.error ?? 'not scored' }
    : { ...stored, value: stored.value };
};

/** Builds a candidate's column from its run and results. */
export function candidateColumn(
  run: EvalRunRecord,
  results: readonly EvalResultRecord[],
  scorers: readonly string[],
  primary: string,
  monthlyVolume: number | undefined,
  seed: number,
): CandidateColumn {
  const totals = runTotals(results);
  const answered = results.filter((result) => result.output !== undefined);
  const scores: Record<string, ScoreColumn> = {};
  const byRow = new Map<string, Map<string, Score>>();
  for (const scorer of scorers) {
    const kind = kindOf(results, scorer);
    const list = results.map((result) => toScore(result, scorer));
    const summary = summarizeScores(kind, list, { seed });
    const has = summary.n > 0;
    const verdicts = results
      .map((result) => unanimous(result.scores[scorer]?.details))
      .filter((each) => each !== undefined);
    scores[scorer] = {
      ...(verdicts.length > 0 ? { agreement: verdicts.filter(Boolean).length / verdicts.length } : {}),
      kind,
      mean: has ? summary.mean : undefined,
      low: has ? summary.low : undefined,
      high: has ? summary.high : undefined,
      n: summary.n,
      errors: summary.errors,
    };
    byRow.set(
      scorer,
      new Map(results.map((result, index) => [`${result.rowId}#${result.repeat}`, list[index] as Score])),
    );
  }
  const latencies = results.flatMap((result) => (result.latencyMs === undefined ? [] : [result.latencyMs]));
  const sorted = [...latencies].sort((a, b) => a - b);
  const costPerAnswer =
    totals.cost === undefined || answered.length === 0
      ? undefined
      : divideRoundHalfEven(totals.cost, BigInt(answered.length));
  const quality = scores[primary]?.mean;
  const micro = quality === undefined ? 0 : Math.round(quality * 1e6);
  return {
    runId: run.id,
    candidate: run.candidate,
    ...(run.model === undefined ? {} : { model: run.model }),
    simulated: run.simulated,
    status: run.status,
    results: results.length,
    failed: results.length - answered.length,
    scores,
    tokens: {
      input: totals.usage?.input ?? 0,
      output: totals.usage?.output ?? 0,
      total: (totals.usage?.input ?? 0) + (totals.usage?.output ?? 0),
    },
    cost: totals.cost,
    judgeCost: totals.judgeCost,
    costPerAnswer,
    latency: {
      p50: sorted.length ? quantile(sorted, 0.5, true) : undefined,
      p95: sorted.length ? quantile(sorted, 0.95, true) : undefined,
      n: sorted.length,
    },
    costPerQualityPoint:
      totals.cost === undefined || micro === 0
        ? undefined
        : divideRoundHalfEven(totals.cost * 1_000_000n, BigInt(micro)),
    monthlyCost:
      costPerAnswer === undefined || monthlyVolume === undefined
        ? undefined
        : costPerAnswer * BigInt(monthlyVolume),
    byRow,
  };
}
