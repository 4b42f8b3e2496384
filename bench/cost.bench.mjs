// Exact cost computations per second (goal: ≥ 1M/s), against the seed's float formula
// `tokens / 1e6 * price` measured in the same run. Needs a build: `npx tsc -p tsconfig.build.json`
// (`npm run bench` builds first). Prints figures; it does not pass or fail on timing.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
if (!existsSync(join(dist, 'core', 'cost', 'cost.js'))) {
  console.error('cost.bench: dist/ is missing; build first with `npx tsc -p tsconfig.build.json`');
  process.exit(1);
}
const { cost } = await import(join(dist, 'core', 'cost', 'cost.js'));
const { defaultPriceBook } = await import(join(dist, 'core', 'prices', 'default-price-book.js'));

const book = defaultPriceBook();
const entryOf = (name) => {
  const resolution = book.resolve(name);
  if (resolution.status !== 'found') throw new Error(`cost.bench: '${name}' is not in the catalog`);
  return resolution.entry;
};
const gpt4o = entryOf('gpt-4o');
const sonnet = entryOf('claude-sonnet-4-5');

// 1,024 varied usages (cached reads, cache writes, reasoning; some past Claude's 200k band).
const usages = Array.from({ length: 1024 }, (_, i) => ({
  input: 1_000 + ((i * 7_919) % 260_000),
  cachedInput: (i * 37) % 900,
  cacheWrite: i % 3 === 0 ? 64 : 0,
  output: 100 + (i % 2_000),
  reasoning: i % 5 === 0 ? 50 : 0,
}));
const floatRates = { input: 2.5, cached: 1.25, output: 10 };

const workloads = [
  [
    'float baseline: tokens / 1e6 * price',
    (usage) =>
      ((usage.input - usage.cachedInput) / 1e6) * floatRates.input +
      (usage.cachedInput / 1e6) * floatRates.cached +
      (usage.output / 1e6) * floatRates.output,
  ],
  ['exact cost(usage, entry) gpt-4o', (usage) => cost(usage, gpt4o)],
  ['exact cost(usage, entry) claude-sonnet-4-5 (bands, writes)', (usage) => cost(usage, sonnet)],
  ['exact cost(usage, entry, {batch}) gpt-4o', (usage) => cost(usage, gpt4o, { batch: true })],
  ['exact cost(usage, "openai/gpt-4o") with name resolution', (usage) => cost(usage, 'openai/gpt-4o')],
];

const iterations = 1_000_000;
const repetitions = 5;
let sink = 0;

function measure(fn) {
  for (let i = 0; i < 200_000; i++) if (fn(usages[i & 1023])) sink++; // warm-up
  const rates = [];
  for (let repetition = 0; repetition < repetitions; repetition++) {
    globalThis.gc?.();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) if (fn(usages[i & 1023])) sink++;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(iterations / seconds);
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(repetitions / 2)];
}

const check = cost(usages[3], gpt4o);
if (check.status !== 'priced') throw new Error(`cost.bench: gpt-4o did not price: ${check.message}`);

console.log(
  `cost computations per second, median of ${repetitions} × ${iterations.toLocaleString('en-US')} (Node ${process.version})`,
);
let baseline;
for (const [label, fn] of workloads) {
  const rate = measure(fn);
  baseline ??= rate;
  const ratio = rate / baseline;
  console.log(
    `  ${label.padEnd(58)} ${(rate / 1e6).toFixed(2).padStart(6)} M/s  ${ratio.toFixed(3)}× baseline`,
  );
}
console.log('goal: exact cost ≥ 1.00 M/s (not pass/fail)');
if (sink === -1) console.log(sink); // keeps the results observable so the loops are not optimised away
