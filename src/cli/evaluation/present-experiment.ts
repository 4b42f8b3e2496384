import type { EvalResultRecord } from '../../core/evals/eval-records.js';
import type { Comparison } from '../../eval/compare/compare-runs.js';
import {
  renderComparisonTable,
  renderMetrics,
  renderPerQuestion,
  renderRecommendation,
  renderUsage,
} from './render-comparison.js';

export const simulatedNotice =
  "SIMULATED: sim/* models are frugal's offline simulator (declared prices, latencies and skills), not real models; " +
  'their answers and scores show how frugal works, not how any real model performs.';

/** The full text report of compared runs: metrics, per question, usage and cost, comparison, recommendation. */
export function presentExperiment(
  comparison: Comparison,
  rows: ReadonlyMap<string, readonly EvalResultRecord[]>,
  title: string,
): string {
  const stopped = comparison.candidates.filter((candidate) => candidate.status !== 'completed');
  return [
    title,
    ...(comparison.simulated ? [`\n${simulatedNotice}`] : []),
    '\nMetrics (mean [95% CI]: Wilson for yes/no scores, bootstrap for numeric ones)',
    renderMetrics(comparison),
    `\nPer question (${comparison.scorers.join(' / ')})`,
    renderPerQuestion(comparison, rows),
    '\nToken usage and cost (from the traced spans; judge cost apart)',
    renderUsage(comparison),
    `\nComparison (* = Pareto-optimal on cost × ${comparison.primary})`,
    renderComparisonTable(comparison),
    '',
    renderRecommendation(comparison).trimEnd(),
    ...stopped.map(
      (candidate) => `Note: ${candidate.candidate}'s run ${candidate.runId} is ${candidate.status}.`,
    ),
  ].join('\n');
}

/** JSON-safe form of a comparison: bigints as exact decimal strings of pico-dollars, maps dropped. */
export function comparisonJson(comparison: Comparison): unknown {
  return JSON.parse(
    JSON.stringify(comparison, (key, value) => {
      if (key === 'byRow') return undefined;
      return typeof value === 'bigint' ? value.toString() : value;
    }),
  );
}
