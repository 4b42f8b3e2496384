import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { EvalResultRecord, EvalRunRecord } from '../../core/evals/eval-records.js';
import { type Comparison, compareRuns } from '../../eval/compare/compare-runs.js';
import { promptOf } from '../../optimize/outcomes/outcomes-from-runs.js';
import { paretoChartSpec } from '../../ui/charts/pareto-chart.js';
import { renderChartSvg, svgToPng } from '../../ui/charts/render-chart.js';
import type { ExperimentReport, ReportQuestion } from '../../ui/report/experiment-report.js';
import { reportHtml } from '../../ui/report/report-html.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { checkPrimary, comparisonFlags } from '../evaluation/comparison-flags.js';
import { runsNamed } from '../evaluation/runs-named.js';
import { defaultStoreLocation, ledgerLocation, openLedger } from '../ledger.js';

const help = `usage: frugal report <experiment | run id...> -o report.html [--png chart.png] [--primary SCORER]
                     [--bar X] [--volume N] [--store LOC]

Writes one self-contained HTML file (no script, no network): the comparison table (scores with 95%
intervals, tokens, cost, judge cost, cost per quality point, monthly cost, latency, Pareto marks), the
recommendation, the cost-vs-quality chart (inline SVG, rendered from the same Vega-Lite spec as the
dashboard: log-scale cost, error bars, point size by p50 latency, dominated candidates grey, the frontier
drawn), and every question with each candidate's answer, scores, rationales and trace id.

  -o, --output FILE  the HTML file to write (required)
  --png FILE         also the chart as a PNG image
  --primary, --bar, --volume, --store, --config   as for frugal compare (default store: ${defaultStoreLocation})`;

const options = {
  output: { type: 'string', short: 'o' },
  png: { type: 'string' },
  primary: { type: 'string' },
  bar: { type: 'string' },
  volume: { type: 'string' },
  store: { type: 'string' },
  config: { type: 'string' },
} as const;

/** `frugal report`: an experiment as a self-contained HTML file. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'write an experiment as one self-contained HTML report (comparison, Pareto chart, every answer)',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('report', args, options);
    if (positionals.length === 0)
      throw new UsageError("frugal report: name an experiment or run ids (see 'frugal runs')");
    if (values.output === undefined) throw new UsageError('frugal report: -o report.html is required');
    const flags = comparisonFlags('report', values);
    const store = await openLedger(io, 'report', await ledgerLocation(io, values), true);
    if (store === undefined) return 1;
    let loaded: Awaited<ReturnType<typeof runsNamed>>;
    try {
      loaded = await runsNamed(store, positionals, 'report');
    } finally {
      await store.close();
    }
    const comparison = compareRuns(loaded, { primary: values.primary, ...flags });
    checkPrimary('report', comparison, values.primary);
    const report = experimentReport(comparison, loaded, new Date(io.now()).toISOString());
    const svg = await renderChartSvg(paretoChartSpec(report));
    writeFileSync(resolve(io.cwd, values.output), reportHtml(report, svg));
    if (values.png !== undefined) writeFileSync(resolve(io.cwd, values.png), await svgToPng(svg));
    io.stdout(
      `report: ${report.candidates.length} candidates × ${report.questions.length} questions → ${values.output}` +
        `${values.png === undefined ? '' : ` (chart: ${values.png})`}${report.simulated ? ' — SIMULATED models' : ''}\n`,
    );
    return 0;
  },
};

/** The comparison and the stored answers as the ui's plain report data. */
export function experimentReport(
  comparison: Comparison,
  loaded: readonly { readonly run: EvalRunRecord; readonly results: readonly EvalResultRecord[] }[],
  generatedAt: string,
): ExperimentReport {
  const questions = new Map<
    string,
    { question: string; answers: Record<string, ReportQuestion['answers'][string]> }
  >();
  for (const { run, results } of loaded) {
    for (const result of results) {
      if (result.repeat !== 0) continue;
      const entry = questions.get(result.rowId) ?? { question: promptOf(result.inputs), answers: {} };
      entry.answers[run.candidate] = {
        output: result.output,
        error: result.error,
        scores: result.scores,
        cost: result.cost,
        traceId: result.traceId,
      };
      questions.set(result.rowId, entry);
    }
  }
  return {
    experiment: [...new Set(loaded.map(({ run }) => run.experiment))].join(', '),
    primary: comparison.primary,
    scorers: comparison.scorers,
    candidates: comparison.candidates.map((candidate) => ({
      name: candidate.candidate,
      runId: candidate.runId,
      model: candidate.model,
      simulated: candidate.simulated,
      scores: candidate.scores,
      tokens: candidate.tokens,
      cost: candidate.cost,
      judgeCost: candidate.judgeCost,
      costPerAnswer: candidate.costPerAnswer,
      costPerQualityPoint: candidate.costPerQualityPoint,
      monthlyCost: candidate.monthlyCost,
      latencyP50Ms: candidate.latency.p50,
      pareto: candidate.pareto,
    })),
    best: comparison.best,
    cheapestNotWorse: comparison.cheapestNotWorse,
    cheapestMeetingBar: comparison.cheapestMeetingBar,
    qualityBar: comparison.qualityBar,
    monthlyVolume: comparison.monthlyVolume,
    simulated: comparison.simulated,
    questions: [...questions].map(([rowId, entry]) => ({
      rowId,
      question: entry.question,
      answers: entry.answers,
    })),
    generatedAt,
  };
}
