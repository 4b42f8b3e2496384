// The dashboard's server time on a big store (issue 7: "page loads ≤ 300 ms server time on a store with 1M spans";
// `npm run bench:ui`). Builds once, and then reuses, a SQLite store under the temp directory keyed by its size:
// `frugal demo`'s experiment (three simulated candidates, their answers, scores and traces), then N generated
// spans over the 90 days before the moment the store was built (5 models, 25 features, 2,000 users with a long
// tail, 15 API keys, tags, cached input and reasoning, unpriced, failed and step spans, and the gateway's
// attributes: one call in ten a cache hit with zero tokens, some routed), a few budgets and alerts. Then serves it
// in this process with the dashboard's own parts from dist/ (`startUiServer` + `storeUiData`, the clock fixed at
// the store's "now") and asks each page in turn over loopback with keep-alive, one request at a time: the first
// request (cold statement caches), then the median and p95 of the next ones, from the request's first byte to
// the response's last. Before every request another connection commits, as a gateway writing spans does, so that
// no request reuses what the one before it read. Beside them, measured in the same run: the floor (the same server answering
// /favicon.ico with an empty 204: HTTP and routing alone) and the page's data alone (the same `UiData` calls the
// page makes, called directly: no HTTP, no HTML, no chart), with each page's ratio to both; then, per spend page,
// each of its data calls alone. Anomalies are judged at most once a minute of the fixed clock, so the first spend
// page pays for them and the others do not. Prints figures; never fails on timing. Exits 1 only when the run
// breaks (a page that does not answer 200).
//   node bench/ui.bench.mjs [--spans 1000000] [--requests 20] [--rebuild] [--json]   (--build-only: the store alone)
// Needs a build (`npm run bench:ui` builds first). The store is kept in $TMPDIR/frugal-ui-bench-<spans>/ for the
// next run (1M spans: ~0.5 GB); --rebuild builds it again.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'ui', 'server', 'ui-server.js'))) {
  console.error('ui.bench: dist/ is missing; build first (`npm run bench:ui` does)');
  process.exit(1);
}
const { openStore } = await import(join(dist, 'store', 'open-store.js'));
const { generateSpans } = await import(join(dist, 'store', 'generate-spans.js'));
const { startUiServer } = await import(join(dist, 'ui', 'server', 'ui-server.js'));
const { storeUiData } = await import(join(dist, 'cli', 'commands', 'ui.js'));
const { formatUsd } = await import(join(dist, 'core', 'money.js'));
const { parseSpendView, spendRange } = await import(join(dist, 'ui', 'pages', 'spend-view.js'));

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const flag = (name) => process.argv.includes(`--${name}`);
const total = Number(argument('spans', 1_000_000));
const requests = Number(argument('requests', 20));
const asJson = flag('json');
if (!Number.isSafeInteger(total) || total < 1_000 || !Number.isSafeInteger(requests) || requests < 2) {
  console.error('ui.bench: --spans must be an integer ≥ 1000 and --requests ≥ 2');
  process.exit(2);
}
const say = (line) => (asJson ? process.stderr : process.stdout).write(`${line}\n`);

const day = 86_400_000;
const days = 90;
const chunk = 100_000;
const batch = 10_000;
const goalMs = 300;
/** Bump when the generated traffic changes, so that an old cached store is not measured as a new one. */
const generation = 2;
const directory = join(tmpdir(), `frugal-ui-bench-${total}`);
const database = join(directory, 'frugal.db');
const metaFile = join(directory, 'meta.json');

/**
 * What the gateway records: one call in ten a cache hit (no tokens, no cost, what it saved; a third of them
 * semantic), the others cache misses, and one call in twenty routed (asked for `frugal/auto`).
 */
