import type { EvalResultRecord } from '../../core/evals/eval-records.js';
import { formatUsd } from '../../core/money.js';
import type { Comparison } from '../../eval/compare/compare-runs.js';
import { csvCell } from '../table.js';
import {
  renderComparisonTable,
  renderDetail,
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
  detail = false,
): string {
  const stopped = comparison.candidates.filter((candidate) => candidate.status !== 'completed');
  return [
    title,
    ...(comparison.simulated ? [`\n${simulatedNotice}`] : []),
    '\nMetrics (mean [95% CI]: Wilson for yes/no scores, bootstrap for numeric ones)',
    renderMetrics(comparison),
    `\nPer question (${comparison.scorers.join(' / ')})`,
    renderPerQuestion(comparison, rows),
    ...(detail
      ? [
          '\nPer question, in detail (answers, rationales, per-fact verdicts)',
          renderDetail(comparison, rows).trimEnd(),
        ]
      : []),
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

/** The comparison as CSV, one line per candidate: exact decimal dollars, scores with their CI bounds. */
export function comparisonCsv(comparison: Comparison): string {
  const header = [
    'candidate',
    'model',
    'simulated',
    'status',
    ...comparison.scorers.flatMap((scorer) => [
      `${scorer}_mean`,
      `${scorer}_ci_low`,
      `${scorer}_ci_high`,
      `${scorer}_n`,
    ]),
    'input_tokens',
    'output_tokens',
    'cost_usd',
    'judge_cost_usd',
    'cost_per_answer_usd',
    'cost_per_quality_point_usd',
    'monthly_cost_usd',
    'latency_p50_ms',
    'latency_p95_ms',
    'pareto',
  ];
  const money = (amount: bigint | undefined) => (amount === undefined ? null : formatUsd(amount));
  const lines = comparison.candidates.map((candidate) =>
    [
      candidate.candidate,
      candidate.model,
      candidate.simulated,
      candidate.status,
      ...comparison.scorers.flatMap((scorer) => {
        const score = candidate.scores[scorer];
        return [score?.mean, score?.low, score?.high, score?.n];
      }),
      candidate.tokens.input,
      candidate.tokens.output,
      money(candidate.cost),
      money(candidate.judgeCost),
      money(candidate.costPerAnswer),
      money(candidate.costPerQualityPoint),
      money(candidate.monthlyCost),
      candidate.latency.p50,
      candidate.latency.p95,
      candidate.pareto,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
