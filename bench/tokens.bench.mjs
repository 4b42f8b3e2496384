#!/usr/bin/env node
// Token counting throughput: frugal's counter (dist/, build first: npx tsc -p tsconfig.build.json) against
// gpt-tokenizer called directly, in the same process, on the same corpus, for o200k_base and cl100k_base.
// The corpus (~4 MB) is built at run time from ../shared/data: prompts, model answers, instructions,
// questions and a slice of the LiteLLM price JSON, counted one document at a time as an application would.
// "unseen" clears gpt-tokenizer's merge cache before every pass (realistic: new text); "warm" keeps it.
// Medians of 3. Prints figures; never fails on timing.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';
import { loadTokenCounter } from '../dist/core/tokens/token-counter.js';

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, '..', '..', 'shared', 'data');

function jsonLines(file, pick, step = 1) {
  return readFileSync(join(data, file), 'utf8')
    .split('\n')
    .filter((line, index) => line.trim() !== '' && index % step === 0)
    .flatMap((line) => pick(JSON.parse(line)))
    .filter((text) => typeof text === 'string' && text !== '');
}

function corpus() {
  const documents = [
    ...jsonLines('routellm/gsm8k_gpt4_mixtral.jsonl', (row) => [
      row.prompt,
      row.gpt4_response,
      row.mixtral_response,
    ]),
    ...jsonLines('routellm/mmlu_gpt4_mixtral.jsonl', (row) => [row.prompt], 4),
    ...jsonLines('routellm/mtbench_scores.jsonl', (row) => row.turns),
    ...jsonLines('alpacaeval/alpacaeval2_per_instruction.jsonl', (row) => [row.instruction]),
    ...jsonLines('semantic_cache/qqp_pairs_sample_4000.jsonl', (row) => [row.text_a, row.text_b]),
  ];
  // Some JSON too: the price catalog in 4 KB documents.
  const prices = readFileSync(join(data, 'litellm_model_prices.json'), 'utf8').slice(0, 400_000);
  for (let start = 0; start < prices.length; start += 4096) documents.push(prices.slice(start, start + 4096));
  // gpt-tokenizer's default call throws on special-token look-alikes; keep the comparison about speed.
  return documents.filter((text) => !/<\|[a-z_]+\|>/.test(text));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Seconds to count every document once, and the token total. */
function pass(documents, count, clear) {
  if (clear) clear();
  globalThis.gc?.();
  const started = performance.now();
  let tokens = 0;
  for (const document of documents) tokens += count(document);
  return { seconds: (performance.now() - started) / 1000, tokens };
}

/** Three rounds, each timing both counters (in alternating order, so neither always runs first); medians. */
function compare(documents, direct, frugal, clear) {
  const times = { direct: [], frugal: [] };
  const totals = {};
  for (let round = 0; round < 3; round++) {
    const order = round % 2 === 0 ? ['direct', 'frugal'] : ['frugal', 'direct'];
    for (const name of order) {
      const result = pass(documents, name === 'direct' ? direct : frugal, clear);
      times[name].push(result.seconds);
      totals[name] = result.tokens;
    }
  }
  return { direct: median(times.direct), frugal: median(times.frugal), totals };
}

const documents = corpus();
const megabytes = documents.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0) / 1e6;
console.log(`corpus: ${documents.length} documents, ${megabytes.toFixed(2)} MB (UTF-8), from ../shared/data`);

for (const [model, library] of [
  ['gpt-4o', o200k],
  ['gpt-4', cl100k],
]) {
  const counter = await loadTokenCounter(model);
  const frugal = (text) => counter.count(text).tokens;
  const direct = (text) => library.countTokens(text);
  pass(documents.slice(0, 2000), direct); // warm the JIT for both before timing
  pass(documents.slice(0, 2000), frugal);
  for (const [mode, clear] of [
    ['unseen', () => library.clearMergeCache()],
    ['warm', undefined],
  ]) {
    const {
      direct: directSeconds,
      frugal: frugalSeconds,
      totals,
    } = compare(documents, direct, frugal, clear);
    const same =
      totals.direct === totals.frugal
        ? `same ${totals.frugal} tokens`
        : `TOKEN TOTALS DIFFER: ${totals.frugal} vs ${totals.direct}`;
    console.log(
      `${counter.encoding.padEnd(11)} ${mode.padEnd(6)}  gpt-tokenizer ${(megabytes / directSeconds).toFixed(2)} MB/s` +
        `  frugal ${(megabytes / frugalSeconds).toFixed(2)} MB/s  ratio ${(directSeconds / frugalSeconds).toFixed(2)}x  (${same})`,
    );
  }
}