function asGatewayTraffic(spans, offset) {
  return spans.map((span, index) => {
    if (span.kind !== 'llm') return span;
    const position = offset + index;
    if (position % 10 !== 3) {
      const routed = position % 20 === 7;
      return {
        ...span,
        attributes: {
          ...span.attributes,
          'frugal.cache.status': 'miss',
          ...(routed ? { 'frugal.route.requested_model': 'frugal/auto', 'frugal.route.reason': 'easy' } : {}),
        },
      };
    }
    const semantic = position % 30 === 13;
    return {
      ...span,
      durationMs: 2 + (position % 7),
      usage: { input: 0, output: 0 },
      cost: { status: 'priced', total: 0n, priceId: span.requestModel ?? 'x', source: 'catalog' },
      attributes: {
        ...span.attributes,
        'frugal.cache.status': semantic ? 'semantic-hit' : 'hit',
        'frugal.cache.source_span': span.id.split('').reverse().join(''),
        'frugal.cache.saved_usd': `0.00${(position % 900) + 100}`,
        ...(semantic ? { 'frugal.cache.similarity': 0.93 + (position % 6) / 100 } : {}),
      },
    };
  });
}

/** Builds the store: the demo's experiment, the generated spans, budgets and alerts. Returns what the pages need. */
async function buildStore() {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const began = performance.now();
  const demo = spawnSync(process.execPath, [join(root, 'bin', 'frugal.js'), 'demo', '--store', database], {
    cwd: directory,
    encoding: 'utf8',
  });
  if (demo.status !== 0) throw new Error(`frugal demo failed (${demo.status}): ${demo.stderr}`);
  const now = Date.now();
  const start = now - days * day;
  const store = await openStore(database);
  let inserted = 0;
  let trace;
  let insertMs = 0;
  for (let index = 0; index * chunk < total; index++) {
    const count = Math.min(chunk, total - index * chunk);
    const spans = asGatewayTraffic(
      generateSpans({
        count,
        seed: 7_000 + index,
        start: start + (index * chunk * days * day) / total,
        days: (days * count) / total,
        features: 25,
        users: 2_000,
        apiKeys: 15,
        repeatShare: 0.03,
      }),
      index * chunk,
    );
    // A trace from the middle of the range with a step span around its calls: the trace page's example.
    if (trace === undefined && (index + 1) * chunk >= total / 2) {
      const step = spans.find((span, at) => at >= count / 2 && span.kind === 'step');
      trace = step?.traceId ?? spans[Math.floor(count / 2)].traceId;
    }
    const begin = performance.now();
    for (let at = 0; at < spans.length; at += batch)
      inserted += await store.insertSpans(spans.slice(at, at + batch));
    insertMs += performance.now() - begin;
    if (!asJson && process.stderr.isTTY)
      process.stderr.write(`\r  ${inserted.toLocaleString('en-US')} spans…`);
  }
  if (!asJson && process.stderr.isTTY) process.stderr.write('\r');
  const limit = (dollars) => BigInt(dollars) * 1_000_000_000_000n;
  const budgets = [
    { id: 'global/month', scope: { kind: 'global' }, period: 'month', limit: limit(50_000) },
    {
      id: 'feature:feature-3/day',
      scope: { kind: 'feature', value: 'feature-3' },
      period: 'day',
      limit: limit(20),
    },
    { id: 'user:user-0/week', scope: { kind: 'user', value: 'user-0' }, period: 'week', limit: limit(100) },
    { id: 'key:key-1/month', scope: { kind: 'key', value: 'key-1' }, period: 'month', limit: limit(2_000) },
    { id: 'model:gpt-4o/day', scope: { kind: 'model', value: 'gpt-4o' }, period: 'day', limit: limit(300) },
  ];
  for (const budget of budgets) {
    await store.putBudget({ ...budget, timeZone: 'UTC', hard: false, thresholds: [50, 80, 90, 100] });
  }
  for (let index = 0; index < 60; index++) {
    await store.recordAlert({
      id: `bench-${index}`,
      kind: index % 3 === 0 ? 'budget-threshold' : 'spend-spike',
      severity: index % 5 === 0 ? 'critical' : 'warning',
      time: now - index * 6 * 3_600_000,
      message: `bench alert ${index}`,
      details: { index },
    });
  }
  await store.close();
  const meta = { generation, spans: total, inserted, now, trace, experiment: 'demo' };
  writeFileSync(metaFile, `${JSON.stringify(meta)}\n`);
  say(
    `built ${database}: ${inserted.toLocaleString('en-US')} spans over ${days} days ` +
      `(${Math.round(inserted / (insertMs / 1000)).toLocaleString('en-US')} spans/s), ` +
      `${((performance.now() - began) / 1000).toFixed(0)} s in all`,
  );
  return meta;
}

