import type { EvalResultRecord } from '../../core/evals/eval-records.js';
import { formatUsd, type Picodollars, roundUsd } from '../../core/money.js';
import type { ScoreColumn } from '../../eval/compare/candidate-column.js';
import type { ComparedCandidate, Comparison } from '../../eval/compare/compare-runs.js';
import { renderPrompt } from '../../eval/render-prompt.js';
import { renderTable } from '../table.js';

const usd = (amount: Picodollars | undefined, decimals = 6) =>
  amount === undefined ? 'unpriced' : `$${formatUsd(amount, decimals)}`;
/** A derived amount (a mean, a projection), rounded half-to-even for reading; exact sums use `usd`. */
const about = (amount: Picodollars | undefined, decimals: number) =>
  amount === undefined ? '–' : `$${roundUsd(amount, decimals)}`;
const fixed = (value: number | undefined, digits = 2) => (value === undefined ? '–' : value.toFixed(digits));
const ms = (value: number | undefined) =>
  value === undefined ? '–' : `${Math.round(value).toLocaleString('en-US')} ms`;
const count = (value: number) => value.toLocaleString('en-US');

function scoreCell(score: ScoreColumn | undefined): string {
  if (score === undefined || score.mean === undefined) return score?.errors ? `errors: ${score.errors}` : '–';
  const interval = `${fixed(score.mean)} [${fixed(score.low)}, ${fixed(score.high)}]`;
  const notes = [
    ...(score.errors ? [`${score.errors} err`] : []),
    ...(score.agreement === undefined ? [] : [`judge agreed on ${Math.round(score.agreement * 100)}%`]),
  ];
  return notes.length > 0 ? `${interval} (${notes.join(', ')})` : interval;
}

const label = (candidate: ComparedCandidate) =>
  `${candidate.candidate}${candidate.model && candidate.model !== candidate.candidate ? ` (${candidate.model})` : ''}`;

/** Each scorer's mean with its 95% CI, per candidate: the run metrics, MLflow's `<scorer>/mean`. */
export function renderMetrics(comparison: Comparison): string {
  return renderTable(
    ['candidate', ...comparison.scorers.map((scorer) => `${scorer} (95% CI)`)],
    comparison.candidates.map((candidate) => [
      label(candidate),
      ...comparison.scorers.map((scorer) => scoreCell(candidate.scores[scorer])),
    ]),
  );
}

