// The evaluation runner under a provider's rate limit (issue 4 §7): rows × 3 candidates (three models on one
// OpenAI-compatible fake server, sharing ONE rate controller because they share the provider's limit, their three
// evaluate() calls run concurrently), adapter retries off (maxRetries 0) so every 429 reaches the runner.
//
// The fake enforces R requests per minute as a token bucket: R/60 tokens of burst (one second's worth; providers
// quantize per-minute limits to shorter windows, so a minute's budget cannot be sent at once), refilled evenly at
// R/60,000 per ms. A request with no token gets a 429 at once with `retry-after-ms` = the time until the next
// token (so Retry-After is exact); an accepted one answers after 20–50 ms (seeded). A sliding 60 s window would
// not do: a run shorter than the window would never meet the limit.
//
// Variants, each on a fresh server and controller:
//   ceiling   no limit on the server, adaptive controller: the runner's own pace, to show the limit is what binds
//   naive     BASELINE: fixed concurrency, a rate-limited call sleeps its Retry-After holding its slot, retries
//             until done (no adaptation, no shared pause, no pacing)
//   adaptive  createRateController({ maxConcurrency }): learns from 429s only (AIMD + Retry-After pause)
//   paced     createRateController({ maxConcurrency, requestsPerMinute: R }): even pacing under the limit
// Throughput = requests the server accepted ÷ the variant's wall time, as a % of R (the bucket's initial burst
// lets an ideal client reach ~100% + R/60 ÷ (R × minutes), e.g. 103% over 30 s). "× naive" is the ratio of a
// variant's throughput to the naive baseline's, measured in the same run. "most for one row" is the largest number
// of 429s one (row, candidate) got: evaluate() gives a row up after maxRateLimitRetries (default 5) + 1 of them.
// A low limit (a fraction of a request in flight is enough: `--rows 100 --rpm 600`) is the hard case for the
// adaptive variant, whose concurrency cannot go below one call in flight.
//
// Prints figures; never fails on timing. Exits 1 only when the run itself breaks: a frugal variant (ceiling,
// adaptive, paced) with a failed row, a run not completed, or a wrong answer — a correctness failure, not speed.
// Needs a build (`npm run bench` builds first, or `npx tsc -p tsconfig.build.json`).
//   node bench/eval.bench.mjs [--rows 1000] [--rpm 6000] [--concurrency 32]
//                             [--variants ceiling,naive,adaptive,paced]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
if (!existsSync(join(dist, 'eval', 'evaluate.js'))) {
  console.error('eval.bench: dist/ is missing; build first with `npx tsc -p tsconfig.build.json`');
  process.exit(1);
}
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const { evaluate } = await load('eval/evaluate.js');
const { createRateController } = await load('eval/rate-controller.js');
const { exactMatch } = await load('eval/scorers/exact-match.js');
const { createRandom } = await load('core/random.js');
const { createOpenAICompatibleChatModel } = await load('providers/openai-compatible-chat-model.js');
const { startFakeOpenAIServer } = await load('testing/fake-openai-server.js');

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const rowCount = Number(argument('rows', 1_000));
const rpm = Number(argument('rpm', 6_000));
const maxConcurrency = Number(argument('concurrency', 32));
const variants = argument('variants', 'ceiling,naive,adaptive,paced').split(',');
const models = ['bench-small', 'bench-medium', 'bench-large'];
const answer = '42';

const rows = Array.from({ length: rowCount }, (_, index) => ({
  id: `row-${index + 1}`,
  index,
  inputs: { question: `What is 6 × 7? (question ${index + 1})` },
  expectations: { expected_response: answer },
}));

/** The provider's limit: a token bucket of `perMinute` requests, R/60 deep. Returns 0 or the ms to wait. */
function tokenBucket(perMinute) {
  const perMs = perMinute / 60_000;
  const capacity = Math.max(1, perMinute / 60);
  let tokens = capacity;
  let last = performance.now();
  return () => {
    const at = performance.now();
    tokens = Math.min(capacity, tokens + (at - last) * perMs);
    last = at;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - tokens) / perMs));
  };
}

/** The fake provider: counts accepted requests and 429s; `limit` undefined means no limit. */
async function startProvider(limit) {
  const take = limit === undefined ? () => 0 : tokenBucket(limit);
  const random = createRandom(7);
  const counts = { accepted: 0, rejected: 0, perRequest: new Map() };
  const server = await startFakeOpenAIServer({
    reply: (request) => {
      const wait = take();
      if (wait > 0) {
        counts.rejected++;
        const key = request.rawBody;
        counts.perRequest.set(key, (counts.perRequest.get(key) ?? 0) + 1);
        return {
          error: {
            status: 429,
            code: 'rate_limit_exceeded',
            message: `Rate limit reached: ${limit} requests per minute.`,
            retryAfterMs: wait,
          },
        };
      }
      counts.accepted++;
      return { text: answer, latency: { firstByteMs: 20 + Math.floor(random() * 31) } };
    },
  });
  return { server, counts };
}

/**
 * The baseline's controller: a fixed number of slots; a rate-limited call keeps its slot while it sleeps the
 * Retry-After it was given, then frees it (a worker pool that sleeps on 429). No adaptation, no pacing.
 */
