import { dollarsText } from '../../core/analysis/dollars-text.js';
import { formatRational, parseDecimal, type Rational } from '../../core/analysis/rational.js';
import { UsageError } from '../../core/errors.js';
import { embedderFromSpec } from '../../optimize/semantic-cache/embedder-spec.js';
import { readLabelledPairs } from '../../optimize/semantic-cache/labelled-pairs.js';
import { pairSimilarities } from '../../optimize/semantic-cache/pair-similarities.js';
import { separationQuality } from '../../optimize/semantic-cache/separation-quality.js';
import {
  type Calibration,
  calibrateThresholds,
} from '../../optimize/semantic-cache/threshold-calibration.js';
import { integerOption, numberOption, parseCommandArgs } from '../args.js';
import type { Command, CommandIo } from '../command.js';
import { renderTable } from '../table.js';

const defaultThresholds = [0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.95, 0.98, 0.99];

const help = `usage: frugal cache calibrate --pairs FILE [options]

Chooses the semantic cache's similarity threshold from labelled question pairs: for each threshold,
how many pairs the cache would answer, how many of those answers would be wrong, what that saves a
month, and the risk level; then recommends the threshold for a false-hit budget.

  --pairs FILE             JSON Lines: {"text_a": ..., "text_b": ..., "label": 1|0} per line, 1 = same
                           question (e.g. ../shared/data/semantic_cache/qqp_pairs_sample_4000.jsonl)
  --embedder SPEC          local (default; the built-in lexical hashing embedder, 384 dimensions),
                           local:<dimensions>, or openai:<model>@<base-url> for any OpenAI-compatible
                           /embeddings endpoint (key from $OPENAI_API_KEY or --api-key-env)
  --dimensions N           vector length (openai default 1536; when given it is also sent in the request)
  --api-key-env NAME       environment variable holding the API key (default OPENAI_API_KEY)
  --volume N               queries per month (default 100000)
  --cost-per-query USD     what one LLM call costs (default 0.01)
  --max-false-hits RATE    false-hit budget for the recommendation, 0..1 (default 0.01)
  --thresholds a,b,...     thresholds to tabulate (default ${defaultThresholds.join(',')})
  --json                   one JSON object

Each pair is read as (cached question, incoming question); similarity is the cosine of their vectors.
  Hit Rate          pairs with similarity ≥ threshold / all pairs
  False Hits        hits on non-duplicate pairs / hits: the share of cache-served answers that are wrong
  Monthly Savings   volume × hit rate × (1 − false hits) × cost per query: wrong answers save nothing
  Risk Level        HIGH above 5% false hits, MEDIUM above 1%, else LOW
Recommended: the lowest threshold (most savings) whose false-hit rate is within the budget.
Rates carry the file's mix of pairs (38% duplicates in the Quora sample), not your traffic's repeat rate.`;

