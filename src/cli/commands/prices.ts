import { loadConfig } from '../../config/load-config.js';
import { UsageError } from '../../core/errors.js';
import { formatUsd } from '../../core/money.js';
import { catalogInfo } from '../../core/prices/catalog-entries.js';
import { defaultPriceBook } from '../../core/prices/default-price-book.js';
import type { Resolved } from '../../core/prices/price-book.js';
import type { PriceEntry, TokenRates } from '../../core/prices/price-entry.js';
import { rateNames } from '../../core/prices/price-entry.js';
import { formatPerMillion } from '../../core/prices/price-per-million.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { renderTable } from '../table.js';

const help = `usage: frugal prices search <text> [--limit N] [--json]
       frugal prices show <model> [--json]

The price catalog: ${catalogInfo.models} models from ${catalogInfo.providers} providers, from ${catalogInfo.source.name}
(${catalogInfo.source.repository}, ${catalogInfo.source.license}), synced ${catalogInfo.source.synced}; plus your frugal.yaml.

  search <text>   models whose id is closest to the text, best first, with input/output USD per 1M tokens
  show <model>    every rate of one model (standard, cached, cache writes, reasoning, batch, priority/flex
                  tiers, long-context bands), its context window, max output and the price's source

options:
  --limit N            search results to list (default 20)
  --date YYYY-MM-DD    the price in force on that day (default: today, UTC)
  --config FILE        price overrides and custom models (default: ./frugal.yaml if it exists)
  --json               one JSON document; amounts are exact decimal strings of USD per 1M tokens`;

const options = {
  limit: { type: 'string' },
  date: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const rateLabels = ['input', 'cached input', 'cache write 5m', 'cache write 1h', 'output', 'reasoning'];
const usd = (rate: bigint | undefined) => (rate === undefined ? null : formatPerMillion(rate));

/** `frugal prices`: search the catalog, or show every rate of one model. */
export const pricesCommand: Command = {
  name: 'prices',
  summary: 'search and show the price catalog',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('prices', args, options, { maxPositionals: 2 });
    const [action, text] = positionals;
    if ((action !== 'search' && action !== 'show') || text === undefined || text.trim() === '') {
      throw new UsageError(
        "frugal prices: expected 'search <text>' or 'show <model>' (see 'frugal prices --help')",
      );
    }
    const date = values.date ?? io.today();
    if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) {
      throw new UsageError(`frugal prices: --date must be YYYY-MM-DD, got '${date}'`);
    }
    const config = await loadConfig(io.readText, values.config);
    const book = config ? defaultPriceBook().withPrices(config.prices) : defaultPriceBook();
    if (action === 'search') {
      const limit = values.limit === undefined ? 20 : integerOption('prices', 'limit', values.limit, 1);
      const hits = book
        .search(text, limit)
        .filter((hit) => hit.score >= 0.45)
        .map((hit) => book.resolve(hit.id, { on: date }))
        .filter((resolution): resolution is Resolved => resolution.status === 'found');
      if (values.json)
        io.stdout(
          `${JSON.stringify(
            hits.map((hit) => summaryJson(hit.entry)),
            null,
            2,
          )}\n`,
        );
      else if (hits.length === 0) io.stdout(`no model matches '${text}'\n`);
      else io.stdout(`${searchTable(hits.map((hit) => hit.entry))}\n`);
      return 0;
    }
    const resolution = book.resolve(text, { on: date });
    if (resolution.status === 'unpriced') {
      io.stderr(`frugal prices: ${resolution.message}\n`);
      return 2;
    }
    const history = book.history(resolution.id);
    io.stdout(
      `${values.json ? JSON.stringify(showJson(resolution, history), null, 2) : showText(resolution, history)}\n`,
    );
    return 0;
  },
};

function searchTable(entries: readonly PriceEntry[]): string {
  const rows = entries.map((entry) => {
    const [input, output] =
      entry.kind === 'tokens'
        ? [formatPerMillion(entry.rates.input), usd(entry.rates.output) ?? '—']
        : [`GPU $${formatUsd(entry.gpu.hourlyPerGpu)}/h`, ''];
    const context = entry.contextWindow === undefined ? '—' : entry.contextWindow.toLocaleString('en-US');
    return [entry.id, entry.provider, entry.mode, input, output, context];
  });
  const headers = ['model', 'provider', 'mode', 'input $/1M', 'output $/1M', 'context'];
  return renderTable(headers, rows, ['left', 'left', 'left', 'right', 'right', 'right']);
}

