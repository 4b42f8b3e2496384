import { dollarsText } from '../../core/analysis/dollars-text.js';
import type { Comparison } from '../../eval/compare/compare-runs.js';
import { compareScores, type ScoreComparison } from '../../eval/metrics/compare-scores.js';
import { renderTable } from '../table.js';

/** A compressed variant of a candidate, as `frugal compress` made it. */
export type CompressedVariant = {
  readonly method: string;
  /** Its candidate name in the experiment (`<original>~<method>`). */
  readonly candidate: string;
  /** Tokens of its system prompt and prompt template. */
  readonly promptTokens: number;
  /** The compressed texts, shown so that a reader can judge them too. */
  readonly systemPrompt?: string | undefined;
  readonly prompt?: string | undefined;
};

export type VariantVerdict = {
  readonly method: string;
  readonly candidate: string;
  readonly promptTokens: number;
  readonly promptTokensSaved: number;
  readonly inputTokensPerCall: number | undefined;
  readonly versusOriginal: ScoreComparison | undefined;
  readonly monthlySaving: bigint | undefined;
  readonly recommended: boolean;
  readonly why: string;
};

/**
 * Each variant against the original on the primary scorer (paired on the same rows: exact McNemar or paired
 * bootstrap, as `frugal compare`), with the tokens and money it saves. Recommended only when it is cheaper and
 * shown non-inferior: the lower end of the difference's 95% interval is at least −`margin` (default 0.05).
 * "Not significantly worse" is not enough — on a few rows every variant is — so a small dataset recommends none.
 */
export function compressionSummary(
  comparison: Comparison,
  original: { readonly name: string; readonly promptTokens: number },
  variants: readonly CompressedVariant[],
  margin = 0.05,
): { text: string; json: VariantVerdict[] } {
  const column = (name: string) => comparison.candidates.find((candidate) => candidate.candidate === name);
  const base = column(original.name);
  const primary = comparison.primary;
  const perCall = (name: string) => {
    const found = column(name);
    return found === undefined || found.results === 0 ? undefined : found.tokens.input / found.results;
  };
  const verdicts = variants.map((variant): VariantVerdict => {
    const candidate = column(variant.candidate);
    const scores = (found: typeof base) => found?.byRow.get(primary) ?? new Map();
    const kind = base?.scores[primary]?.kind ?? 'numeric';
    const versus =
      base && candidate ? compareScores(kind, scores(base), scores(candidate), { seed: 7 }) : undefined;
    const monthlySaving =
      base?.monthlyCost !== undefined && candidate?.monthlyCost !== undefined
        ? base.monthlyCost - candidate.monthlyCost
        : undefined;
    const cheaper = base?.cost !== undefined && candidate?.cost !== undefined && candidate.cost < base.cost;
    const worse = versus !== undefined && versus.difference < 0 && versus.pValue < comparison.alpha;
    const shownClose = versus !== undefined && versus.low >= -margin;
    const recommended = cheaper && shownClose;
    const why =
      versus === undefined
        ? 'no paired scores'
        : worse
          ? `significantly worse (p = ${versus.pValue.toFixed(3)})`
          : !shownClose
            ? `not shown within ${margin} of the original (interval down to ${signed(versus.low)}): more rows needed`
            : !cheaper
              ? 'not cheaper'
              : `within ${margin} of the original (95% interval) and cheaper`;
    return {
      method: variant.method,
      candidate: variant.candidate,
      promptTokens: variant.promptTokens,
      promptTokensSaved: original.promptTokens - variant.promptTokens,
      inputTokensPerCall: perCall(variant.candidate),
      versusOriginal: versus,
      monthlySaving,
      recommended,
      why,
    };
  });
  const rows = verdicts.map((verdict) => [
    verdict.candidate,
    `${verdict.promptTokens} (${verdict.promptTokensSaved >= 0 ? '-' : '+'}${Math.abs(verdict.promptTokensSaved)})`,
    verdict.inputTokensPerCall === undefined ? '—' : verdict.inputTokensPerCall.toFixed(1),
    verdict.versusOriginal === undefined
      ? '—'
      : `${signed(verdict.versusOriginal.difference)} (${signed(verdict.versusOriginal.low)} to ${signed(verdict.versusOriginal.high)})`,
    verdict.monthlySaving === undefined ? '—' : dollarsText(verdict.monthlySaving),
    verdict.recommended ? 'recommended' : `no: ${verdict.why}`,
  ]);
  const baseRow = [
    original.name,
    String(original.promptTokens),
    perCall(original.name)?.toFixed(1) ?? '—',
    'baseline',
    '',
    '',
  ];
  const text = [
    `Compression (primary scorer ${primary}; differences are the variant minus the original, 95% interval, same rows):`,
    renderTable(
      ['candidate', 'prompt tokens', 'input tokens/call', `Δ ${primary}`, 'monthly saving', 'verdict'],
      [baseRow, ...rows],
    ),
    ...(comparison.simulated ? ['(SIMULATED: the offline simulator answered, not a real model)'] : []),
    ...variants.flatMap((variant) => [
      ...(variant.systemPrompt === undefined
        ? []
        : [`${variant.candidate} system_prompt: ${variant.systemPrompt}`]),
      ...(variant.prompt === undefined ? [] : [`${variant.candidate} prompt: ${variant.prompt}`]),
    ]),
  ].join('\n');
  return { text, json: verdicts };
}

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