function cachedStore() {
  if (flag('rebuild') || !existsSync(metaFile) || !existsSync(database)) return undefined;
  const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  return meta.generation === generation && meta.spans === total ? meta : undefined;
}

/**
 * One keep-alive connection per page measured (the server closes idle ones after 5 s, and measuring the data
 * alone takes longer).
 */
let agent = new Agent({ keepAlive: true, maxSockets: 1 });
function freshConnection() {
  agent.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
}

/** One GET, timed from the request to the response's last byte; rejects on anything but `expected`. */
function get(origin, path, expected = 200) {
  return new Promise((resolve, reject) => {
    const begin = performance.now();
    const call = httpRequest(`${origin}${path}`, { agent }, (response) => {
      let bytes = 0;
      response.on('data', (data) => {
        bytes += data.length;
      });
      response.on('end', () => {
        const ms = performance.now() - begin;
        if (response.statusCode !== expected) reject(new Error(`${path}: HTTP ${response.statusCode}`));
        else resolve({ ms, bytes });
      });
      response.on('error', reject);
    });
    call.on('error', reject);
    call.end();
  });
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

/**
 * A commit by another connection before each measured call, as a gateway writing spans makes every second:
 * SQLite then drops this connection's page cache and the store its kept rankings (see `SqliteStore`), so that
 * no request is answered from the previous one's work. (It writes to a table of its own: the data stay put.)
 */
function otherWriter() {
  const connection = new Database(database);
  connection.exec('CREATE TABLE IF NOT EXISTS bench_ticks (at INTEGER NOT NULL)');
  const tick = connection.prepare('INSERT INTO bench_ticks (at) VALUES (?)');
  return { tick: () => tick.run(Date.now()), close: () => connection.close() };
}

/** The first call, then the median and p95 of `requests` more, each after another connection's commit. */
async function measure(work) {
  writer.tick();
  const first = await work();
  const times = [];
  let last = first;
  for (let index = 0; index < requests; index++) {
    writer.tick();
    const begin = performance.now();
    last = await work();
    times.push(last?.ms ?? performance.now() - begin);
  }
  times.sort((a, b) => a - b);
  return { first: first?.ms, median: quantile(times, 0.5), p95: quantile(times, 0.95), bytes: last?.bytes };
}

/** Times a direct store call (no HTTP, no HTML): the calls a page makes, in the same order. */
const direct = (work) => async () => {
  const begin = performance.now();
  await work();
  return { ms: performance.now() - begin };
};

/**
 * The store, built first when needed, in a child process: a million spans made and dropped leave this process's
 * heap large, which slows what is measured after it (a 90-day ranking by user took 3x as long).
 */
function storeMeta() {
  const cached = cachedStore();
  if (cached !== undefined) return cached;
  const args = [fileURLToPath(import.meta.url), '--build-only', '--spans', String(total)];
  if (asJson) args.push('--json');
  const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`building the store failed (${child.status ?? child.signal})`);
  return JSON.parse(readFileSync(metaFile, 'utf8'));
}

if (flag('build-only')) {
  await buildStore();
  process.exit(0);
}
const meta = storeMeta();
const store = await openStore(database);
const writer = otherWriter();
const data = storeUiData(store, () => meta.now);
const ui = await startUiServer({ data, port: 0, now: () => meta.now });
/** The calls the spend page makes for `path`, as spend-route.ts makes them, each by name. */
function spendCalls(path) {
  const view = parseSpendView(new URL(path, 'http://ui').searchParams);
  const range = spendRange(view, meta.now);
  const scope = { from: range.from, to: range.to, filters: view.filters };
  return {
    [`by ${view.by} per day, top 8`]: () =>
      data.spend({ ...scope, groupBy: [view.by], bucket: 'day', limit: 8 }),
    [`by ${view.by}, top 20`]: () => data.spend({ ...scope, groupBy: [view.by], limit: 20 }),
    total: () => data.spend(scope),
    savings: () => data.savings(scope),
    budgets: () => data.budgets(),
    alerts: () => data.alerts(20),
    anomalies: () => data.anomalies(),
  };
}
const spendDirect = (path) =>
  direct(() => Promise.all(Object.values(spendCalls(path)).map((call) => call())));