function summaryJson(entry: PriceEntry) {
  return {
    model: entry.id,
    provider: entry.provider,
    mode: entry.mode,
    input_usd_per_1m: entry.kind === 'tokens' ? formatPerMillion(entry.rates.input) : null,
    output_usd_per_1m: entry.kind === 'tokens' ? usd(entry.rates.output) : null,
    context_window: entry.contextWindow ?? null,
    source: entry.source,
  };
}

function ratesJson(rates: TokenRates | undefined) {
  if (rates === undefined || Object.keys(rates).length === 0) return null;
  const snake = (name: string) =>
    name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`).replace('1h', '_1h');
  return Object.fromEntries(
    rateNames.filter((name) => rates[name] !== undefined).map((name) => [snake(name), usd(rates[name])]),
  );
}

function showJson(resolution: Resolved, history: readonly PriceEntry[]) {
  const { entry } = resolution;
  const pricing =
    entry.kind === 'gpu-hours'
      ? {
          gpu: {
            hourly_usd_per_gpu: formatUsd(entry.gpu.hourlyPerGpu),
            count: entry.gpu.gpuCount,
            concurrency: entry.gpu.concurrency ?? null,
            tokens_per_second: entry.gpu.tokensPerSecond ?? null,
          },
        }
      : {
          rates: ratesJson(entry.rates),
          batch: ratesJson(entry.batch),
          priority: ratesJson(entry.tiers.priority),
          flex: ratesJson(entry.tiers.flex),
          bands: entry.bands.map((band) => ({
            kind: band.kind,
            above_input_tokens: band.aboveInputTokens,
            inclusive: band.inclusive,
            up_to_input_tokens: band.upToInputTokens ?? null,
            rates: ratesJson(band.rates),
            priority: ratesJson(band.tiers.priority),
            flex: ratesJson(band.tiers.flex),
          })),
        };
  return {
    model: entry.id,
    requested: resolution.requested,
    match: resolution.match,
    match_note: resolution.note,
    provider: entry.provider,
    mode: entry.mode,
    context_window: entry.contextWindow ?? null,
    max_output: entry.maxOutput ?? null,
    source: entry.source,
    effective_from: entry.effectiveFrom ?? null,
    units: 'USD per 1M tokens',
    ...pricing,
    history: history.map((item) => ({ effective_from: item.effectiveFrom ?? null, source: item.source })),
  };
}

function showText(resolution: Resolved, history: readonly PriceEntry[]): string {
  const { entry } = resolution;
  const tokens = (count: number | undefined) => (count === undefined ? '—' : count.toLocaleString('en-US'));
  const lines = [
    `${entry.id} (${entry.provider}, ${entry.mode})${resolution.match === 'exact' ? '' : ` — ${resolution.note}`}`,
    `source: ${entry.source}${entry.effectiveFrom ? `, effective from ${entry.effectiveFrom}` : ''}`,
    `context window: ${tokens(entry.contextWindow)} tokens; max output: ${tokens(entry.maxOutput)} tokens`,
    '',
  ];
  if (entry.kind === 'gpu-hours') {
    const { gpu } = entry;
    const per =
      gpu.concurrency === undefined ? `${gpu.tokensPerSecond} tokens/s` : `concurrency ${gpu.concurrency}`;
    lines.push(`self-hosted: $${formatUsd(gpu.hourlyPerGpu)} per GPU-hour × ${gpu.gpuCount} GPU(s), ${per}`);
  } else {
    const rows: string[][] = [];
    const row = (label: string, rates: TokenRates | undefined) => {
      if (rates !== undefined && Object.keys(rates).length > 0) {
        rows.push([label, ...rateNames.map((name) => usd(rates[name]) ?? '—')]);
      }
    };
    row('standard', entry.rates);
    row('batch', entry.batch);
    row('priority', entry.tiers.priority);
    row('flex', entry.tiers.flex);
    for (const band of entry.bands) {
      const label = `input ${band.inclusive ? '≥' : '>'} ${band.aboveInputTokens.toLocaleString('en-US')}`;
      row(label, band.rates);
      row(`${label}, priority`, band.tiers.priority);
      row(`${label}, flex`, band.tiers.flex);
    }
    lines.push(
      renderTable(['USD per 1M tokens', ...rateLabels], rows, [
        'left',
        ...rateLabels.map(() => 'right' as const),
      ]),
    );
    lines.push(
      '',
      '— = no such rate: cache rates then use the input rate, reasoning the output rate; a missing',
    );
    lines.push('batch rate is half price; a tier or band tier with no rate cannot be priced (never $0).');
    if (entry.bands.length > 0)
      lines.push('A long-context band prices the whole request once the input passes it.');
  }
  if (history.length > 1) {
    lines.push('', 'price history:');
    for (const item of history) lines.push(`  ${item.effectiveFrom ?? 'always'}  ${item.source}`);
  }
  return lines.join('\n');
}
