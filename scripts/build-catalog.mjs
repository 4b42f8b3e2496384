#!/usr/bin/env node
/**
 * Builds frugal's price catalog (src/core/prices/catalog-text.ts) from LiteLLM's price map.
 *
 *   npm run catalog [-- <litellm_model_prices.json>] [--out FILE] [--date YYYY-MM-DD]
 *
 * The input defaults to ../shared/data/litellm_model_prices.json (relative to the repository). The output is
 * deterministic: models sorted by id, fields in a fixed order, one model per line so that diffs stay
 * reviewable. Only the generation date can change between two runs on the same input: it is `--date`, else
 * the date already in the output file when nothing else changed, else today.
 *
 * Representation: the catalog is JSON text inside a TypeScript template literal (`export const catalogText`),
 * parsed once at run time. Importing the same data as a .json module made `tsc` infer a type for the whole
 * literal (+0.7 s check time and +33 MB per type-check, measured); a string costs it nothing.
 *
 * Prices: LiteLLM stores USD per token as JSON numbers. Each is converted from its shortest decimal text
 * (what `String(number)` prints) to an exact integer of pico-dollars per token (= micro-dollars per 1M
 * tokens) with integer arithmetic, never float multiplication. The few values that are not whole
 * pico-dollars (float artefacts such as 2.9999900000000002e-06) are rounded half-to-even to a whole
 * pico-dollar and each one is listed with its original text in the catalog's `rounded` header.
 *
 * Kept: chat, completion, responses and embedding entries with a per-token input price (or a `tiered_pricing`
 * table of per-token ranges). Dropped, and counted by reason: every other mode (images, audio, rerank, ...)
 * and entries priced only per second, per character, per query or not at all.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaultInput = join(repoRoot, '..', 'shared', 'data', 'litellm_model_prices.json');
const defaultOutput = join(repoRoot, 'src', 'core', 'prices', 'catalog-text.ts');

export const keptModes = ['chat', 'completion', 'responses', 'embedding'];
const notModels = new Set(['sample_spec', 'fallback_generalizations']);
const serviceTiers = ['priority', 'flex'];
/** Our rate name → LiteLLM's key stem (a band or tier adds `_above_<n>_tokens` / `_priority` to it). */
const rateKeys = [
  ['input', 'input_cost_per_token'],
  ['cachedInput', 'cache_read_input_token_cost'],
  ['cacheWrite', 'cache_creation_input_token_cost'],
  ['cacheWrite1h', 'cache_creation_input_token_cost_above_1hr'],
  ['output', 'output_cost_per_token'],
  ['reasoning', 'output_cost_per_reasoning_token'],
];
const thresholdPattern = /^input_cost_per_token_above_(\d+)(k?)_tokens$/;

export const source = {
  name: 'LiteLLM model_prices_and_context_window.json',
  repository: 'BerriAI/litellm',
  license: 'MIT',
  synced: '2026-07-24',
  via: 'RoCry/llm-api-price@8442b939 (mirror of LiteLLM main)',
};

/**
 * Exact pico-dollars from a USD amount written in decimal (optionally with an exponent). Returns the integer
 * and whether it had to be rounded (half to even) because the text had sub-pico digits.
 */
export function decimalToPicos(text) {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match) throw new RangeError(`not a non-negative decimal price: '${text}'`);
  const [, whole, fraction = '', exponent = '0'] = match;
  const digits = BigInt(whole + fraction);
  const shift = Number(exponent) - fraction.length + 12;
  if (shift >= 0) return { picos: digits * 10n ** BigInt(shift), rounded: false };
  const divisor = 10n ** BigInt(-shift);
  const quotient = digits / divisor;
  const twice = (digits % divisor) * 2n;
  if (twice === 0n) return { picos: quotient, rounded: false };
  const up = twice > divisor || (twice === divisor && quotient % 2n === 1n);
  return { picos: up ? quotient + 1n : quotient, rounded: true };
}

