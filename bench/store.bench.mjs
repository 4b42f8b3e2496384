// Span store: ingest rate into SQLite and PostgreSQL, beside plain batched INSERTs of the same rows measured in
// the same run; the two dashboard questions ("spend by model per day", "top 10 users by cost, last 7 days")
// answered from rollups, each beside the scan of the spans table for the same question (the ratio is the
// point); and repeated requests (retry storms) over an hour and a day. Prints figures; never fails on timing.
// Needs a build (`npx tsc -p tsconfig.build.json`). PostgreSQL: FRUGAL_TEST_PG_URL or --pg URL.
//   node bench/store.bench.mjs [--spans 1000000] [--batch 10000] [--engines sqlite,postgres] [--pg URL]
//                              [--no-baseline]   (skips the plain-INSERT baselines, e.g. at 10M)
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
/** The spans table's columns in schema version 1 (before request hashes): what the first baseline inserts. */
const version1Columns = spanColumns.filter((column) => column !== 'request_hash');
const version1Values = (row) => version1Columns.map((column) => row[spanColumns.indexOf(column)]);

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

const repeatShare = 0.05;
const repeatQueries = [
  ['requests sent 3+ times in the last hour', { from: end - hour, to: end, minCalls: 3 }],
  ['requests sent 3+ times in the last day', { from: end - 24 * hour, to: end, minCalls: 3 }],
];

/**
 * ~1,000 users, 20 features, 5 models over 30 days, each call with a request hash (5% repeat a recent one),
 * generated in chunks of 100k so 10M fit in memory.
 */
function* chunks() {
  for (let index = 0; index * chunk < total; index++) {
    const count = Math.min(chunk, total - index * chunk);
    const share = (days * count) / total;
    yield generateSpans({
      count,
      seed: 1_000 + index,
      start: start + (index * chunk * days * 24 * hour) / total,
      days: share,
      repeatShare,
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
 * A baseline for SQLite ingest, measured in the same run: the same rows into a spans table with the same
 * indexes, WAL, one prepared INSERT per row and one transaction per batch, without idempotency or rollups.
 * `version1`: migration 1's table (text primary key, trace_id index) and columns, values bound as one array
 * (the baseline the first store was measured against); otherwise the current table, values spread as the
 * store binds them.
 */
async function plainSqliteInsert(path, version1) {
  const { default: Database } = await import('better-sqlite3');
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('cache_size = -65536');
  const migrations = version1 ? sqliteMigrations.slice(0, 1) : sqliteMigrations;
  for (const migration of migrations) for (const statement of migration.statements) database.exec(statement);
  const columns = version1 ? version1Columns : spanColumns;
  const insert = database.prepare(
    `INSERT INTO spans (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const insertBatch = database.transaction((rows) => {
    if (version1) for (const row of rows) insert.run(row);
    else for (const row of rows) insert.run(...row);
  });
  let insertMs = 0;
  for (const spans of chunks()) {
    for (let index = 0; index < spans.length; index += batch) {
      const begin = performance.now();
      const rows = spans.slice(index, index + batch).map(spanToValues);
      insertBatch.immediate(version1 ? rows.map(version1Values) : rows);
      insertMs += performance.now() - begin;
    }
  }
  database.close();
  return Math.round(total / (insertMs / 1000));
}

async function benchmark(engine, location, baselines = []) {
  const store = await openStore(location);
  let insertMs = 0;
  let inserted = 0;
  let first;
  for (const spans of chunks()) {
    for (let index = 0; index < spans.length; index += batch) {
      const slice = spans.slice(index, index + batch);
      first ??= slice;
      const begin = performance.now();
      inserted += await store.insertSpans(slice);
      insertMs += performance.now() - begin;
    }
  }
  // The first batch again, as a journal replay after a crash would send it: nothing in it is new.
  const replay = await timed(() => store.insertSpans(first), 1);
  const rate = Math.round(inserted / (insertMs / 1000));
  const ratios = baselines.map(([name, baseline]) => `${(rate / baseline).toFixed(2)}x the ${name}`);
  console.log(
    `${engine}: ingested ${inserted.toLocaleString('en-US')} spans in batches of ${batch.toLocaleString('en-US')}: ` +
      `${rate.toLocaleString('en-US')} spans/s${ratios.length > 0 ? ` (${ratios.join(', ')})` : ''}` +
      ` (replayed batch: ${replay.answer} new)`,
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
  for (const [name, query] of repeatQueries) {
    await store.repeatedRequests(query);
    const { ms, answer } = await timed(() => store.repeatedRequests(query), 7);
    const calls = answer.reduce((sum, each) => sum + each.calls, 0);
    console.log(`  ${name.padEnd(40)} ${format(ms)}   ${answer.length} requests, ${calls} calls`);
  }
  await store.close();
}

console.log(
  `store.bench: ${total.toLocaleString('en-US')} spans over ${days} days (node ${process.version})`,
);
if (engines.includes('sqlite')) {
  const directory = mkdtempSync(join(tmpdir(), 'frugal-bench-'));
  try {
    const baselines = [];
    if (baseline) {
      const version1 = await plainSqliteInsert(join(directory, 'plain-v1.db'), true);
      console.log(
        `SQLite baseline: plain batched INSERT of the same rows into migration 1's spans table: ${version1.toLocaleString('en-US')} rows/s`,
      );
      const current = await plainSqliteInsert(join(directory, 'plain.db'), false);
      console.log(
        `SQLite baseline: plain batched INSERT of the same rows into the current spans table: ${current.toLocaleString('en-US')} rows/s`,
      );
      baselines.push(['version 1 plain INSERT', version1], ['current plain INSERT', current]);
    }
    await benchmark('SQLite', `sqlite:${join(directory, 'frugal.db')}`, baselines);
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
