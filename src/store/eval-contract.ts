import { describe, expect, it } from 'vitest';
import type { EvalResultRecord, EvalRunRecord } from '../core/evals/eval-records.js';
import { bareResult, bareRun, fullResult, fullRun, result, run } from './eval-fixtures.js';
import { describeEvalRefusalContract } from './eval-refusal-contract.js';
import type { InspectableStore } from './inspectable-store.js';
import type { Store } from './store.js';
import type { WithDatabase } from './store-contract.js';

const t0 = Date.UTC(2026, 2, 9);

export function describeEvalContract(name: string, withDatabase: WithDatabase): void {
  const withStore = <T>(work: (store: InspectableStore) => Promise<T>) =>
    withDatabase(async (database) => work(await database.open()));
  const ids = async (store: Store, query?: Parameters<Store['listRuns']>[0]) =>
    (await store.listRuns(query)).map((each) => each.id);

  describe(`${name}: evaluation runs`, () => {
    it('gets and lists runs newest first (then by id), filtered by experiment and limited', async () => {
      await withStore(async (store) => {
        expect(await store.listRuns()).toEqual([]);
        for (const each of [
          run('a-old', 'alpha', t0),
          run('b-new', 'beta', t0 + 3),
          run('a-mid', 'alpha', t0 + 2),
          run('a-tie-Z', 'alpha', t0 + 1),
          run('a-tie-B', 'alpha', t0 + 1),
        ]) {
          await store.putRun(each);
        }
        expect(await ids(store)).toEqual(['b-new', 'a-mid', 'a-tie-B', 'a-tie-Z', 'a-old']);
        expect(await ids(store, { experiment: 'alpha' })).toEqual(['a-mid', 'a-tie-B', 'a-tie-Z', 'a-old']);
        expect(await ids(store, { experiment: 'alpha', limit: 2 })).toEqual(['a-mid', 'a-tie-B']);
        expect(await ids(store, { limit: 1 })).toEqual(['b-new']);
        expect(await ids(store, { limit: 0 })).toEqual([]);
        expect(await ids(store, { experiment: 'gamma' })).toEqual([]);
        expect(await store.getRun('a-mid')).toStrictEqual(run('a-mid', 'alpha', t0 + 2));
        expect(await store.getRun('missing')).toBeUndefined();
      });
    });

    it('round-trips every field of a run exactly, and absent fields stay absent', async () => {
      await withStore(async (store) => {
        await store.putRun(fullRun);
        await store.putRun(bareRun);
        expect(await store.getRun(fullRun.id)).toStrictEqual(fullRun);
        expect(await store.getRun(bareRun.id)).toStrictEqual(bareRun);
        expect(Object.is((await store.getRun(fullRun.id))?.metrics['delta/baseline'], -0)).toBe(true);
        expect(await store.listRuns()).toStrictEqual([fullRun, bareRun]);
      });
    });

    it('replaces a run as it progresses, clearing fields the new record leaves out', async () => {
      await withStore(async (store) => {
        await store.putRun({ ...fullRun, status: 'running' });
        const done: EvalRunRecord = {
          ...bareRun,
          id: fullRun.id,
          status: 'completed',
          metrics: { acc: 0.5 },
        };
        await store.putRun(done);
        expect(await store.getRun(fullRun.id)).toStrictEqual(done);
        expect(await store.listRuns()).toHaveLength(1);
      });
    });
  });

  describe(`${name}: evaluation results`, () => {
    it('round-trips results exactly: costs past 2^53 pico-dollars, zero costs, details, absent fields', async () => {
      await withStore(async (store) => {
        const free: EvalResultRecord = { ...bareResult, rowId: 'free', rowIndex: 1, cost: 0n, judgeCost: 0n };
        const unset: EvalResultRecord = { ...bareResult, rowId: 'unset', rowIndex: 2, output: undefined };
        await store.putResults([fullResult, bareResult, free, unset]);
        expect(await store.listResults(fullResult.runId)).toStrictEqual([fullResult]);
        const [bare, zero, absent] = await store.listResults(bareRun.id);
        expect(bare).toStrictEqual(bareResult);
        expect(zero).toStrictEqual(free);
        expect(absent).toEqual(unset);
        expect(absent).not.toHaveProperty('output');
        await store.putResults([]);
      });
    });

    it('upserts on (run, row, repeat): a resumed run overwrites one result and leaves the rest', async () => {
      await withStore(async (store) => {
        const first = [0, 1, 2].flatMap((row) => [0, 1].map((repeat) => result('r1', row, repeat)));
        const failed = result('r1', 1, 0, undefined);
        first[2] = failed;
        await store.putResults(first);
        expect(await store.listResults('r1')).toStrictEqual(first);
        const resumed = { ...result('r1', 1, 0, 'resumed'), judgeCost: 5n };
        await store.putResults([resumed]);
        expect(await store.listResults('r1')).toStrictEqual(
          first.map((each) => (each === failed ? resumed : each)),
        );
        await store.putResults([result('r1', 2, 1, 'older'), result('r1', 2, 1, 'newest')]);
        expect((await store.listResults('r1')).at(-1)?.output).toBe('newest');
        expect(await store.listResults('r1')).toHaveLength(6);
      });
    });

    it('lists results by row position then repeat, and keeps the results of two runs apart', async () => {
      await withStore(async (store) => {
        const shuffled = [3, 0, 2, 1].flatMap((row) => [1, 0].map((repeat) => result('left', row, repeat)));
        await store.putResults(shuffled);
        await store.putResults([result('right', 0, 0, 'other'), result('right', 2, 0, 'other')]);
        const left = await store.listResults('left');
        expect(left.map((each) => [each.rowIndex, each.repeat])).toEqual([
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
          [2, 0],
          [2, 1],
          [3, 0],
          [3, 1],
        ]);
        expect(left.every((each) => each.output === 'ok')).toBe(true);
        expect((await store.listResults('right')).map((each) => each.rowIndex)).toEqual([0, 2]);
        expect(await store.listResults('none')).toEqual([]);
      });
    });

    it('lets two connections write overlapping results of one run at the same time', async () => {
      await withDatabase(async (database) => {
        const [left, right] = [await database.open(), await database.open()];
        const rows = Array.from({ length: 60 }, (_, index) => result('shared', index, 0));
        await Promise.all([
          left.putResults(rows.slice(0, 40)),
          right.putResults(rows.slice(20).reverse()),
          left.putResults(rows.slice(10, 50)),
        ]);
        expect(await right.listResults('shared')).toStrictEqual(rows);
      });
    });
  });

  describeEvalRefusalContract(name, withDatabase);
}
