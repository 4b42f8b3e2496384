import { describe, expect, it } from 'vitest';
import { StoreError } from '../core/errors.js';
import type { EvalResultRecord, EvalRunRecord } from '../core/evals/eval-records.js';
import { bareResult, bareRun, fullResult, fullRun, result } from './eval-fixtures.js';
import type { InspectableStore } from './inspectable-store.js';
import type { WithDatabase } from './store-contract.js';

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StoreError);
  return (error as StoreError).message;
}

/** Runs that cannot be stored faithfully, and what the refusal must say. */
const badRuns: [string, EvalRunRecord, RegExp][] = [
  [
    'an unknown status',
    { ...bareRun, status: 'paused' as 'running' },
    /run 'run-bare': unknown status 'paused'/,
  ],
  ['a NaN metric', { ...bareRun, metrics: { 'f1/mean': Number.NaN } }, /metrics\.f1\/mean must be a finite/],
  [
    'an infinite metric',
    { ...bareRun, metrics: { x: Number.POSITIVE_INFINITY } },
    /metrics\.x must be a finite/,
  ],
  [
    'a fractional start',
    { ...bareRun, startedAt: 1.5 },
    /startedAt must be a non-negative integer, got 1\.5/,
  ],
  ['a negative end', { ...bareRun, endedAt: -1 }, /endedAt must be a non-negative integer, got -1/],
  ['an empty id', { ...bareRun, id: '' }, /run '': id must be a non-empty string/],
  [
    'a bigint in config',
    { ...bareRun, config: { seed: 1n } },
    /config\.seed cannot be stored as JSON: a bigint/,
  ],
  [
    'a Date in config',
    { ...bareRun, config: { at: new Date(0) } },
    /config\.at cannot .*a Date, not a plain/,
  ],
  [
    'a NaN in config',
    { ...bareRun, config: { p: [0, Number.NaN] } },
    /config\.p\[1\] must be a finite number/,
  ],
  ['a string flag', { ...bareRun, simulated: 'no' as unknown as boolean }, /simulated must be a boolean/],
];

const badResults: [string, EvalResultRecord, RegExp][] = [
  [
    'a negative cost',
    { ...bareResult, cost: -1n },
    /result 'run-bare\/r#0': cost must not be negative, got -1/,
  ],
  ['a cost in dollars', { ...bareResult, judgeCost: 0.5 as unknown as bigint }, /judgeCost must be a bigint/],
  ['a cost too large', { ...bareResult, cost: 2n ** 63n * 1_000_000n }, /cost is too large to store/],
  ['negative usage', { ...bareResult, usage: { input: -1 } }, /usage\.input must be a non-negative integer/],
  [
    'fractional judge usage',
    { ...bareResult, judgeUsage: { output: 0.5 } },
    /judgeUsage\.output must be a non/,
  ],
  [
    'a NaN score',
    { ...bareResult, scores: { f1: { value: Number.NaN } } },
    /scores\.f1\.value must be a boolean/,
  ],
  [
    'a hole in inputs',
    { ...bareResult, inputs: { list: [1, undefined] } },
    /inputs\.list\[1\] cannot be stored/,
  ],
  ['a cycle in details', cyclic(), /scores\.s\.details\.self cannot be stored as JSON: it contains itself/],
  [
    'a NaN latency',
    { ...bareResult, latencyMs: Number.NaN },
    /latencyMs must be a non-negative finite number/,
  ],
  ['a negative repeat', { ...bareResult, repeat: -1 }, /repeat must be a non-negative integer, got -1/],
  ['an empty row id', { ...bareResult, rowId: '' }, /rowId must be a non-empty string/],
];

function cyclic(): EvalResultRecord {
  const details: Record<string, unknown> = {};
  details['self'] = details;
  return { ...bareResult, scores: { s: { details } } };
}

/** Evaluation records a store cannot keep faithfully are refused whole, naming the record and the field. */
export function describeEvalRefusalContract(name: string, withDatabase: WithDatabase): void {
  const withStore = <T>(work: (store: InspectableStore) => Promise<T>) =>
    withDatabase(async (database) => work(await database.open()));

  describe(`${name}: evaluation records refused`, () => {
    it.each(badRuns)(
      'refuses a run with %s, naming the field, and stores nothing',
      async (_, bad, message) => {
        await withStore(async (store) => {
          expect(await refusal(store.putRun(bad))).toMatch(message);
          expect(await store.listRuns()).toEqual([]);
        });
      },
    );

    it.each(badResults)(
      'refuses a result with %s and stores nothing of its batch',
      async (_, bad, message) => {
        await withStore(async (store) => {
          expect(await refusal(store.putResults([result('run-bare', 5, 0), bad]))).toMatch(message);
          expect(await store.listResults('run-bare')).toEqual([]);
        });
      },
    );

    it('refuses a negative limit, and names the run when a stored row is unreadable', async () => {
      await withDatabase(async (database) => {
        const store = await database.open();
        expect(await refusal(store.listRuns({ limit: -1 }))).toMatch(/limit must be a non-negative integer/);
        await store.putRun(fullRun);
        await database.execute("UPDATE eval_runs SET status = 'paused'");
        expect(await refusal(store.getRun(fullRun.id))).toMatch(
          /stored run 'run-full' is unreadable: unknown status 'paused'/,
        );
        await store.putResults([fullResult]);
        await database.execute("UPDATE eval_results SET scores = '[1]'");
        expect(await refusal(store.listResults(fullRun.id))).toMatch(
          /stored result 'run-full\/q-017#2' is unreadable: column scores does not hold a JSON object/,
        );
      });
    });
  });
}
