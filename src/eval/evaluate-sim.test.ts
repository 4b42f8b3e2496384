import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed000Questions, seed000SystemPrompt } from '../../test/fixtures/seed-000-questions.js';
import type { EvalResultRecord } from '../core/evals/eval-records.js';
import type { Span } from '../core/spans/span.js';
import { createSimulatorChatModel } from '../providers/simulator/create-simulator-chat-model.js';
import type { Sleep } from '../providers/simulator/real-sleep.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { combineSinks } from '../tracing/combine-sinks.js';
import { createMemorySink, type MemorySink } from '../tracing/memory-sink.js';
import { openSpanWriter, type SpanWriter } from '../tracing/span-writer.js';
import type { EvalRow } from './eval-row.js';
import { evaluate } from './evaluate.js';
import type { EvaluateOptions } from './evaluate-options.js';
import { completeness, correctness } from './judges/judges.js';
import { candidateTag, judgeTag } from './row-spend.js';
import { factCoverage } from './scorers/fact-coverage.js';

const rows: EvalRow[] = seed000Questions.map(({ question, facts }, index) => ({
  id: `q${index + 1}`,
  index,
  inputs: { question },
  expectations: { expected_facts: facts },
}));
const knowledge = rows.map((row) => ({
  question: String(row.inputs['question']),
  facts: row.expectations.expected_facts ?? [],
}));

const candidate = (name: 'small' | 'medium' | 'large', options: { sleep?: Sleep } = {}) => ({
  name,
  model: createSimulatorChatModel(`sim/${name}`, {
    knowledge,
    ...(options.sleep ? { timeScale: 1, sleep: options.sleep } : {}),
  }),
  systemPrompt: seed000SystemPrompt,
});
const scorers = (judgeOptions: { sleep?: Sleep } = {}) => {
  const judge = createSimulatorChatModel('sim/judge', {
    ...(judgeOptions.sleep ? { timeScale: 1, sleep: judgeOptions.sleep } : {}),
  });
  return [correctness({ model: judge }), completeness({ model: judge }), factCoverage()];
};

const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);
const costOf = (spans: readonly Span[], tag: string) =>
  sum(
    spans
      .filter((span) => span.kind === 'llm' && span.attribution.tags?.includes(tag))
      .map((span) => {
        if (span.cost?.status !== 'priced') throw new Error(`unpriced span ${span.id}`);
        return span.cost.total;
      }),
  );
const callsOf = (sink: MemorySink, runId: string, tag: string) =>
  sink.spans.filter(
    (span) => span.kind === 'llm' && span.attribution.runId === runId && span.attribution.tags?.includes(tag),
  );

