// The load generator for bench/gateway.bench.mjs, in its own process so it does not share a thread with what it
// measures. Sends chat requests like a real client (model, 2 messages, max_tokens, temperature; a bearer key and
// an `x-frugal-feature: bench` header; every question new, so no cache can answer it) over keep-alive
// (pipelining 1) and prints one JSON line of figures.
//   closed  --concurrency c: c requests always in flight, each sent when the previous one has answered; c=1 is
//           one at a time
//   paced   --rate r: open loop, request i is started at start + i/r whatever the replies; its latency is
//           measured from that scheduled time, so a stall counts for every request it delays (no coordinated
//           omission); `lag` is how late the generator itself started requests (timer granularity, its own CPU)
// Latency runs from sending to the last byte of the body (process.hrtime.bigint). Only requests that end inside
// the measured window (after --warmup) count. Every answer is checked: a status other than 200, a JSON answer
// without usage, or a stream that does not end with `data: [DONE]` is counted as a failure and sampled.
//   node bench/gateway/load.mjs --url http://127.0.0.1:PORT --key KEY [--mode closed|paced] [--concurrency 16]
//                               [--rate 2000] [--warmup 1] [--duration 3] [--requests N] [--stream [--no-usage]]
// `--requests N` (closed loop) stops once N requests have been sent, whatever the duration: a fixed amount of work,
// for figures counted per request rather than timed (the bench's `--instructions`).
// `--stream` asks for the usage chunk (`stream_options.include_usage`); with `--no-usage` it does not, as most SDK
// clients do not by default (the gateway then asks upstream for it on the client's behalf and hides it).
import { Worker } from 'node:worker_threads';

import { createClient } from './http1-client.mjs';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const url = argument('url');
const key = argument('key', 'sk-bench');
const mode = argument('mode', 'closed');
const concurrency = Number(argument('concurrency', 16));
const rate = Number(argument('rate', 1_000));
const warmupNs = Number(argument('warmup', 1)) * 1e9;
const durationNs = Number(argument('duration', 3)) * 1e9;
const requestLimit = Number(argument('requests', Number.POSITIVE_INFINITY));
const stream = process.argv.includes('--stream');
const askUsage = !process.argv.includes('--no-usage');
if (url === undefined || !['closed', 'paced'].includes(mode)) {
  console.error('load: usage: node bench/gateway/load.mjs --url <origin> [--mode closed|paced] ...');
  process.exit(2);
}

// Every request asks something new (a sequence number in the question), as real traffic does: identical
// bodies would be answered from the gateway's exact cache and never reach the upstream.
const [bodyHead, bodyTail] = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [
    {
      role: 'system',
      content:
        'You are the support assistant of an online shop. Answer in two sentences at most, quote order numbers ' +
        'exactly and never invent a tracking number.',
    },
    {
      role: 'user',
      content: 'Hi! Where is my order #SEQUENCE? I ordered it last week and have heard nothing since.',
    },
  ],
  max_tokens: 256,
  temperature: 0.2,
  ...(stream ? { stream: true, ...(askUsage ? { stream_options: { include_usage: true } } : {}) } : {}),
}).split('SEQUENCE');
const run = `${process.pid}${Date.now() % 1e6}`;
let sequence = 0;
const nextBody = () => `${bodyHead}${run}-${++sequence}${bodyTail}`;
const headers = {
  'content-type': 'application/json',
  authorization: `Bearer ${key}`,
  'x-frugal-feature': 'bench',
};
const origin = process.hrtime.bigint();
const now = () => Number(process.hrtime.bigint() - origin);
const connections = mode === 'closed' ? concurrency : 64;
const client = createClient(url, { connections });

const failures = { errors: 0, statuses: {}, invalid: 0, samples: [] };
const sample = (text) => {
  if (failures.samples.length < 3) failures.samples.push(text.slice(0, 300));
};
let completed = 0;