function verdict(value: boolean | number | undefined, error: string | undefined): string {
  if (error !== undefined) return 'err';
  if (value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value.toFixed(2);
}

/** Per question: each candidate's verdicts (`inputs/question`, `correctness/value`, ... in MLflow's terms). */
export function renderPerQuestion(
  comparison: Comparison,
  rows: ReadonlyMap<string, readonly EvalResultRecord[]>,
): string {
  const first = rows.get(comparison.candidates[0]?.runId ?? '') ?? [];
  const lines = first
    .filter((result) => result.repeat === 0)
    .map((result) => {
      const question = renderPrompt({
        id: result.rowId,
        index: result.rowIndex,
        inputs: result.inputs,
        expectations: {},
      });
      const cells = comparison.candidates.map((candidate) => {
        const mine = rows
          .get(candidate.runId)
          ?.find((each) => each.rowId === result.rowId && each.repeat === 0);
        if (mine === undefined) return 'not run';
        if (mine.error !== undefined) return 'failed';
        return comparison.scorers
          .map((scorer) => verdict(mine.scores[scorer]?.value, mine.scores[scorer]?.error))
          .join(' / ');
      });
      return [question.length > 48 ? `${question.slice(0, 47)}…` : question, ...cells];
    });
  return renderTable(['question', ...comparison.candidates.map((candidate) => candidate.candidate)], lines, [
    'left',
    ...comparison.candidates.map(() => 'left' as const),
  ]);
}

/** Tokens, candidate and judge cost, latency: what the seed reads from the traces, per candidate. */
export function renderUsage(comparison: Comparison): string {
  return renderTable(
    ['candidate', 'input tok', 'output tok', 'total tok', 'cost', 'judge cost', 'latency p50', 'p95'],
    comparison.candidates.map((candidate) => [
      candidate.candidate,
      count(candidate.tokens.input),
      count(candidate.tokens.output),
      count(candidate.tokens.total),
      usd(candidate.cost),
      candidate.judgeCost === undefined ? '–' : usd(candidate.judgeCost),
      ms(candidate.latency.p50),
      ms(candidate.latency.p95),
    ]),
  );
}

/**
 * Seed 000's comparison table, extended: primary score with CI, cost, cost per quality point (the seed's
 * `cost_per_correct_pct`), cost per answer, projected monthly cost, and the Pareto marks.
 */
export function renderComparisonTable(comparison: Comparison): string {
  const volume = comparison.monthlyVolume;
  const headers = [
    'pareto',
    'candidate',
    comparison.primary,
    'cost',
    `cost/${comparison.primary}`,
    'per answer',
    ...(volume === undefined ? [] : [`monthly @ ${count(volume)}`]),
    'p50',
  ];
  const lines = comparison.candidates.map((candidate) => [
    candidate.pareto ? '*' : '',
    candidate.candidate,
    scoreCell(candidate.scores[comparison.primary]),
    usd(candidate.cost),
    candidate.cost === undefined ? 'unpriced' : about(candidate.costPerQualityPoint, 6),
    about(candidate.costPerAnswer, 8),
    ...(volume === undefined ? [] : [about(candidate.monthlyCost, 2)]),
    ms(candidate.latency.p50),
  ]);
  return renderTable(headers, lines);
}

/** The recommendation in words, with the test behind it. */
export function renderRecommendation(comparison: Comparison): string {
  const byName = new Map(comparison.candidates.map((candidate) => [candidate.candidate, candidate]));
  const mean = (name: string) => fixed(byName.get(name)?.scores[comparison.primary]?.mean);
  const lines: string[] = [];
  if (comparison.best === undefined)
    return `No candidate has a priced ${comparison.primary} score to compare.\n`;
  lines.push(`Best ${comparison.primary}: ${comparison.best} (${mean(comparison.best)}).`);
  const pick = comparison.cheapestNotWorse;
  if (pick !== undefined && pick !== comparison.best) {
    const test = byName.get(pick)?.versusBest;
    const how =
      test === undefined
        ? ''
        : `: ${fixed(test.difference)} [${fixed(test.low)}, ${fixed(test.high)}] vs ${comparison.best}, ${test.method === 'mcnemar-exact' ? 'exact McNemar' : 'paired bootstrap'} p = ${test.pValue.toPrecision(2)} on ${test.n} rows`;
    lines.push(`Cheapest not significantly worse (p ≥ ${comparison.alpha}): ${pick} (${mean(pick)})${how}.`);
    if (test !== undefined && test.n < 30) {
      lines.push(
        `  With ${test.n} rows only large differences are significant: treat this as a shortlist, not a verdict.`,
      );
    }
  } else if (
    pick !== undefined &&
    comparison.candidates.some((candidate) => candidate.versusBest !== undefined)
  ) {
    lines.push(
      `Cheapest not significantly worse: ${pick} itself (every cheaper candidate is significantly worse).`,
    );
  }
  if (comparison.qualityBar !== undefined) {
    const bar = comparison.cheapestMeetingBar;
    lines.push(
      bar === undefined
        ? `No candidate reaches the quality bar of ${comparison.qualityBar} on ${comparison.primary}.`
        : `Cheapest meeting the bar ${comparison.primary} ≥ ${comparison.qualityBar}: ${bar} (${mean(bar)}).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function factLines(details: Readonly<Record<string, unknown>> | undefined): string[] {
  const facts = details?.['facts'];
  if (!Array.isArray(facts)) return [];
  return facts.map((entry) => {
    const fact = entry as { fact?: unknown; supported?: unknown; rationale?: unknown };
    const why = typeof fact.rationale === 'string' && fact.rationale !== '' ? ` (${fact.rationale})` : '';
    return `        ${fact.supported === true ? 'supported' : 'missing  '}  ${String(fact.fact)}${why}`;
  });
}

/**
 * Per row, per candidate: the answer, every score with its rationale, and per-fact verdicts — MLflow's
 * `result_df` (`inputs/question`, `correctness/value`, rationale), plus the verdict per expected fact.
 */
export function renderDetail(
  comparison: Comparison,
  rows: ReadonlyMap<string, readonly EvalResultRecord[]>,
): string {
  const first = rows.get(comparison.candidates[0]?.runId ?? '') ?? [];
  const out: string[] = [];
  for (const result of first) {
    const question = renderPrompt({
      id: result.rowId,
      index: result.rowIndex,
      inputs: result.inputs,
      expectations: {},
    });
    out.push(`${result.rowId}${result.repeat > 0 ? ` (repeat ${result.repeat + 1})` : ''}: ${question}`);
    for (const candidate of comparison.candidates) {
      const mine = rows
        .get(candidate.runId)
        ?.find((each) => each.rowId === result.rowId && each.repeat === result.repeat);
      if (mine === undefined) {
        out.push(`  ${candidate.candidate}: not run`);
        continue;
      }
      const cost = mine.cost === undefined ? 'unpriced' : `$${formatUsd(mine.cost)}`;
      const flags = [
        mine.cached ? 'cached' : undefined,
        mine.traceId ? `trace ${mine.traceId}` : undefined,
      ].filter(Boolean);
      out.push(`  ${candidate.candidate} (${cost}${flags.length ? `, ${flags.join(', ')}` : ''}):`);
      if (mine.error !== undefined) {
        out.push(`    failed: ${mine.error}`);
        continue;
      }
      out.push(`    answer: ${(mine.output ?? '').replace(/\s+/g, ' ').trim()}`);
      for (const [scorer, score] of Object.entries(mine.scores)) {
        const why = score.error ?? score.rationale;
        out.push(`    ${scorer}: ${verdict(score.value, score.error)}${why ? ` — ${why}` : ''}`);
        out.push(...factLines(score.details));
      }
    }
    out.push('');
  }
  return out.join('\n');
}
