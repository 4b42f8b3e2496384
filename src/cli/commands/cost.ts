import { loadConfig } from '../../config/load-config.js';
import { cost } from '../../core/cost/cost.js';
import type { CostComponent, PricedCost } from '../../core/cost/cost-result.js';
import { costComponents } from '../../core/cost/cost-result.js';
import { UsageError } from '../../core/errors.js';
import { formatUsd } from '../../core/money.js';
import { defaultPriceBook } from '../../core/prices/default-price-book.js';
import { formatPerMillion } from '../../core/prices/price-per-million.js';
import { type Usage, type UsageField, validateUsage } from '../../core/usage.js';
import { choiceOption, integerOption, parseCommandArgs, tokenCount } from '../args.js';
import type { Command } from '../command.js';
import { renderTable } from '../table.js';

const help = `usage: frugal cost --model <name> --input N --output N [options]

Exact cost of one LLM call from its token usage, with its breakdown and the price it used
(frugal's catalog of LiteLLM's prices, or your frugal.yaml). Costs are exact decimals.

Token counts (non-negative integers), in frugal's one convention:
  --input N             every prompt token billed, INCLUDING cached reads and cache writes
  --cached-input N      the part of --input read from the prompt cache
  --cache-write N       the part of --input written to the prompt cache (5-minute rate)
  --cache-write-1h N    the part of --input written to the prompt cache at the 1-hour rate
  --output N            every generated token billed, INCLUDING reasoning tokens (0 for embeddings)
  --reasoning N         the part of --output spent on hidden reasoning

options:
  --model <name>        a catalog id or a common spelling of one: gpt-4o, openai/gpt-4o,
                        bedrock/us.anthropic.claude-..., vertex_ai/...@date, gpt-4o-2024-08-06
  --batch               batch-API pricing: the model's batch rates, else half price
  --tier priority|flex  service tier; a model with no price for it is an error, not standard rates
  --date YYYY-MM-DD     use the price in force on that day (default: today, UTC)
  --duration-ms N       measured duration, for self-hosted models priced per GPU-hour
  --config FILE         price overrides and custom models (default: ./frugal.yaml if it exists)
  --json                one JSON object: model, cost_usd, breakdown, rates, price_source, match, ...

An unknown model exits with code 2 and close names; it is never priced at $0.`;