/** Sends one request and reads its body to the end; true when the answer is a good one. */
async function send() {
  try {
    const answer = await client.request('/v1/chat/completions', headers, nextBody());
    completed++;
    const text = answer.body.toString();
    if (answer.status !== 200) {
      failures.statuses[answer.status] = (failures.statuses[answer.status] ?? 0) + 1;
      sample(`${answer.status} ${text}`);
      return false;
    }
    if (stream ? !text.endsWith('data: [DONE]\n\n') : !text.includes('"usage"')) {
      failures.invalid++;
      sample(`200 but ${stream ? 'no data: [DONE] at the end' : 'no usage'}: ${text}`);
      return false;
    }
    return true;
  } catch (error) {
    failures.errors++;
    sample(`${error.code ?? error.name}: ${error.message}`);
    return false;
  }
}

const latencies = [];
const lags = [];
let measured = 0;
let started = 0;
const measureFrom = warmupNs;
const measureTo = warmupNs + durationNs;

async function closedLoop() {
  const worker = async () => {
    while (now() < measureTo && failures.errors < 1_000 && started < requestLimit) {
      const sent = now();
      started++;
      await send();
      const done = now();
      if (done >= measureFrom && done <= measureTo) {
        measured++;
        latencies.push(done - sent);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Ticks at the scheduled times from a worker thread: Atomics.wait sleeps to within ~0.1 ms where setTimeout in
 * this thread is late by up to a millisecond or two, and a sleeping thread costs no CPU where a spin would take
 * a core from what is measured. Posts each index as it falls due, then -1.
 */
const metronome = `
const { parentPort, workerData } = require('node:worker_threads');
const origin = BigInt(workerData.origin);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
for (let index = 0; index * workerData.interval < workerData.end; index++) {
  const wait = index * workerData.interval - Number(process.hrtime.bigint() - origin);
  if (wait > 20_000) Atomics.wait(sleeper, 0, 0, wait / 1e6);
  parentPort.postMessage(index);
}
parentPort.postMessage(-1);
`;

async function pacedLoop() {
  const interval = 1e9 / rate;
  const inFlight = new Set();
  const launch = (scheduled) => {
    started++;
    const lag = now() - scheduled;
    const request = send().then(() => {
      inFlight.delete(request);
      const done = now();
      if (scheduled >= measureFrom && scheduled < measureTo) {
        measured++;
        latencies.push(done - scheduled);
        lags.push(lag);
      }
    });
    inFlight.add(request);
  };
  const ticker = new Worker(metronome, {
    eval: true,
    workerData: { origin: String(origin), interval, end: measureTo },
  });
  await new Promise((resolve, reject) => {
    let next = 0;
    ticker.on('error', reject);
    ticker.on('message', (index) => {
      const due = index === -1 ? measureTo : now();
      for (; next * interval <= due && next * interval < measureTo; next++) launch(next * interval);
      if (index === -1) resolve();
    });
  });
  await ticker.terminate();
  let timer;
  const patience = new Promise((resolve) => {
    timer = setTimeout(resolve, 10_000);
  });
  await Promise.race([Promise.all(inFlight), patience]);
  clearTimeout(timer);
}

const cpuBefore = process.cpuUsage();
await (mode === 'closed' ? closedLoop() : pacedLoop());
const cpu = process.cpuUsage(cpuBefore);
const elapsedNs = now();
client.close();

const percentile = (values, p) => {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] / 1e6;
};
const failed =
  failures.errors + failures.invalid + Object.values(failures.statuses).reduce((a, b) => a + b, 0);
const result = {
  mode,
  stream,
  ...(stream ? { askUsage } : {}),
  ...(mode === 'closed' ? { concurrency } : { rate }),
  measured,
  started,
  completed,
  perSecond: measured / (durationNs / 1e9),
  p50: percentile(latencies, 50),
  p90: percentile(latencies, 90),
  p99: percentile(latencies, 99),
  max: percentile(latencies, 100),
  ...(mode === 'paced' ? { lagP50: percentile(lags, 50), lagP99: percentile(lags, 99) } : {}),
  failed,
  ...failures,
  generatorCpu: (cpu.user + cpu.system) / 1e3 / (elapsedNs / 1e6),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
