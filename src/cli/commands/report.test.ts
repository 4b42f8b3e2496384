import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';
import { paretoChartSpec } from '../../ui/charts/pareto-chart.js';
import { renderChartSvg } from '../../ui/charts/render-chart.js';
import type { ExperimentReport, ReportCandidate } from '../../ui/report/experiment-report.js';
import { escapeHtml } from '../../ui/report/report-html.js';
import { seed000Questions } from '../evaluation/seed-000.js';

const directory = mkdtempSync(join(tmpdir(), 'frugal-report-'));
const store = join(directory, 'ledger.db');

/** The chart's points (symbol marks) by their status, and the vertices of the frontier line. */
function chartMarks(svg: string) {
  const symbols = [
    ...svg.matchAll(/<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point"/g),
  ].map((match) => match[1]!);
  const line = /aria-roledescription="line mark"[^>]* d="([^"]*)"/.exec(svg)?.[1] ?? '';
  return {
    optimal: symbols.filter((label) => label.includes('status: Pareto-optimal')).length,
    dominated: symbols.filter((label) => label.includes('status: dominated')).length,
    frontierVertices: (line.match(/[ML]/g) ?? []).length,
  };
}

describe('frugal report', () => {
  it('writes the demo experiment as one self-contained page, and the chart as a PNG', async () => {
    expect((await runCli(['demo', '--store', store], { cwd: directory })).code).toBe(0);
    const { code, stdout, stderr } = await runCli(
      ['report', 'demo', '--store', store, '-o', 'report.html', '--png', 'chart.png'],
      { cwd: directory },
    );
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toBe(
      'report: 3 candidates × 6 questions → report.html (chart: chart.png) — SIMULATED models\n',
    );
    const html = readFileSync(join(directory, 'report.html'), 'utf8');
    // Self-contained: no script, nothing fetched (the only URLs are the SVG namespaces).
    expect(html).not.toMatch(/<script|<link|src=/i);
    expect(html.match(/https?:\/\/[^"' ]+/g)?.every((url) => url.startsWith('http://www.w3.org/'))).toBe(
      true,
    );
    expect(html).toContain('id="simulated"');
    const rows = [...html.matchAll(/<tr class="[^"]*" data-candidate="([^"]+)"/g)].map((match) => match[1]);
    expect(rows).toEqual(['small', 'medium', 'large']);
    expect(html.match(/<details class="question"/g)).toHaveLength(6);
    // Per-fact verdicts beside each answer: fact coverage checks each expected fact for all 3 candidates.
    const checks = [...html.matchAll(/<li class="check (pass|fail)">[✓✗] ([^<]*)<\/li>/g)];
    for (const { facts } of seed000Questions) {
      for (const fact of facts) {
        expect(checks.filter((check) => check[2] === escapeHtml(fact)).length, fact).toBeGreaterThanOrEqual(
          3,
        );
      }
    }
    expect(new Set(checks.map((check) => check[1]))).toEqual(new Set(['pass', 'fail']));
    // The chart agrees with frugal compare: one point per candidate, the frontier through the optimal ones.
    const compared = JSON.parse(
      (await runCli(['compare', 'demo', '--store', store, '--json'], { cwd: directory })).stdout,
    );
    const optimal = compared.candidates.filter((candidate: { pareto: boolean }) => candidate.pareto).length;
    const marks = chartMarks(html);
    expect(marks.optimal + marks.dominated).toBe(3);
    expect(marks.optimal).toBe(optimal);
    expect(marks.frontierVertices).toBe(optimal);
    const png = readFileSync(join(directory, 'chart.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('refuses an unknown experiment and a missing output with a clear message', async () => {
    const unknown = await runCli(['report', 'nope', '--store', store, '-o', 'x.html'], { cwd: directory });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no run or experiment named 'nope'/);
    const missing = await runCli(['report', 'demo', '--store', store], { cwd: directory });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/-o report\.html is required/);
    const bar = await runCli(['report', 'demo', '--store', store, '-o', 'x.html', '--bar', '2'], {
      cwd: directory,
    });
    expect(bar.stderr).toMatch(/--bar must be between 0 and 1, got '2'/);
    const primary = await runCli(['report', 'demo', '--store', store, '-o', 'x.html', '--primary', 'nope'], {
      cwd: directory,
    });
    expect(primary.stderr).toMatch(/no scorer 'nope' in these runs \(correctness/);
  });
});

describe('the cost-vs-quality chart', () => {
  const candidate = (name: string, cost: bigint, mean: number, pareto: boolean): ReportCandidate => ({
    name,
    runId: `run-${name}`,
    simulated: false,
    scores: { accuracy: { kind: 'pass-fail', mean, low: mean - 0.1, high: mean + 0.1 } },
    tokens: { input: 100, output: 20 },
    cost: cost * 10n,
    judgeCost: undefined,
    costPerAnswer: cost,
    costPerQualityPoint: undefined,
    monthlyCost: undefined,
    latencyP50Ms: 500,
    pareto,
  });
  it('greys the dominated candidates, leaves unpriced ones out, and draws the frontier through the optimal', async () => {
    const report: ExperimentReport = {
      experiment: 'x',
      primary: 'accuracy',
      scorers: ['accuracy'],
      candidates: [
        candidate('cheap', 1_000_000n, 0.6, true),
        candidate('mid', 5_000_000n, 0.8, true),
        candidate('worse', 9_000_000n, 0.7, false),
        { ...candidate('unpriced', 1n, 0.9, false), costPerAnswer: undefined },
      ],
      simulated: false,
      questions: [],
      generatedAt: '2026-11-22T00:00:00.000Z',
    };
    const marks = chartMarks(await renderChartSvg(paretoChartSpec(report)));
    expect(marks).toEqual({ optimal: 2, dominated: 1, frontierVertices: 2 });
  });
});