/** Builds the catalog text and a report of what was kept, dropped and rounded. Pure: no I/O. */
export function buildCatalog(rawText, { generated }) {
  const raw = JSON.parse(rawText);
  const models = {};
  const rounded = [];
  const dropped = {};
  const keptByMode = {};
  const providers = new Set();
  let wholePicoPrices = 0;

  const price = (id, key, value) => {
    if (typeof value !== 'number') return undefined;
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${id}: ${key} is not a price: ${value}`);
    const text = String(value);
    const { picos, rounded: wasRounded } = decimalToPicos(text);
    if (picos > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${id}: ${key} too large: ${text}`);
    if (wasRounded) rounded.push({ model: id, field: key, original: text, stored: Number(picos) });
    else wholePicoPrices++;
    return Number(picos);
  };
  const rates = (id, info, suffix) => {
    const out = {};
    for (const [name, stem] of rateKeys) {
      const value = price(id, `${stem}${suffix}`, info[`${stem}${suffix}`]);
      if (value !== undefined) out[name] = value;
    }
    return out;
  };
  const tierRates = (id, info, suffix) => {
    const tiers = {};
    for (const tier of serviceTiers) {
      const found = rates(id, info, `${suffix}_${tier}`);
      if (Object.keys(found).length > 0) tiers[tier] = found;
    }
    return tiers;
  };
  const drop = (reason) => {
    dropped[reason] = (dropped[reason] ?? 0) + 1;
  };

  for (const id of Object.keys(raw).sort()) {
    if (notModels.has(id)) continue;
    const info = raw[id];
    if (!keptModes.includes(info.mode)) {
      drop(`mode ${info.mode ?? '(none)'}`);
      continue;
    }
    const ranges = Array.isArray(info.tiered_pricing)
      ? info.tiered_pricing.filter(
          (tier) => Array.isArray(tier.range) && typeof tier.input_cost_per_token === 'number',
        )
      : [];
    if (typeof info.input_cost_per_token !== 'number' && ranges.length === 0) {
      if (typeof info.input_cost_per_second === 'number' || typeof info.output_cost_per_second === 'number') {
        drop('priced per second');
      } else if (typeof info.input_cost_per_character === 'number') drop('priced per character');
      else if (Object.keys(info).some((key) => key.includes('per_video_per_second')))
        drop('priced per video second');
      else drop('no per-token input price');
      continue;
    }
    const record = {
      provider: info.litellm_provider,
      mode: info.mode,
      ...(typeof info.max_input_tokens === 'number' ? { contextWindow: info.max_input_tokens } : {}),
      ...(typeof info.max_output_tokens === 'number' ? { maxOutput: info.max_output_tokens } : {}),
    };
    const bands = [];
    if (ranges.length > 0) {
      // LiteLLM's tiered_pricing: the one range with start < input tokens <= end prices the whole request.
      // The range starting at 0 becomes the base rates; each later range becomes a band above its start.
      const sorted = [...ranges].sort((a, b) => a.range[0] - b.range[0]);
      if (sorted[0].range[0] !== 0) throw new RangeError(`${id}: tiered_pricing does not start at 0`);
      Object.assign(record, rates(id, sorted[0], ''));
      for (const tier of sorted.slice(1)) {
        bands.push({ kind: 'range', above: tier.range[0], upTo: tier.range[1], ...rates(id, tier, '') });
      }
    } else {
      Object.assign(record, rates(id, info, ''));
      if (typeof info.input_cost_per_token_cache_hit === 'number' && record.cachedInput === undefined) {
        record.cachedInput = price(id, 'input_cost_per_token_cache_hit', info.input_cost_per_token_cache_hit);
      }
      const thresholds = Object.keys(info)
        .map((key) => thresholdPattern.exec(key))
        .filter((match) => match !== null)
        .map((match) => ({
          label: `${match[1]}${match[2]}`,
          tokens: Number(match[1]) * (match[2] ? 1000 : 1),
        }))
        .sort((a, b) => a.tokens - b.tokens);
      for (const { label, tokens } of thresholds) {
        const suffix = `_above_${label}_tokens`;
        // LiteLLM bills xAI's higher band once the prompt reaches the threshold (>=), everyone else's above it.
        const inclusive = info.litellm_provider === 'xai' ? { inclusive: true } : {};
        bands.push({
          kind: 'above',
          above: tokens,
          ...inclusive,
          ...rates(id, info, suffix),
          ...tierRates(id, info, suffix),
        });
      }
    }
    const batch = {};
    const batchInput = price(id, 'input_cost_per_token_batches', info.input_cost_per_token_batches);
    const batchOutput = price(id, 'output_cost_per_token_batches', info.output_cost_per_token_batches);
    if (batchInput !== undefined) batch.input = batchInput;
    if (batchOutput !== undefined) batch.output = batchOutput;
    if (Object.keys(batch).length > 0) record.batch = batch;
    Object.assign(record, tierRates(id, info, ''));
    if (bands.length > 0) record.bands = bands;
    models[id] = record;
    keptByMode[info.mode] = (keptByMode[info.mode] ?? 0) + 1;
    providers.add(info.litellm_provider);
  }

  const header = {
    about:
      'frugal price catalog, generated by scripts/build-catalog.mjs; do not edit by hand. Prices are integer ' +
      'micro-dollars per 1M tokens (= pico-dollars per token), converted exactly from the decimal text of ' +
      "LiteLLM's USD-per-token numbers. Values that were not whole pico-dollars (float artefacts) were rounded " +
      'half-to-even to a whole pico-dollar and are listed in `rounded` with their original text. A band ' +
      "('above': LiteLLM's *_above_<n>_tokens keys; 'range': its tiered_pricing) prices the whole request when " +
      'the input tokens exceed `above` (reach it when `inclusive`).',
    source,
    generated,
    counts: { models: Object.keys(models).length, providers: providers.size, byMode: sortKeys(keptByMode) },
    rounded,
  };
  const lines = ['{'];
  for (const [key, value] of Object.entries(header)) {
    if (key === 'rounded') {
      lines.push('  "rounded": [');
      lines.push(rounded.map((item) => `    ${JSON.stringify(item)}`).join(',\n'));
      lines.push('  ],');
    } else lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  }
  lines.push('  "models": {');
  lines.push(
    Object.entries(models)
      .map(([id, record]) => `    ${JSON.stringify(id)}: ${JSON.stringify(record)}`)
      .join(',\n'),
  );
  lines.push('  }', '}');
  const json = lines.join('\n');
  const escaped = json.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${');
  const text = [
    '/**',
    " * The price catalog, generated by scripts/build-catalog.mjs from LiteLLM's model_prices_and_context_window.json",
    ' * (BerriAI/litellm, MIT). Do not edit by hand: run `npm run catalog`. JSON text, one model per line; see',
    ' * `about` inside it for the units and rules. Kept as a string so that `tsc` does not infer a type for it.',
    ' */',
    `export const catalogText = \`${escaped}\`;`,
    '',
  ].join('\n');
  return {
    text,
    report: {
      kept: Object.keys(models).length,
      keptByMode: sortKeys(keptByMode),
      providers: providers.size,
      dropped: sortKeys(dropped),
      rounded: rounded.length,
      wholePicoPrices,
    },
  };
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function parseCommandLine(args) {
  const options = { input: defaultInput, out: defaultOutput, date: undefined };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--out' || arg === '--date') {
      const value = args[++index];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      options[arg.slice(2)] = value;
    } else if (arg.startsWith('--')) throw new Error(`unknown option '${arg}'`);
    else options.input = resolve(arg);
  }
  if (options.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.date)) {
    throw new Error(`--date must be YYYY-MM-DD, got '${options.date}'`);
  }
  return options;
}

