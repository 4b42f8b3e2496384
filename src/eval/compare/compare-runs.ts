import { paretoFrontier } from '../../core/analysis/pareto-frontier.js';
import type { EvalResultRecord, EvalRunRecord } from '../../core/evals/eval-records.js';
import { compareScores, type ScoreComparison } from '../metrics/compare-scores.js';
import { type CandidateColumn, candidateColumn } from './candidate-column.js';

export type CompareOptions = {
  /** The scorer that ranks candidates (default: the first scorer of the first run). */
  readonly primary?: string | undefined;
  /** The cheapest candidate whose primary mean reaches this is recommended too. */
  readonly qualityBar?: number | undefined;
  /** Calls per month, for the projected monthly cost. */
  readonly monthlyVolume?: number | undefined;
  /** "Significantly worse" means p < alpha (default 0.05). */
  readonly alpha?: number | undefined;
  readonly seed?: number | undefined;
};

export type ComparedCandidate = CandidateColumn & {
  /** On the cost × quality frontier: no other candidate is cheaper and at least as good, or better for the same. */
  readonly pareto: boolean;
  /** On the cost × quality × latency (p50) frontier. */
  readonly paretoWithLatency: boolean;
  /** Against the best candidate on the primary scorer, on the same rows. */
  readonly versusBest?: ScoreComparison | undefined;
};

export type Comparison = {
  readonly primary: string;
  readonly scorers: readonly string[];
  readonly candidates: readonly ComparedCandidate[];
  /** Highest primary mean (the cheaper on a tie). */
  readonly best?: string | undefined;
  /** The cheapest candidate not significantly worse than the best on the primary scorer. */
  readonly cheapestNotWorse?: string | undefined;
  /** The cheapest candidate whose primary mean reaches the quality bar. */
  readonly cheapestMeetingBar?: string | undefined;
  readonly qualityBar?: number | undefined;
  readonly monthlyVolume?: number | undefined;
  readonly alpha: number;
  /** True when any candidate or judge was simulated: the figures are not a real model's. */
  readonly simulated: boolean;
};

type RunWithResults = { readonly run: EvalRunRecord; readonly results: readonly EvalResultRecord[] };

const byCost = (a: CandidateColumn, b: CandidateColumn) =>
  a.cost === undefined ? 1 : b.cost === undefined ? -1 : a.cost < b.cost ? -1 : a.cost > b.cost ? 1 : 0;

/**
 * Seed 000's comparison table, extended: per candidate each scorer's mean with its CI, tokens, candidate and
 * judge cost, latency p50/p95, cost per quality point and projected monthly cost; Pareto marks on cost × quality
 * (and × latency); and two recommendations — the cheapest candidate not significantly worse than the best
 * (exact McNemar or paired bootstrap on the same rows) and the cheapest that meets the quality bar.
 */
export function compareRuns(runs: readonly RunWithResults[], options: CompareOptions = {}): Comparison {
  const scorers = [
    ...new Set(runs.flatMap(({ results }) => results.flatMap((result) => Object.keys(result.scores)))),
  ];
  const primary = options.primary ?? scorers[0] ?? '';
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? 0;
  const columns = runs.map(({ run, results }) =>
    candidateColumn(run, results, scorers, primary, options.monthlyVolume, seed),
  );
  const quality = (column: CandidateColumn) => column.scores[primary]?.mean;
  const ranked = columns.filter((column) => column.cost !== undefined && quality(column) !== undefined);
  const points = ranked.map((column) => [Number(column.cost), quality(column) as number]);
  const front = points.length > 0 ? paretoFrontier(points, ['minimize', 'maximize']) : [];
  const withLatency = ranked.map((column) => column.latency.p50);
  const latencyFront =
    withLatency.every((value) => value !== undefined) && points.length > 0
      ? paretoFrontier(
          points.map((point, index) => [...point, withLatency[index] as number]),
          ['minimize', 'maximize', 'minimize'],
        )
      : [];
  const best = [...ranked].sort((a, b) => (quality(b) as number) - (quality(a) as number) || byCost(a, b))[0];
  const compared: ComparedCandidate[] = columns.map((column) => {
    const index = ranked.indexOf(column);
    const baseline = best?.byRow.get(primary);
    const mine = column.byRow.get(primary);
    const kind = column.scores[primary]?.kind ?? 'pass-fail';
    return {
      ...column,
      pareto: index >= 0 && front[index] === true,
      paretoWithLatency: index >= 0 && latencyFront[index] === true,
      ...(best && column !== best && baseline && mine
        ? { versusBest: compareScores(kind, baseline, mine, { seed }) }
        : {}),
    };
  });
  // `compared` holds new objects: pick the ranked ones by position, not by identity with `ranked`'s.
  const cheapFirst = compared
    .filter((_, index) => ranked.includes(columns[index] as CandidateColumn))
    .sort(byCost);
  const notWorse = cheapFirst.find(
    (column) =>
      column.runId === best?.runId ||
      (column.versusBest !== undefined &&
        (column.versusBest.pValue >= alpha || column.versusBest.difference >= 0)),
  );
  const bar = options.qualityBar;
  const meetsBar =
    bar === undefined ? undefined : cheapFirst.find((column) => (quality(column) as number) >= bar);
  return {
    primary,
    scorers,
    candidates: compared,
    ...(best ? { best: best.candidate } : {}),
    ...(notWorse ? { cheapestNotWorse: notWorse.candidate } : {}),
    ...(meetsBar ? { cheapestMeetingBar: meetsBar.candidate } : {}),
    ...(bar === undefined ? {} : { qualityBar: bar }),
    ...(options.monthlyVolume === undefined ? {} : { monthlyVolume: options.monthlyVolume }),
    alpha,
    simulated: runs.some(({ run }) => run.simulated),
  };
}
