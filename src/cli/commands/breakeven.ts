import {
  type ApiTokenPricing,
  analyzeBreakEven,
  type BreakEvenAnalysis,
  costsAtVolume,
  type VolumeCosts,
} from '../../core/analysis/break-even.js';
import { breakEvenVerdict } from '../../core/analysis/break-even-verdict.js';
import { dollarsText, perQueryDollarsText } from '../../core/analysis/dollars-text.js';
import {
  compareRationals,
  formatRational,
  multiplyRationals,
  parseDecimal,
  type Rational,
  rational,
  rationalToPicodollars,
} from '../../core/analysis/rational.js';
import { UsageError } from '../../core/errors.js';
import { formatUsd } from '../../core/money.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { renderTable } from '../table.js';

const help = `usage: frugal breakeven --api-per-1m USD --tokens-per-query N --gpu-monthly USD
                        --self-host-per-1m USD [options]

When does self-hosting a model cost less than calling an API? The API costs a price per token;
self-hosting costs a fixed GPU bill per month plus a small marginal cost per token. Prints the
break-even volume (queries per month) and both monthly costs over a range of volumes.

API price, either blended:
  --api-per-1m USD             API price per 1M tokens (input and output together)
  --tokens-per-query N         tokens per query (input + output)
or priced apart:
  --api-input-per-1m USD       API input price per 1M tokens
  --api-output-per-1m USD      API output price per 1M tokens
  --input-tokens N             input tokens per query
  --output-tokens N            output tokens per query
Self-hosting:
  --gpu-monthly USD            fixed monthly cost (per GPU when --gpu-tokens-per-second is given)
  --self-host-per-1m USD       marginal self-hosting cost per 1M tokens (power, egress...)
  --gpu-tokens-per-second N    optional: sustained throughput of one GPU; each time traffic fills
                               the GPUs another one is added, so the fixed cost steps up
  --utilization SHARE          part (0..1] of that throughput usable on average (default 1)
  --days-per-month N           days in a month (default 30)
Output:
  --volumes a,b,c              queries per month to tabulate; 10k, 2.5M and 1B are accepted
                               (default: 10k, 100k, 1M, 10M, 100M and the break-even volumes)
  --json                       one JSON object

Amounts are exact decimals. Volumes are monthly rates; break-even volumes are rounded up to
whole queries.`;

