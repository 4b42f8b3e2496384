import { usdToNumber } from '../../core/money.js';
import type { ExperimentReport } from '../report/experiment-report.js';

/** A point of the cost-vs-quality chart: one candidate. Dollars as numbers here are for drawing only. */
export type ParetoPoint = {
  readonly candidate: string;
  readonly costPerAnswer: number;
  readonly quality: number;
  readonly low: number;
  readonly high: number;
  readonly latencyMs: number | null;
  readonly status: 'Pareto-optimal' | 'dominated';
};

/** The candidates that can be drawn: priced, with a primary score. */
export function paretoPoints(report: ExperimentReport): ParetoPoint[] {
  return report.candidates.flatMap((candidate) => {
    const score = candidate.scores[report.primary];
    if (candidate.costPerAnswer === undefined || score?.mean === undefined) return [];
    return [
      {
        candidate: candidate.name,
        costPerAnswer: usdToNumber(candidate.costPerAnswer),
        quality: score.mean,
        low: score.low ?? score.mean,
        high: score.high ?? score.mean,
        latencyMs: candidate.latencyP50Ms ?? null,
        status: candidate.pareto ? 'Pareto-optimal' : 'dominated',
      },
    ];
  });
}

/**
 * The cost-vs-quality chart as one Vega-Lite spec, for the report (rendered to SVG on the server) and the
 * dashboard alike: cost per answer (log scale) against the primary score with its 95% interval as error bars,
 * point size by p50 latency, dominated candidates grey, and the Pareto frontier drawn through the optimal ones.
 */
export function paretoChartSpec(report: ExperimentReport): Record<string, unknown> {
  const points = paretoPoints(report);
  const x = {
    field: 'costPerAnswer',
    type: 'quantitative',
    title: 'cost per answer (USD, log scale)',
    scale: { type: 'log' },
  };
  const y = {
    field: 'quality',
    type: 'quantitative',
    title: `${report.primary} (mean, 95% interval)`,
    scale: { zero: false },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${report.experiment}: cost vs ${report.primary}${report.simulated ? ' (SIMULATED)' : ''}`,
    width: 560,
    height: 320,
    data: { values: points },
    layer: [
      {
        mark: { type: 'rule', opacity: 0.6 },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: color() },
      },
      {
        transform: [{ filter: "datum.status === 'Pareto-optimal'" }],
        mark: { type: 'line', strokeDash: [4, 3], color: '#1f6feb' },
        encoding: { x, y, order: { field: 'costPerAnswer' } },
      },
      {
        mark: { type: 'point', filled: true, opacity: 0.9 },
        encoding: {
          x,
          y,
          color: color(),
          size: {
            field: 'latencyMs',
            type: 'quantitative',
            title: 'p50 latency (ms)',
            scale: { range: [60, 400] },
          },
          tooltip: [
            { field: 'candidate' },
            { field: 'costPerAnswer', title: 'cost per answer (USD)', format: '.6f' },
            { field: 'quality', format: '.3f' },
            { field: 'latencyMs', title: 'p50 latency (ms)' },
          ],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 11 },
        encoding: { x, y, text: { field: 'candidate' } },
      },
    ],
  };
}

function color() {
  return {
    field: 'status',
    type: 'nominal',
    title: null,
    scale: { domain: ['Pareto-optimal', 'dominated'], range: ['#1f6feb', '#9aa0a6'] },
  };
}