/** Today's date, unless the existing output has exactly the content we would write: then keep its date. */
function chooseDate(rawText, out) {
  const today = new Date().toISOString().slice(0, 10);
  if (!existsSync(out)) return today;
  const previous = /"generated": "(\d{4}-\d{2}-\d{2})"/.exec(readFileSync(out, 'utf8'))?.[1];
  if (previous === undefined) return today;
  return buildCatalog(rawText, { generated: previous }).text === readFileSync(out, 'utf8') ? previous : today;
}

function main(args) {
  const options = parseCommandLine(args);
  let rawText;
  try {
    rawText = readFileSync(options.input, 'utf8');
  } catch (error) {
    throw new Error(`cannot read '${options.input}': ${error.code ?? error.message}`);
  }
  const generated = options.date ?? chooseDate(rawText, options.out);
  const { text, report } = buildCatalog(rawText, { generated });
  writeFileSync(options.out, text);
  const list = (counts) =>
    Object.entries(counts)
      .map(([reason, count]) => `${count} ${reason}`)
      .join(', ');
  console.log(`wrote ${options.out} (${text.length} bytes, generated ${generated})`);
  console.log(`kept ${report.kept} models from ${report.providers} providers: ${list(report.keptByMode)}`);
  console.log(`dropped ${Object.values(report.dropped).reduce((a, b) => a + b, 0)}: ${list(report.dropped)}`);
  console.log(
    `prices: ${report.wholePicoPrices} whole pico-dollars, ${report.rounded} rounded half-to-even (listed in the header)`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`build-catalog: ${error.message}`);
    process.exitCode = 2;
  }
}