const options = {
  pairs: { type: 'string' },
  embedder: { type: 'string' },
  dimensions: { type: 'string' },
  'api-key-env': { type: 'string' },
  volume: { type: 'string' },
  'cost-per-query': { type: 'string' },
  'max-false-hits': { type: 'string' },
  thresholds: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

function parseThresholds(text: string): number[] {
  return text.split(',').map((item) => {
    const value = numberOption('cache calibrate', 'thresholds', item);
    if (value <= 0 || value > 1) {
      throw new UsageError(`frugal cache calibrate: --thresholds must be in (0, 1], got '${item}'`);
    }
    return value;
  });
}

function parseCost(text: string): Rational {
  try {
    const cost = parseDecimal(text);
    if (cost.numerator >= 0n) return cost;
  } catch {}
  throw new UsageError(`frugal cache calibrate: --cost-per-query must be a dollar amount ≥ 0, got '${text}'`);
}

/** `frugal cache calibrate`: the threshold table from labelled pairs. */
async function calibrate(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseCommandArgs('cache calibrate', args, options, { maxPositionals: 0 });
  if (values.pairs === undefined) {
    throw new UsageError("frugal cache calibrate: --pairs FILE is required (see 'frugal cache --help')");
  }
  const dimensions =
    values.dimensions === undefined
      ? undefined
      : integerOption('cache calibrate', 'dimensions', values.dimensions, 1);
  const volume = integerOption('cache calibrate', 'volume', values.volume ?? '100000', 0);
  const costPerQuery = parseCost(values['cost-per-query'] ?? '0.01');
  const budget = numberOption('cache calibrate', 'max-false-hits', values['max-false-hits'] ?? '0.01');
  if (budget > 1)
    throw new UsageError(`frugal cache calibrate: --max-false-hits must be at most 1, got ${budget}`);
  const thresholds = values.thresholds === undefined ? defaultThresholds : parseThresholds(values.thresholds);
  const spec = values.embedder ?? 'local';
  const embedder = embedderFromSpec(spec, {
    dimensions,
    apiKey: io.env[values['api-key-env'] ?? 'OPENAI_API_KEY'],
  });
  const pairs = readLabelledPairs(await io.readText(values.pairs), values.pairs);
  const labels = pairs.map((pair) => pair.duplicate);
  const { similarities, inputTokens } = await pairSimilarities(embedder, pairs);
  const quality = separationQuality(similarities, labels);
  const calibration = calibrateThresholds(similarities, labels, {
    thresholds,
    volume: BigInt(volume),
    costPerQuery,
    maxFalseHitRate: budget,
  });
  const settings = { embedder: embedder.id, volume, costPerQuery: formatRational(costPerQuery, 12), budget };
  if (values.json) {
    io.stdout(`${JSON.stringify(jsonReport(calibration, quality, settings, inputTokens), null, 2)}\n`);
    return 0;
  }
  const table = renderTable(
    ['Threshold', 'Hit Rate', 'False Hits', 'Monthly Savings', 'Risk Level'],
    calibration.rows.map((row) => [
      row.threshold.toFixed(2),
      percent(row.hitRate),
      percent(row.falseHitRate),
      dollarsText(row.monthlySavings),
      row.risk,
    ]),
    ['right', 'right', 'right', 'right', 'right'],
  );
  const count = (n: number) => n.toLocaleString('en-US');
  const lines = [
    `Semantic cache threshold calibration: ${count(calibration.pairs)} labelled pairs from ${values.pairs} ` +
      `(${count(calibration.duplicates)} duplicates), embedder ${embedder.id}` +
      (embedder.local ? ' (lexical, not semantic)' : ''),
    `Separation: ROC AUC ${quality.rocAuc.toFixed(3)} (0.5 = chance); best F1 ${quality.bestF1.f1.toFixed(3)} ` +
      `at similarity ${quality.bestF1.threshold.toFixed(3)}`,
    '',
    table,
    '',
    `Savings at ${count(volume)} queries/month and $${formatRational(costPerQuery, 12)} per query; ` +
      'false hits = wrong answers among hits.',
    recommendation(calibration, budget),
  ];
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

function recommendation(calibration: Calibration, budget: number): string {
  const chosen = calibration.recommended;
  if (chosen !== undefined) {
    return (
      `Recommended: ${chosen.threshold.toFixed(2)}, the lowest threshold with false hits ≤ ${percent(budget)} ` +
      `(${percent(chosen.falseHitRate)}; hit rate ${percent(chosen.hitRate)}, ${dollarsText(chosen.monthlySavings)}/month).`
    );
  }
  const withHits = calibration.rows.filter((row) => row.hits > 0);
  const safest = withHits.reduce<(typeof withHits)[number] | undefined>(
    (best, row) => (best === undefined || row.falseHitRate < best.falseHitRate ? row : best),
    undefined,
  );
  const lowest = safest
    ? ` (the lowest is ${percent(safest.falseHitRate)}, at ${safest.threshold.toFixed(2)})`
    : '';
  return (
    `Recommended: none. No threshold keeps false hits ≤ ${percent(budget)}${lowest}: do not serve semantic ` +
    'hits with this embedder on questions like these; raise --max-false-hits or try a learned embedder.'
  );
}

function jsonReport(
  calibration: Calibration,
  quality: ReturnType<typeof separationQuality>,
  settings: Record<string, unknown>,
  inputTokens: number | undefined,
) {
  const row = (item: Calibration['rows'][number]) => ({
    ...item,
    monthlySavings: dollarsText(item.monthlySavings).replace(/[$,]/g, ''),
    monthlySavingsPicodollars: item.monthlySavings.toString(),
  });
  return {
    ...settings,
    pairs: calibration.pairs,
    duplicates: calibration.duplicates,
    embeddingInputTokens: inputTokens ?? null,
    rocAuc: quality.rocAuc,
    bestF1: quality.bestF1,
    rows: calibration.rows.map(row),
    recommended: calibration.recommended === undefined ? null : row(calibration.recommended),
  };
}

/** `frugal cache`: semantic cache tools. */
export const cacheCommand: Command = {
  name: 'cache',
  summary: 'calibrate the semantic cache threshold on labelled question pairs',
  help,
  async run(args, io) {
    const [subcommand, ...rest] = args;
    if (subcommand === 'calibrate') return calibrate(rest, io);
    throw new UsageError(
      `frugal cache: ${subcommand === undefined ? 'expected a subcommand' : `unknown subcommand '${subcommand}'`}: calibrate (see 'frugal cache --help')`,
    );
  },
};