let directory: string;
let store: Store;
let writer: SpanWriter;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'frugal-eval-sim-'));
  store = await openStore(join(directory, 'frugal.db'));
  writer = await openSpanWriter({
    store,
    journalDirectory: join(directory, 'journal'),
    flushOnExit: false,
    flushIntervalMs: 50,
  });
});
afterAll(async () => {
  await writer.close();
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

/** The options of one offline run recorded into the store, its spans into a memory sink and the store. */
function offline(name: 'small' | 'medium' | 'large', sink: MemorySink, extra: Partial<EvaluateOptions> = {}) {
  return {
    data: rows,
    datasetName: 'seed-000',
    candidate: candidate(name),
    scorers: scorers(),
    experiment: 'seed-000-offline',
    recorder: store,
    sink: combineSinks(sink, writer),
    ...extra,
  } satisfies EvaluateOptions;
}

describe('evaluate, offline against the simulator, recorded in SQLite', () => {
  const sink = createMemorySink();
  const results: Record<string, Awaited<ReturnType<typeof evaluate>>> = {};

  beforeAll(async () => {
    for (const name of ['small', 'medium', 'large'] as const)
      results[name] = await evaluate(offline(name, sink));
    await writer.flush();
  });

  it('completes every candidate and stores every run and result, marked simulated', async () => {
    for (const name of ['small', 'medium', 'large'] as const) {
      const result = results[name];
      if (result === undefined) throw new Error(`no result for ${name}`);
      expect(result.status).toBe('completed');
      expect(result.simulated).toBe(true);
      expect(result.rows).toHaveLength(6);
      expect(result.rows.every((row) => row.simulated && row.error === undefined && !row.cached)).toBe(true);

      const stored = await store.listResults(result.runId);
      expect(stored).toEqual(result.rows);
      const run = await store.getRun(result.runId);
      expect(run).toMatchObject({
        id: result.runId,
        experiment: 'seed-000-offline',
        candidate: name,
        model: `sim/${name}`,
        simulated: true,
        status: 'completed',
        dataset: { name: 'seed-000', rows: 6 },
        metrics: result.metrics,
      });
      expect(run?.endedAt).toBeGreaterThanOrEqual(run?.startedAt ?? Number.POSITIVE_INFINITY);
    }
    const runs = await store.listRuns({ experiment: 'seed-000-offline' });
    expect(runs.map((run) => run.candidate).sort()).toEqual(['large', 'medium', 'small']);
  });

  it('scores every row with both judges and fact coverage, correctness with a verdict per fact', () => {
    for (const result of Object.values(results)) {
      for (const row of result.rows) {
        const facts = row.expectations['expected_facts'] as string[];
        expect(typeof row.scores['correctness']?.value).toBe('boolean');
        expect(typeof row.scores['completeness']?.value).toBe('boolean');
        const coverage = row.scores['fact_coverage']?.value;
        expect(typeof coverage).toBe('number');
        expect(coverage).toBeGreaterThanOrEqual(0);
        expect(coverage).toBeLessThanOrEqual(1);
        const verdicts = row.scores['correctness']?.details?.['facts'] as {
          fact: string;
          supported: boolean;
        }[];
        expect(verdicts.map((verdict) => verdict.fact)).toEqual(facts);
        expect(row.scores['correctness']?.value).toBe(verdicts.every((verdict) => verdict.supported));
      }
      expect(result.metrics['correctness/n']).toBe(6);
      expect(result.metrics['completeness/n']).toBe(6);
      expect(result.metrics['fact_coverage/n']).toBe(6);
    }
  });

  it("large's correctness is at least small's", () => {
    const small = results['small']?.metrics['correctness/mean'];
    const large = results['large']?.metrics['correctness/mean'];
    expect(small).toBeDefined();
    expect(large).toBeGreaterThanOrEqual(small as number);
    expect(results['large']?.metrics['fact_coverage/mean']).toBeGreaterThanOrEqual(
      results['small']?.metrics['fact_coverage/mean'] as number,
    );
  });

  it('costs each run from its spans, judge cost apart and non-zero, every span simulated', async () => {
    for (const result of Object.values(results)) {
      const candidateCalls = callsOf(sink, result.runId, candidateTag);
      const judgeCalls = callsOf(sink, result.runId, judgeTag);
      expect(candidateCalls).toHaveLength(6);
      // Two judges a row, no retries needed.
      expect(judgeCalls).toHaveLength(12);
      expect([...candidateCalls, ...judgeCalls].every((span) => span.simulated === true)).toBe(true);
      expect(judgeCalls.every((span) => span.requestModel === 'sim/judge')).toBe(true);
      expect(result.cost).toBe(costOf(candidateCalls, candidateTag));
      expect(result.judgeCost).toBe(costOf(judgeCalls, judgeTag));
      expect(result.judgeCost).toBeGreaterThan(0n);
      expect(result.cost).toBeGreaterThan(0n);
      expect(result.usage?.input).toBe(
        candidateCalls.reduce((total, span) => total + (span.usage?.input ?? 0), 0),
      );
    }
    // Dearer models cost more for the same questions.
    expect(results['large']?.cost).toBeGreaterThan(results['medium']?.cost as bigint);
    expect(results['medium']?.cost).toBeGreaterThan(results['small']?.cost as bigint);
  });

  it("stores each row's trace: its spans in the store add up to the row's cost and judge cost", async () => {
    const result = results['medium'];
    for (const row of result?.rows ?? []) {
      const trace = await store.getTrace(row.traceId as string);
      const llm = trace.filter((span) => span.kind === 'llm');
      expect(llm).toHaveLength(3);
      expect(llm.every((span) => span.simulated === true && span.attribution.runId === result?.runId)).toBe(
        true,
      );
      expect(row.cost).toBe(costOf(trace, candidateTag));
      expect(row.judgeCost).toBe(costOf(trace, judgeTag));
      expect(row.latencyMs).toBeGreaterThan(0);
    }
  });
});

describe('evaluate resumes an interrupted run', () => {
  it('stops cleanly on an interrupt, keeping what is done, and a resume runs only the missing rows', async () => {
    const sink = createMemorySink();
    const interrupt = new AbortController();
    const first = await evaluate(
      offline('small', sink, {
        runId: 'resume-me',
        concurrency: 1,
        signal: interrupt.signal,
        onProgress: (progress) => {
          if (progress.done === 2) interrupt.abort();
        },
      }),
    );
    expect(first.status).toBe('stopped');
    expect(first.stopReason).toBe('interrupted');
    expect(first.rows.map((row) => row.rowId)).toEqual(['q1', 'q2']);
    const stopped = await store.getRun('resume-me');
    expect(stopped).toMatchObject({ status: 'stopped', stopReason: 'interrupted' });
    expect((await store.listResults('resume-me')).map((row) => row.rowId)).toEqual(['q1', 'q2']);
    // Two answers; a third row may have started as the interrupt came, but it got no answer.
    const answered = (spans: readonly Span[]) => spans.filter((span) => span.status === 'ok');
    expect(answered(callsOf(sink, 'resume-me', candidateTag))).toHaveLength(2);
    expect(callsOf(sink, 'resume-me', candidateTag).length).toBeLessThanOrEqual(3);

    const again = createMemorySink();
    const resumed = await evaluate(offline('small', again, { runId: 'resume-me', resume: true }));
    expect(resumed.status).toBe('completed');
    expect(resumed.stopReason).toBeUndefined();
    expect(resumed.rows.map((row) => row.rowId)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    // Only the four missing rows were answered and judged.
    expect(callsOf(again, 'resume-me', candidateTag)).toHaveLength(4);
    expect(answered(callsOf(again, 'resume-me', candidateTag))).toHaveLength(4);
    expect(callsOf(again, 'resume-me', judgeTag)).toHaveLength(8);
    const resumedRows = new Set(resumed.rows.slice(2).map((row) => row.traceId));
    expect(new Set(callsOf(again, 'resume-me', candidateTag).map((span) => span.traceId))).toEqual(
      resumedRows,
    );
    // The kept rows are the very ones recorded before the interrupt.
    expect(resumed.rows.slice(0, 2)).toEqual(first.rows);
    const run = await store.getRun('resume-me');
    expect(run).toMatchObject({ status: 'completed', metrics: resumed.metrics });
    // Still the same run: it keeps its start.
    expect(run?.startedAt).toBe(stopped?.startedAt);
    expect(await store.listResults('resume-me')).toEqual(resumed.rows);

    // The same run done in one go gives the same answers, scores and cost.
    const straight = await evaluate(offline('small', createMemorySink(), { runId: 'straight' }));
    const essentials = (row: EvalResultRecord) => [
      row.rowId,
      row.output,
      row.scores,
      row.cost,
      row.judgeCost,
    ];
    expect(resumed.rows.map(essentials)).toEqual(straight.rows.map(essentials));
    expect(resumed.metrics).toEqual(straight.metrics);
    expect(resumed.cost).toBe(straight.cost);
    expect(resumed.judgeCost).toBe(straight.judgeCost);
  });

  it('an interrupt while a row is being judged does not keep that row half-judged', async () => {
    const sink = createMemorySink();
    const interrupt = new AbortController();
    let judgeWaits = 0;
    // The judge's third wait is row 2's first judge call: interrupt the run there.
    const judgeSleep: Sleep = async (_ms, signal) => {
      if (++judgeWaits === 3) interrupt.abort();
      signal?.throwIfAborted();
    };
    const first = await evaluate({
      ...offline('small', sink, { runId: 'mid-judge', concurrency: 1, signal: interrupt.signal }),
      scorers: scorers({ sleep: judgeSleep }),
    });
    expect(first.status).toBe('stopped');
    expect(first.stopReason).toBe('interrupted');
    // No stored row carries a judge error caused by the interrupt.
    const stored = await store.listResults('mid-judge');
    for (const row of stored) {
      for (const score of Object.values(row.scores)) expect(score.error).toBeUndefined();
    }
    expect(stored.map((row) => row.rowId)).toEqual(['q1']);

    const resumed = await evaluate(offline('small', sink, { runId: 'mid-judge', resume: true }));
    expect(resumed.status).toBe('completed');
    expect(resumed.rows).toHaveLength(6);
    expect(resumed.metrics['correctness/errors']).toBe(0);
    expect(resumed.metrics['completeness/errors']).toBe(0);
  });

  it('refuses to resume a run the store does not have', async () => {
    await expect(
      evaluate(offline('small', createMemorySink(), { runId: 'never-ran', resume: true })),
    ).rejects.toThrow(/no stored run 'never-ran' to resume/);
  });

  it('with repeats = 2 records two results per row, repeat 0 and 1, each with its own trace', async () => {
    const sink = createMemorySink();
    const result = await evaluate(offline('medium', sink, { runId: 'twice', repeats: 2 }));
    expect(result.status).toBe('completed');
    expect(result.rows).toHaveLength(12);
    for (const row of rows) {
      const mine = result.rows.filter((result) => result.rowId === row.id);
      expect(mine.map((result) => result.repeat)).toEqual([0, 1]);
      expect(new Set(mine.map((result) => result.traceId)).size).toBe(2);
    }
    expect(await store.listResults('twice')).toHaveLength(12);
    expect(callsOf(sink, 'twice', candidateTag)).toHaveLength(12);
    expect(result.metrics['correctness/n']).toBe(12);
  });
});