function fixedController(slots) {
  let inFlight = 0;
  let rateLimited = 0;
  const waiting = [];
  const free = () => {
    inFlight--;
    waiting.shift()?.();
  };
  return {
    async acquire() {
      while (inFlight >= slots) await new Promise((resolve) => waiting.push(resolve));
      inFlight++;
      let released = false;
      return (outcome) => {
        if (released) return;
        released = true;
        if (outcome.kind === 'rate-limited') {
          rateLimited++;
          setTimeout(free, outcome.retryAfterMs ?? 1_000);
        } else free();
      };
    },
    concurrency: () => slots,
    stats: () => ({ rateLimited, pausedMs: 0 }),
  };
}

const setups = {
  ceiling: { limit: undefined, controller: () => createRateController({ maxConcurrency }), checked: true },
  naive: { limit: rpm, controller: () => fixedController(maxConcurrency), checked: false, retries: 1e9 },
  adaptive: { limit: rpm, controller: () => createRateController({ maxConcurrency }), checked: true },
  paced: {
    limit: rpm,
    controller: () => createRateController({ maxConcurrency, requestsPerMinute: rpm }),
    checked: true,
  },
};

async function runVariant(name) {
  const setup = setups[name];
  if (setup === undefined) throw new Error(`unknown variant '${name}' (${Object.keys(setups).join(', ')})`);
  const { server, counts } = await startProvider(setup.limit);
  const controller = setup.controller();
  const samples = [];
  const sampler = setInterval(() => samples.push(controller.concurrency()), 50);
  const began = performance.now();
  let results;
  try {
    results = await Promise.all(
      models.map((model) =>
        evaluate({
          data: rows,
          candidate: {
            name: model,
            model: createOpenAICompatibleChatModel({
              model,
              baseUrl: server.baseURL,
              apiKey: 'bench-key',
              maxRetries: 0,
            }),
          },
          scorers: [exactMatch()],
          rateController: controller,
          ...(setup.retries === undefined ? {} : { maxRateLimitRetries: setup.retries }),
        }),
      ),
    );
  } finally {
    clearInterval(sampler);
    await server.close();
  }
  const wallMs = performance.now() - began;
  const failedRows = results.reduce(
    (sum, result) => sum + result.rows.filter((row) => row.error !== undefined).length,
    0,
  );
  const broken = results.filter(
    (result) => result.status !== 'completed' || result.metrics['exact_match/mean'] !== 1,
  );
  return {
    name,
    checked: setup.checked,
    wallMs,
    perMinute: counts.accepted / (wallMs / 60_000),
    accepted: counts.accepted,
    rejected: counts.rejected,
    seenByRunner: controller.stats().rateLimited,
    most429s: Math.max(0, ...counts.perRequest.values()),
    pausedMs: controller.stats().pausedMs,
    failedRows,
    broken: broken.map((result) => `${result.candidate}: ${result.status} ${result.stopReason ?? ''}`.trim()),
    concurrencyEnd: controller.concurrency(),
    concurrencyMean: samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

const integer = (value) => Math.round(value).toLocaleString('en-US');
console.log(
  `${integer(rowCount)} rows × ${models.length} candidates = ${integer(rowCount * models.length)} requests; ` +
    `limit ${integer(rpm)} rpm (token bucket, ${integer(rpm / 60)} burst); max concurrency ${maxConcurrency}; ` +
    `answers after 20–50 ms`,
);
const measured = [];
for (const name of variants) {
  const result = await runVariant(name);
  measured.push(result);
  const share = (result.perMinute / rpm) * 100;
  console.log(
    `${name.padEnd(9)} ${(result.wallMs / 1000).toFixed(1).padStart(6)} s ` +
      `${integer(result.perMinute).padStart(8)} accepted/min = ${share.toFixed(1).padStart(5)}% of limit | ` +
      `429s ${integer(result.rejected).padStart(6)} (runner saw ${integer(result.seenByRunner)}, most for one row ${result.most429s}, paused ${integer(result.pausedMs)} ms) | ` +
      `failed rows ${result.failedRows} | concurrency end ${result.concurrencyEnd}, mean ${result.concurrencyMean.toFixed(1)}`,
  );
  if (result.failedRows > 0 || result.broken.length > 0 || result.accepted < rowCount * models.length) {
    console.log(
      `  !!! ${name}: ${result.failedRows} FAILED ROWS, ${integer(result.accepted)} accepted of ${integer(rowCount * models.length)}` +
        `${result.broken.length > 0 ? `; ${result.broken.join('; ')}` : ''}`,
    );
  }
}

const naive = measured.find((result) => result.name === 'naive');
if (naive !== undefined) {
  for (const result of measured) {
    if (result === naive) continue;
    console.log(
      `${result.name.padEnd(9)} ${(result.perMinute / naive.perMinute).toFixed(2)}× the naive baseline's throughput` +
        (result.name === 'ceiling'
          ? ' (unlimited server: how far above the limit the runner could go)'
          : '') +
        `, ${naive.rejected === 0 ? '-' : (result.rejected / naive.rejected).toFixed(3)}× its 429s`,
    );
  }
}
// A correctness failure (rows lost, runs broken or wrong answers) in a frugal variant, never a timing one.
const broken = measured.filter(
  (result) => result.checked && (result.failedRows > 0 || result.broken.length > 0),
);
if (broken.length > 0) {
  console.error(
    `eval.bench: FAILED ROWS or broken runs in ${broken.map((result) => result.name).join(', ')}`,
  );
  process.exitCode = 1;
}