const options = {
  model: { type: 'string' },
  input: { type: 'string' },
  output: { type: 'string' },
  'cached-input': { type: 'string' },
  'cache-write': { type: 'string' },
  'cache-write-1h': { type: 'string' },
  reasoning: { type: 'string' },
  batch: { type: 'boolean' },
  tier: { type: 'string' },
  date: { type: 'string' },
  'duration-ms': { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const flagOf: Record<UsageField, string> = {
  input: '--input',
  cachedInput: '--cached-input',
  cacheWrite: '--cache-write',
  cacheWrite1h: '--cache-write-1h',
  output: '--output',
  reasoning: '--reasoning',
};

const labels: Record<CostComponent, string> = {
  freshInput: 'fresh input',
  cachedInput: 'cached input',
  cacheWrite: 'cache write 5m',
  cacheWrite1h: 'cache write 1h',
  output: 'output',
  reasoning: 'reasoning',
};

/** `frugal cost`: the exact cost of one call from its token counts. */
export const costCommand: Command = {
  name: 'cost',
  summary: 'exact cost of one call from its token usage',
  help,
  async run(args, io) {
    const { values } = parseCommandArgs('cost', args, options, { maxPositionals: 0 });
    const model = values.model;
    if (model === undefined || model.trim() === '') throw new UsageError('frugal cost: --model is required');
    const count = (flag: keyof typeof options) =>
      tokenCount('cost', flag, values[flag] as string | undefined);
    const usage: Usage = {
      input: count('input'),
      cachedInput: count('cached-input'),
      cacheWrite: count('cache-write'),
      cacheWrite1h: count('cache-write-1h'),
      output: count('output'),
      reasoning: count('reasoning'),
    };
    if (usage.input === undefined) throw new UsageError('frugal cost: --input is required');
    if (usage.output === undefined)
      throw new UsageError('frugal cost: --output is required (0 for embeddings)');
    const problem = validateUsage(usage)[0];
    if (problem) {
      const prefix = problem.message.startsWith('must be') ? `${flagOf[problem.field]} ` : '';
      throw new UsageError(`frugal cost: ${prefix}${flagNames(problem.message)}`);
    }
    const tier =
      values.tier === undefined
        ? 'standard'
        : choiceOption('cost', 'tier', values.tier, ['priority', 'flex']);
    if (values.batch && tier !== 'standard') {
      throw new UsageError(`frugal cost: --batch and --tier ${tier} cannot be combined`);
    }
    const date = values.date ?? io.today();
    if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) {
      throw new UsageError(`frugal cost: --date must be YYYY-MM-DD, got '${date}'`);
    }
    const durationMs =
      values['duration-ms'] === undefined
        ? undefined
        : integerOption('cost', 'duration-ms', values['duration-ms'], 0);
    const config = await loadConfig(io.readText, values.config);
    const book = config ? defaultPriceBook().withPrices(config.prices) : defaultPriceBook();
    const result = cost(usage, model, { tier, batch: values.batch === true, on: date, durationMs, book });
    if (result.status === 'unpriced') {
      io.stderr(`frugal cost: ${result.message}\n`);
      return 2;
    }
    const provider = book.resolve(result.model, { on: date });
    const providerName = provider.status === 'found' ? provider.entry.provider : 'unknown';
    io.stdout(
      `${values.json ? JSON.stringify(costJson(result, providerName), null, 2) : costText(result, providerName)}\n`,
    );
    return 0;
  },
};

/** validateUsage speaks in field names; the CLI user typed flags. */
function flagNames(message: string): string {
  return message
    .replace('cached input + cache writes', '--cached-input + --cache-write + --cache-write-1h')
    .replace(/\breasoning \(/, '--reasoning (')
    .replace(/\bexceed input\b/, 'exceed --input')
    .replace(/\bexceeds output\b/, 'exceeds --output')
    .replace(/; (input|output) must include/, '; --$1 must include');
}

/** The --json shape: exact decimal strings for every amount and rate (USD per 1M tokens). */
function costJson(result: PricedCost, provider: string) {
  const snake = (name: string) =>
    name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`).replace('1h', '_1h');
  const breakdown: Record<string, string> = {};
  const tokens: Record<string, number> = {};
  const rates: Record<string, string | null> = {};
  for (const component of costComponents) {
    breakdown[snake(component)] = formatUsd(result.breakdown[component]);
    tokens[snake(component)] = result.tokens[component];
    const rate = result.rates[component];
    rates[snake(component)] = rate === undefined ? null : formatPerMillion(rate);
  }
  if (result.breakdown.gpuTime > 0n) breakdown['gpu_time'] = formatUsd(result.breakdown.gpuTime);
  breakdown['batch_discount'] = formatUsd(-result.breakdown.batchDiscount);
  return {
    model: result.model,
    provider,
    requested: result.match?.requested ?? result.model,
    match: result.match?.kind ?? 'exact',
    match_note: result.match?.note ?? 'exact id',
    cost_usd: formatUsd(result.total),
    breakdown,
    tokens,
    rates_usd_per_1m: rates,
    price_source: result.source,
    effective_from: result.effectiveFrom ?? null,
    tier: result.tier,
    band: result.band
      ? {
          kind: result.band.kind,
          above_input_tokens: result.band.aboveInputTokens,
          inclusive: result.band.inclusive,
        }
      : null,
    batch: result.batch,
    notes: result.notes,
  };
}

/** Human output: what was priced, a table of the parts with a total, and any notes. */
function costText(result: PricedCost, provider: string): string {
  const rows: string[][] = [];
  for (const component of costComponents) {
    const tokens = result.tokens[component];
    if (tokens === 0 && component !== 'freshInput' && component !== 'output') continue;
    const rate = result.rates[component];
    const rateText = rate === undefined ? '—' : formatPerMillion(rate);
    rows.push([
      labels[component],
      tokens.toLocaleString('en-US'),
      rateText,
      `$${formatUsd(result.breakdown[component], 6)}`,
    ]);
  }
  if (result.breakdown.gpuTime > 0n)
    rows.push(['GPU time', '', '', `$${formatUsd(result.breakdown.gpuTime, 6)}`]);
  if (result.breakdown.batchDiscount > 0n) {
    rows.push(['batch discount (half price)', '', '', `-$${formatUsd(result.breakdown.batchDiscount, 6)}`]);
  }
  rows.push(['total', '', '', `$${formatUsd(result.total, 6)}`]);
  const lines = [
    `${result.model} (${provider})${result.match && result.match.kind !== 'exact' ? ` — ${result.match.note}` : ''}`,
    `price: ${result.source}${result.effectiveFrom ? `, effective from ${result.effectiveFrom}` : ''}; tier: ${result.tier}` +
      `${result.band ? `; long-context band: input ${result.band.inclusive ? '≥' : '>'} ${result.band.aboveInputTokens.toLocaleString('en-US')} tokens` : ''}` +
      `${result.batch === 'none' ? '' : `; batch: ${result.batch}`}`,
    '',
    renderTable(['', 'tokens', '$/1M tokens', 'cost'], rows, ['left', 'right', 'right', 'right']),
    ...result.notes.map((note) => `note: ${note}`),
  ];
  return lines.join('\n');
}