const options = {
  'api-per-1m': { type: 'string' },
  'tokens-per-query': { type: 'string' },
  'api-input-per-1m': { type: 'string' },
  'api-output-per-1m': { type: 'string' },
  'input-tokens': { type: 'string' },
  'output-tokens': { type: 'string' },
  'gpu-monthly': { type: 'string' },
  'self-host-per-1m': { type: 'string' },
  'gpu-tokens-per-second': { type: 'string' },
  utilization: { type: 'string' },
  'days-per-month': { type: 'string' },
  volumes: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Values = {
  readonly [K in keyof typeof options]?: (typeof options)[K]['type'] extends 'boolean' ? boolean : string;
};

/** `frugal breakeven`: self-host vs API break-even volume and a table of monthly costs. */
export const breakevenCommand: Command = {
  name: 'breakeven',
  summary: 'self-host vs API break-even volume',
  help,
  async run(args, io) {
    const { values } = parseCommandArgs('breakeven', args, options, { maxPositionals: 0 });
    const utilization = optionalDecimal(values, 'utilization');
    if (utilization && (utilization.numerator === 0n || compareRationals(utilization, rational(1n)) > 0)) {
      fail(`--utilization must be more than 0 and at most 1, got '${values.utilization}'`);
    }
    const throughput = optionalDecimal(values, 'gpu-tokens-per-second');
    if (throughput?.numerator === 0n)
      fail(`--gpu-tokens-per-second must be more than 0, got '${values['gpu-tokens-per-second']}'`);
    if (utilization && !throughput) fail('--utilization needs --gpu-tokens-per-second');
    const days = optionalDecimal(values, 'days-per-month');
    if (days?.numerator === 0n)
      fail(`--days-per-month must be more than 0, got '${values['days-per-month']}'`);
    const analysis = analyzeBreakEven({
      api: apiPricing(values),
      gpuMonthly: requiredDecimal(values, 'gpu-monthly'),
      selfHostPer1m: requiredDecimal(values, 'self-host-per-1m'),
      ...(throughput && { gpuTokensPerSecond: throughput }),
      ...(utilization && { utilization }),
      ...(days && { daysPerMonth: days }),
    });
    const volumes = values.volumes === undefined ? defaultVolumes(analysis) : parseVolumes(values.volumes);
    const rows = volumes.map((volume) => costsAtVolume(analysis, volume));
    io.stdout(
      `${values.json ? JSON.stringify(breakevenJson(analysis, rows), null, 2) : breakevenText(analysis, rows)}\n`,
    );
    return 0;
  },
};

function fail(problem: string): never {
  throw new UsageError(`frugal breakeven: ${problem}`);
}

function optionalDecimal(values: Values, flag: keyof Values): Rational | undefined {
  const text = values[flag];
  if (typeof text !== 'string') return undefined;
  let parsed: Rational | undefined;
  try {
    parsed = parseDecimal(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || parsed.numerator < 0n)
    fail(`--${flag} must be a non-negative decimal number, got '${text}'`);
  return parsed;
}

function requiredDecimal(values: Values, flag: keyof Values): Rational {
  return optionalDecimal(values, flag) ?? fail(`--${flag} is required (see 'frugal breakeven --help')`);
}

function apiPricing(values: Values): ApiTokenPricing {
  const split = (['api-input-per-1m', 'api-output-per-1m', 'input-tokens', 'output-tokens'] as const).filter(
    (flag) => values[flag] !== undefined,
  );
  if (split.length > 0) {
    const blended = (['api-per-1m', 'tokens-per-query'] as const).find((flag) => values[flag] !== undefined);
    if (blended) fail(`give either --${blended} or --${split[0]}, not both (see 'frugal breakeven --help')`);
    const pricing = {
      inputPricePer1m: requiredDecimal(values, 'api-input-per-1m'),
      outputPricePer1m: requiredDecimal(values, 'api-output-per-1m'),
      inputTokensPerQuery: requiredDecimal(values, 'input-tokens'),
      outputTokensPerQuery: requiredDecimal(values, 'output-tokens'),
    };
    if (pricing.inputTokensPerQuery.numerator + pricing.outputTokensPerQuery.numerator === 0n) {
      fail('--input-tokens and --output-tokens must not both be 0');
    }
    return pricing;
  }
  const tokensPerQuery = requiredDecimal(values, 'tokens-per-query');
  if (tokensPerQuery.numerator === 0n)
    fail(`--tokens-per-query must be more than 0, got '${values['tokens-per-query']}'`);
  return { pricePer1m: requiredDecimal(values, 'api-per-1m'), tokensPerQuery };
}

const suffixes: Readonly<Record<string, bigint>> = { '': 1n, k: 1_000n, m: 1_000_000n, b: 1_000_000_000n };

/** "10k,2.5M,1000000" → whole queries per month; each must be a non-negative whole number. */
function parseVolumes(text: string): bigint[] {
  return text.split(',').map((item) => {
    const match = /^(\d+(?:\.\d+)?)([kmb]?)$/i.exec(item.trim());
    const scaled = match
      ? multiplyRationals(parseDecimal(match[1]!), rational(suffixes[match[2]!.toLowerCase()]!))
      : undefined;
    if (scaled === undefined || scaled.denominator !== 1n) {
      fail(
        `--volumes must be whole numbers of queries per month like 10000 or 2.5M, separated by commas; got '${item}'`,
      );
    }
    return scaled.numerator;
  });
}

function defaultVolumes(analysis: BreakEvenAnalysis): bigint[] {
  const volumes = [10_000n, 100_000n, 1_000_000n, 10_000_000n, 100_000_000n];
  if (analysis.breakEven.kind === 'volume') {
    volumes.push(analysis.breakEven.queriesPerMonth);
    if (analysis.breakEven.cheaperFromQueriesPerMonth !== undefined)
      volumes.push(analysis.breakEven.cheaperFromQueriesPerMonth);
  }
  return [...new Set(volumes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function breakevenText(analysis: BreakEvenAnalysis, rows: readonly VolumeCosts[]): string {
  const capacity = analysis.queriesPerGpu;
  const lines = [
    `API:        ${perQueryDollarsText(rationalToPicodollars(analysis.apiPerQuery))} per query (${formatRational(analysis.tokensPerQuery, 2, { group: true })} tokens)`,
    `Self-host:  ${dollarsText(rationalToPicodollars(analysis.gpuMonthly))} per ${capacity ? 'GPU-' : ''}month + ${perQueryDollarsText(rationalToPicodollars(analysis.selfHostPerQuery))} per query`,
    ...(capacity ? [`Capacity:   ${count(capacity)} queries per GPU per month`] : []),
    '',
    breakEvenVerdict(analysis),
    '',
    renderTable(
      ['queries/month', 'API', 'GPUs', 'self-host', 'cheaper'],
      rows.map((row) => [
        count(rational(row.queriesPerMonth)),
        dollarsText(row.api),
        String(row.gpus),
        dollarsText(row.selfHost),
        row.cheaper,
      ]),
      ['right', 'right', 'right', 'right', 'left'],
    ),
  ];
  return lines.join('\n');
}

function breakevenJson(analysis: BreakEvenAnalysis, rows: readonly VolumeCosts[]) {
  const point = analysis.breakEven;
  return {
    tokens_per_query: formatRational(analysis.tokensPerQuery, 12),
    api_per_query_usd: formatUsd(rationalToPicodollars(analysis.apiPerQuery)),
    self_host_per_query_usd: formatUsd(rationalToPicodollars(analysis.selfHostPerQuery)),
    gpu_monthly_usd: formatUsd(rationalToPicodollars(analysis.gpuMonthly)),
    queries_per_gpu_per_month: analysis.queriesPerGpu ? formatRational(analysis.queriesPerGpu, 6) : null,
    break_even:
      point.kind === 'none'
        ? { kind: 'none', reason: point.reason }
        : {
            kind: 'volume',
            queries_per_month: integer(point.queriesPerMonth),
            cheaper_from_queries_per_month:
              point.cheaperFromQueriesPerMonth === undefined
                ? null
                : integer(point.cheaperFromQueriesPerMonth),
          },
    volumes: rows.map((row) => ({
      queries_per_month: integer(row.queriesPerMonth),
      api_usd: formatUsd(row.api),
      gpus: integer(row.gpus),
      self_host_usd: formatUsd(row.selfHost),
      cheaper: row.cheaper,
    })),
  };
}

/** A JSON number when it is exact as one, else its decimal text. */
function integer(value: bigint): number | string {
  return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
}

/** A count of queries, rounded half to even to a whole number, with thousands separators. */
function count(value: Rational): string {
  return formatRational(value, 0, { group: true });
}
