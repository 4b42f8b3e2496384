// Tracing overhead and the span writer's throughput. Needs a build (`npm run bench` builds first; or pass a
// build directory: node bench/tracing.bench.mjs /tmp/dist). Per-span costs are medians of 5 runs in
// microseconds; the ingest rate is spans recorded through the tracer and committed to a SQLite file, flush
// included. Prints figures; never fails on timing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
if (!existsSync(join(dist, 'tracing', 'span-writer.js'))) {
  console.error(`tracing.bench: ${dist} has no build; run \`npx tsc -p tsconfig.build.json\` first`);
  process.exit(1);
}
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const { createTracer } = await load('tracing/create-tracer.js');
const { createMemorySink } = await load('tracing/memory-sink.js');
const { openSpanJournal } = await load('tracing/span-journal.js');
const { spanToJsonLine } = await load('core/spans/span-json.js');
const { openSpanWriter } = await load('tracing/span-writer.js');
const { openSqliteStore } = await load('store/sqlite-store.js');

const scratch = mkdtempSync(join(tmpdir(), 'frugal-tracing-bench-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const usage = (index) => ({
  input: 1_000 + (index % 5_000),
  cachedInput: index % 700,
  output: 200 + (index % 900),
});

function callOn(tracer, index) {
  return tracer
    .startLlmSpan({ operation: 'chat', provider: 'openai', requestModel: 'gpt-4o' })
    .end({ responseModel: 'gpt-4o-2024-08-06', usage: usage(index) });
}

/** Median µs per operation over 5 runs of `count` operations, after a warm-up run. */
async function perOperation(count, setup, operation) {
  const runs = [];
  for (let run = 0; run < 6; run++) {
    const state = await setup(run);
    globalThis.gc?.();
    const start = process.hrtime.bigint();
    for (let index = 0; index < count; index++) operation(state, index);
    const elapsed = Number(process.hrtime.bigint() - start) / 1_000;
    await state.done?.();
    if (run > 0) runs.push(elapsed / count);
  }
  return median(runs);
}

const sample = callOn(createTracer({ sink: createMemorySink() }), 1);
let directoryNumber = 0;
const journalIn = (sync) => openSpanJournal(join(scratch, `journal-${directoryNumber++}`), sync);

const rows = [];
const measure = async (label, count, setup, operation) => {
  const micros = await perOperation(count, setup, operation);
  rows.push([label, micros]);
  console.log(`${label.padEnd(68)} ${micros.toFixed(2).padStart(8)} µs/span`);
};

await measure(
  'span → JSON line (bigint-safe)',
  50_000,
  () => ({}),
  () => spanToJsonLine(sample),
);
await measure(
  'journal append, fsync never (JSON + write(2))',
  50_000,
  () => {
    const journal = journalIn('never');
    return { journal, done: () => journal.close() };
  },
  ({ journal }) => journal.append(sample),
);
await measure(
  'journal append, fsync per-span',
  300,
  () => {
    const journal = journalIn('per-span');
    return { journal, done: () => journal.close() };
  },
  ({ journal }) => journal.append(sample),
);
await measure(
  'LLM span: start + end + exact price, memory sink',
  50_000,
  () => {
    return { tracer: createTracer({ sink: createMemorySink() }) };
  },
  ({ tracer }, index) => callOn(tracer, index),
);
await measure(
  'LLM span into the span writer (journal; store flush in background)',
  20_000,
  async () => {
    const store = await openSqliteStore({ path: join(scratch, `writer-${directoryNumber++}.db`) });
    const writer = await openSpanWriter({
      store,
      journalDirectory: join(scratch, `journal-${directoryNumber++}`),
      flushOnExit: false,
    });
    return {
      tracer: createTracer({ sink: writer }),
      done: async () => {
        await writer.close();
        await store.close();
      },
    };
  },
  ({ tracer }, index) => callOn(tracer, index),
);

// trace(): a step span around an async function, against the bare function.
const steps = 20_000;
const bare = [];
const traced = [];
for (let run = 0; run < 6; run++) {
  const tracer = createTracer({ sink: createMemorySink() });
  let start = process.hrtime.bigint();
  for (let index = 0; index < steps; index++) await (async () => index)();
  if (run > 0) bare.push(Number(process.hrtime.bigint() - start) / 1_000 / steps);
  start = process.hrtime.bigint();
  for (let index = 0; index < steps; index++) await tracer.trace('step', async () => index);
  if (run > 0) traced.push(Number(process.hrtime.bigint() - start) / 1_000 / steps);
}
console.log(
  `${'trace(): step span around an async function, added cost'.padEnd(68)} ${(median(traced) - median(bare)).toFixed(2).padStart(8)} µs/span`,
);

// Ingest: 100k LLM spans recorded, then committed to SQLite (WAL) in batches of 1,000.
for (const fsync of ['never', 'per-batch']) {
  const rates = [];
  for (let run = 0; run < 3; run++) {
    const store = await openSqliteStore({ path: join(scratch, `ingest-${directoryNumber++}.db`) });
    const writer = await openSpanWriter({
      store,
      journalDirectory: join(scratch, `journal-${directoryNumber++}`),
      flushOnExit: false,
      fsync,
    });
    const tracer = createTracer({ sink: writer });
    const count = 100_000;
    const start = process.hrtime.bigint();
    for (let index = 0; index < count; index++) {
      callOn(tracer, index);
      if (index % 5_000 === 4_999) await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.flush();
    rates.push(count / (Number(process.hrtime.bigint() - start) / 1e9));
    if (writer.stats.delivered !== count) throw new Error(`stored ${writer.stats.delivered} of ${count}`);
    await writer.close();
    await store.close();
  }
  console.log(
    `${`ingest through tracer + writer into SQLite, fsync ${fsync}`.padEnd(68)} ${Math.round(median(rates)).toLocaleString('en-US').padStart(8)} spans/s`,
  );
}
rmSync(scratch, { recursive: true, force: true });