const spendPaths = [
  ['spend (defaults: model, 30 days)', '/spend'],
  ['spend by model, 90 days', '/spend?by=model&days=90'],
  ['spend by feature, 90 days', '/spend?by=feature&days=90'],
  ['spend by user, 90 days', '/spend?by=user&days=90'],
  ['spend by key, 90 days', '/spend?by=key&days=90'],
  ['spend by user, 90 days, one feature', '/spend?by=user&days=90&feature=feature-3'],
];
const pages = [
  ['experiments', '/', direct(() => data.experiments())],
  [
    'experiment',
    `/experiments/${encodeURIComponent(meta.experiment)}`,
    direct(() => data.experiment(meta.experiment)),
  ],
  ['trace', `/traces/${meta.trace}`, direct(() => data.trace(meta.trace))],
  ...spendPaths.map(([name, path]) => [name, path, spendDirect(path)]),
];

const results = [];
try {
  const floor = await measure(() => get(ui.url, '/favicon.ico', 204));
  const spent = (await store.querySpend({ from: meta.now - days * day, to: meta.now })).reduce(
    (sum, row) => sum + row.cost,
    0n,
  );
  say(
    `ui.bench: ${meta.inserted.toLocaleString('en-US')} generated spans over ${days} days ($${formatUsd(spent, 2)}) ` +
      `+ frugal demo, ${requests} requests a page after the first; node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
  );
  say(`floor: GET /favicon.ico (empty 204 from the same server): median ${floor.median.toFixed(2)} ms`);
  say(
    `${'page'.padEnd(36)} ${'first'.padStart(8)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ` +
      `${'data ms'.padStart(9)} ${'×data'.padStart(7)} ${'×floor'.padStart(7)} ${'÷goal'.padStart(6)}  bytes`,
  );
  const ms = (value) => (value < 10 ? value.toFixed(2) : value.toFixed(0)).padStart(8);
  for (const [name, path, dataWork] of pages) {
    freshConnection();
    const page = await measure(() => get(ui.url, path));
    const alone = await measure(dataWork);
    results.push({ name, path, ...page, dataMedian: alone.median, floorMedian: floor.median });
    say(
      `${name.padEnd(36)} ${ms(page.first)} ${ms(page.median)} ${ms(page.p95)} ${ms(alone.median)}  ` +
        `${(page.median / alone.median).toFixed(1).padStart(6)}x ${(page.median / floor.median).toFixed(0).padStart(6)}x ` +
        `${(page.p95 / goalMs).toFixed(2).padStart(6)}  ${page.bytes.toLocaleString('en-US')}`,
    );
  }
  say("\nwhere a spend page's data time goes: each call alone, median ms");
  const breakdown = {};
  for (const [name, path] of spendPaths.slice(1)) {
    const calls = spendCalls(path);
    const times = [];
    for (const [call, work] of Object.entries(calls))
      times.push(`${call} ${ms((await measure(direct(work))).median).trim()}`);
    breakdown[path] = times;
    say(`  ${name.padEnd(36)} ${times.join(' · ')}`);
  }
  const worst = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  say(
    `slowest page p95: ${worst.name}, ${worst.p95.toFixed(1)} ms = ${(worst.p95 / goalMs).toFixed(2)} of the ${goalMs} ms goal`,
  );
  if (asJson)
    process.stdout.write(`${JSON.stringify({ spans: meta.inserted, floor, pages: results, breakdown })}\n`);
} catch (error) {
  console.error(`ui.bench: ${error.message}`);
  process.exitCode = 1;
} finally {
  await ui.close();
  agent.destroy();
  writer.close();
  await store.close();
}
