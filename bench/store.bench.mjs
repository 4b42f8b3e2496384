// Span store: ingest rate into SQLite and PostgreSQL, and the two dashboard questions ("spend by model per
// day", "top 10 users by cost, last 7 days") answered from rollups, each beside the scan of the spans table
// for the same question measured in the same run (the ratio is the point). Prints figures; never fails on
// timing. Needs a build (`npx tsc -p tsconfig.build.json`). PostgreSQL: FRUGAL_TEST_PG_URL or --pg URL.
//   node bench/store.bench.mjs [--spans 1000000] [--batch 10000] [--engines sqlite,postgres] [--pg URL]
//                              [--no-baseline]   (skips the plain-INSERT baseline, e.g. at 10M)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
if (!existsSync(join(dist, 'store', 'open-store.js'))) {
  console.error('store.bench: dist/ is missing; build first with `npx tsc -p tsconfig.build.json`');
  process.exit(1);
}
const { openStore } = await import(join(dist, 'store', 'open-store.js'));
const { generateSpans } = await import(join(dist, 'store', 'generate-spans.js'));
const { formatUsd } = await import(join(dist, 'core', 'money.js'));
const { spanColumns, spanToValues } = await import(join(dist, 'store', 'span-columns.js'));
const { sqliteMigrations } = await import(join(dist, 'store', 'sqlite-schema.js'));

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const total = Number(argument('spans', 1_000_000));
const batch = Number(argument('batch', 10_000));
const engines = argument('engines', 'sqlite,postgres').split(',');
const pgUrl = argument('pg', process.env.FRUGAL_TEST_PG_URL);
const start = Date.UTC(2026, 0, 1);
const days = 30;
const chunk = 100_000;
const hour = 3_600_000;
const end = start + days * 24 * hour;
/** A moment that is not on an hour: the edges of its window come from the spans table. */
const ragged = end - 17 * 60_000 - 23_456;
const baseline = !process.argv.includes('--no-baseline');

const queries = [
  ['spend by model per day (UTC)', { groupBy: ['model'], bucket: 'day' }],
  [
    'spend by model per day (Europe/Berlin)',
    { groupBy: ['model'], bucket: 'day', timeZone: 'Europe/Berlin' },
  ],
  ['top 10 users by cost, last 7 days', { groupBy: ['user'], from: end - 7 * 24 * hour, to: end, limit: 10 }],
  [
    'top 10 users, 7 days to a ragged "now"',
    { groupBy: ['user'], from: ragged - 7 * 24 * hour, to: ragged, limit: 10 },
  ],
];

/** ~1,000 users, 20 features, 5 models over 30 days, generated in chunks of 100k so 10M fit in memory. */
function* chunks() {
  for (let index = 0; index * chunk < total; index++) {
    const count = Math.min(chunk, total - index * chunk);
    const share = (days * count) / total;
    yield generateSpans({
      count,
      seed: 1_000 + index,
      start: start + (index * chunk * days * 24 * hour) / total,
      days: share,
    });
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(work, repetitions) {
  const times = [];
  let answer;
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const begin = performance.now();
    answer = await work();
    times.push(performance.now() - begin);
  }
  return { ms: median(times), answer };
}

const format = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)).padStart(8);

/**
 * The baseline for SQLite ingest, measured in the same run: the same rows into the same spans table (same
 * indexes, WAL, one prepared INSERT per row, one transaction per batch), without idempotency or rollups.
 */
async function plainSqliteInsert(path) {
  const { default: Database } = await import('better-sqlite3');
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('cache_size = -65536');
  for (const statement of sqliteMigrations[0].statements) database.exec(statement);
  const insert = database.prepare(
    `INSERT INTO spans (${spanColumns.join(', ')}) VALUES (${spanColumns.map(() => '?').join(', ')})`,
  );
  const insertBatch = database.transaction((rows) => {
    for (const row of rows) insert.run(row);
  });
  let insertMs = 0;
  for (const spans of chunks()) {
    for (let index = 0; index < spans.length; index += batch) {
      const begin = performance.now();
      insertBatch.immediate(spans.slice(index, index + batch).map(spanToValues));
      insertMs += performance.now() - begin;
    }
  }
  database.close();
  return Math.round(total / (insertMs / 1000));
}

async function benchmark(engine, location) {
  const store = await openStore(location);
  let insertMs = 0;
  let inserted = 0;
  for (const spans of chunks()) {
    for (let index = 0; index < spans.length; index += batch) {
      const slice = spans.slice(index, index + batch);
      const begin = performance.now();
      inserted += await store.insertSpans(slice);
      insertMs += performance.now() - begin;
    }
  }
  const replay = await timed(
    () =>
      store.insertSpans(generateSpans({ count: batch, seed: 1_000, start, days: days / (total / chunk) })),
    1,
  );
  console.log(
    `${engine}: ingested ${inserted.toLocaleString('en-US')} spans in batches of ${batch.toLocaleString('en-US')}: ` +
      `${Math.round(inserted / (insertMs / 1000)).toLocaleString('en-US')} spans/s (replayed batch: ${replay.answer} new)`,
  );
  console.log(
    `  ${'question'.padEnd(40)} ${'rollups ms'.padStart(10)} ${'spans ms'.padStart(10)} ${'ratio'.padStart(7)}  sources / check`,
  );
  for (const [name, query] of queries) {
    await store.querySpend(query);
    const fast = await timed(() => store.querySpend(query), 7);
    const slow = await timed(() => store.querySpendFromSpans(query), total > 2_000_000 ? 1 : 3);
    const same =
      JSON.stringify(fast.answer, (_, value) => (typeof value === 'bigint' ? String(value) : value)) ===
      JSON.stringify(slow.answer, (_, value) => (typeof value === 'bigint' ? String(value) : value));
    const spent = fast.answer.reduce((sum, row) => sum + row.cost, 0n);
    console.log(
      `  ${name.padEnd(40)} ${format(fast.ms)}   ${format(slow.ms)}   ${(slow.ms / fast.ms).toFixed(0).padStart(5)}x  ` +
        `${(await store.spendSources(query)).join('+')}; ${fast.answer.length} rows, $${formatUsd(spent, 2)}, ${same ? 'identical' : 'DIFFERENT'}`,
    );
  }
  await store.close();
}

console.log(
  `store.bench: ${total.toLocaleString('en-US')} spans over ${days} days (node ${process.version})`,
);
if (engines.includes('sqlite')) {
  const directory = mkdtempSync(join(tmpdir(), 'frugal-bench-'));
  try {
    if (baseline) {
      const plain = await plainSqliteInsert(join(directory, 'plain.db'));
      console.log(
        `SQLite baseline: plain batched INSERT of the same rows: ${plain.toLocaleString('en-US')} rows/s`,
      );
    }
    await benchmark('SQLite', `sqlite:${join(directory, 'frugal.db')}`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
if (engines.includes('postgres')) {
  if (pgUrl === undefined) {
    console.log('PostgreSQL: skipped (set FRUGAL_TEST_PG_URL or pass --pg URL)');
  } else {
    const schema = `frugal_bench_${process.pid}`;
    const separator = pgUrl.includes('?') ? '&' : '?';
    try {
      await benchmark('PostgreSQL', `${pgUrl}${separator}schema=${schema}`);
    } finally {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
}
