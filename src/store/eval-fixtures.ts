import type { EvalResultRecord, EvalRunRecord } from '../core/evals/eval-records.js';

/** Evaluation records for the eval contract: every field set with the values a store could lose, and none. */

const t0 = Date.UTC(2026, 2, 9, 14);

/** A run with every optional field set, awkward config and metrics (non-integers, -0, tiny and huge numbers). */
export const fullRun: EvalRunRecord = {
  id: 'run-full',
  experiment: 'support-bot',
  candidate: 'small-terse',
  model: 'openai/gpt-4o-mini',
  simulated: true,
  status: 'stopped',
  startedAt: t0,
  endedAt: t0 + 61_234,
  stopReason: 'run budget of $0.50 reached — “stopped” cleanly',
  dataset: { name: 'datasets/support.jsonl', hash: 'sha256:9f86d081884c7d65', rows: 120 },
  config: {
    model: 'openai/gpt-4o-mini',
    temperature: 0.7,
    maxTokens: 512,
    prompt: 'Answer in one line.\nBe terse: \u{1F600} "quoted" \\ back\u0000slash',
    stop: ['\n\n', ''],
    nested: { deep: { list: [1, 2.5, -0, null, true, { x: 'y' }], empty: {} } },
    seed: 9_007_199_254_740_991,
  },
  metrics: {
    'correctness/mean': 0.8333333333333334,
    'correctness/ci_low': 0.7512,
    'correctness/ci_high': 0.9,
    'latency/p95': 1234.5,
    'cost/per_point': 1e-300,
    'delta/baseline': -0,
    'tokens/max': Number.MAX_VALUE,
    rows: 120,
  },
};

/** A run with nothing optional and empty config and metrics: every absent field must stay absent. */
export const bareRun: EvalRunRecord = {
  id: 'run-bare',
  experiment: '',
  candidate: 'c',
  simulated: false,
  status: 'running',
  startedAt: 0,
  dataset: { name: 'd', hash: '', rows: 0 },
  config: {},
  metrics: {},
};

export function run(id: string, experiment: string, startedAt: number): EvalRunRecord {
  return { ...bareRun, id, experiment, startedAt };
}

/** A result with every optional field, costs beyond 2^53 pico-dollars and nested score details. */
export const fullResult: EvalResultRecord = {
  runId: 'run-full',
  rowId: 'q-017',
  rowIndex: 16,
  repeat: 2,
  inputs: { question: 'What is “frugal”?', history: [{ role: 'user', content: 'hi' }], k: 3 },
  expectations: { answer: 'a toolkit', facts: ['cost', 'quality'], tolerance: 0.05 },
  output: 'A toolkit that measures LLM cost and quality.\n\u{1F600}',
  error: 'first attempt timed out',
  scores: {
    correctness: {
      value: true,
      rationale: 'matches the expected answer',
      details: { judge: 'sim/judge', votes: [1, 1, 0], confidence: 0.875, raw: { tokens: 12, note: null } },
    },
    similarity: { value: 0.7314159265358979 },
    faithfulness: { error: 'judge reply unreadable', details: {} },
    empty: {},
  },
  traceId: '0123456789abcdef0123456789abcdef',
  usage: { input: 1200, cachedInput: 1024, cacheWrite: 0, output: 80, reasoning: 16 },
  cost: 2n ** 62n + 123_456_789n,
  judgeUsage: { input: 300, output: 5 },
  judgeCost: 2n ** 53n + 1n,
  latencyMs: 812.75,
  cached: true,
  simulated: true,
  recordedAt: t0 + 5_000,
};

/** A result with nothing optional: no output, usage, cost or latency. */
export const bareResult: EvalResultRecord = {
  runId: 'run-bare',
  rowId: 'r',
  rowIndex: 0,
  repeat: 0,
  inputs: {},
  expectations: {},
  scores: {},
  cached: false,
  simulated: false,
  recordedAt: 0,
};

/** One row's result in a run; with no output, a failed prediction (an error, no output, no cost). */
export function result(
  runId: string,
  rowIndex: number,
  repeat: number,
  output: string | undefined = 'ok',
): EvalResultRecord {
  return {
    ...bareResult,
    runId,
    rowId: `row-${rowIndex}`,
    rowIndex,
    repeat,
    inputs: { question: `q${rowIndex}` },
    ...(output === undefined
      ? { error: 'timeout' }
      : {
          output,
          scores: { correctness: { value: output === 'ok' } },
          cost: BigInt(rowIndex * 1_000 + repeat),
        }),
    recordedAt: t0 + rowIndex,
  };
}
