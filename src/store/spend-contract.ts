import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import type { Span } from '../core/spans/span.js';
import type { SpendQuery, SpendRow } from '../core/spans/spend-query.js';
import type { InspectableStore } from './inspectable-store.js';
import { randomSpendQueries, randomSpendTraffic } from './random-spend.js';
import { referenceSpend } from './reference-spend.js';
import type { WithDatabase } from './store-contract.js';

const hour = 3_600_000;
const day = 24 * hour;
const dollar = 1_000_000_000_000n;
const t0 = Date.UTC(2026, 0, 5, 10);

function call(id: string, startTime: number, fields: Partial<Span>): Span {
  return {
    id,
    traceId: `trace-${id}`,
    name: 'chat',
    kind: 'llm',
    startTime,
    durationMs: 100,
    status: 'ok',
    attribution: {},
    attributes: {},
    ...fields,
  };
}

const priced = (total: bigint): Span['cost'] => ({ status: 'priced', total, priceId: 'p', source: 'test' });

/** Four calls and one step span whose spend is known by hand. */
const ledger: Span[] = [
  call('a', t0, {
    requestModel: 'gpt-4o',
    responseModel: 'gpt-4o',
    cost: priced((3n * dollar) / 2n),
    usage: { input: 1000, cachedInput: 200, cacheWrite: 50, cacheWrite1h: 25, output: 300, reasoning: 100 },
    attribution: { feature: 'search', user: 'u1', tags: ['prod', 'eval', 'prod'] },
  }),
  call('b', t0 + hour, {
    requestModel: 'claude-sonnet-4-5',
    status: 'error',
    cost: priced(dollar / 4n),
    usage: { input: 500, output: 50 },
    attribution: { feature: 'search', user: 'u2', tags: ['prod'] },
  }),
  call('c', t0 + 2 * hour, {
    requestModel: 'gpt-4o',
    cost: { status: 'unpriced', reason: 'unknown-model', message: 'no price' },
    usage: { input: 10, output: 5 },
    attribution: { user: 'u1' },
  }),
  call('d', t0, { kind: 'step', cost: priced(100n * dollar), attribution: { feature: 'search' } }),
  call('e', t0 + day, {
    requestModel: 'gpt-4o-mini',
    cost: priced(1n),
    attribution: { feature: 'chat', tags: [] },
  }),
];

const brief = (rows: readonly SpendRow[]) =>
  rows.map((row) => [
    ...row.group,
    ...(row.bucketStart === undefined ? [] : [new Date(row.bucketStart).toISOString()]),
    row.cost,
    row.calls,
  ]);

/** Asserts that the rollup path, the spans-table path and the in-memory reference agree. */
async function expectSameEverywhere(store: InspectableStore, spans: readonly Span[], query: SpendQuery) {
  const answer = await store.querySpend(query);
  expect(answer, JSON.stringify(query)).toEqual(referenceSpend(spans, query));
  expect(await store.querySpendFromSpans(query), JSON.stringify(query)).toEqual(answer);
  return answer;
}

/** Spend questions: semantics, calendar buckets, exact money, and rollups checked against the spans table. */
export function describeSpendContract(name: string, withDatabase: WithDatabase): void {
  const withLedger = <T>(spans: readonly Span[], work: (store: InspectableStore) => Promise<T>) =>
    withDatabase(async (database) => {
      const store = await database.open();
      await store.insertSpans(spans);
      return work(store);
    });

  describe(`${name}: spend`, () => {
    it('sums exactly, counts unpriced and failed calls, and leaves step spans out', async () => {
      await withLedger(ledger, async (store) => {
        expect(await expectSameEverywhere(store, ledger, {})).toEqual([
          {
            group: [],
            cost: 1_750_000_000_001n,
            calls: 4,
            pricedCalls: 3,
            unpricedCalls: 1,
            errorCalls: 1,
            tokens: { input: 1510, cachedInput: 200, cacheWrite: 75, output: 355, reasoning: 100 },
          },
        ]);
        expect(brief(await expectSameEverywhere(store, ledger, { groupBy: ['model'] }))).toEqual([
          ['gpt-4o', 1_500_000_000_000n, 2],
          ['claude-sonnet-4-5', 250_000_000_000n, 1],
          ['gpt-4o-mini', 1n, 1],
        ]);
        expect(brief(await expectSameEverywhere(store, ledger, { groupBy: ['feature'] }))).toEqual([
          ['search', 1_750_000_000_000n, 2],
          ['chat', 1n, 1],
          [null, 0n, 1],
        ]);
      });
    });

    it('counts a span under each of its distinct tags, so tag totals may exceed the total', async () => {
      await withLedger(ledger, async (store) => {
        expect(brief(await expectSameEverywhere(store, ledger, { groupBy: ['tag'] }))).toEqual([
          ['prod', 1_750_000_000_000n, 2],
          ['eval', 1_500_000_000_000n, 1],
          [null, 1n, 2],
        ]);
        const eitherTag = { filters: { tag: ['eval', 'prod'] } };
        expect(brief(await expectSameEverywhere(store, ledger, eitherTag))).toEqual([
          [1_750_000_000_000n, 2],
        ]);
        const onlyEval = { groupBy: ['tag'], filters: { tag: ['eval'] } } as const;
        expect(brief(await expectSameEverywhere(store, ledger, onlyEval))).toEqual([
          ['eval', 1_500_000_000_000n, 1],
        ]);
      });
    });

    it('filters by value and by "no value" (null), and keeps the top N groups by cost', async () => {
      await withLedger(ledger, async (store) => {
        const noFeature = { groupBy: ['user'], filters: { feature: [null] } } as const;
        expect(brief(await expectSameEverywhere(store, ledger, noFeature))).toEqual([['u1', 0n, 1]]);
        const some = { groupBy: ['feature'], filters: { feature: ['search', null] } } as const;
        expect(brief(await expectSameEverywhere(store, ledger, some))).toEqual([
          ['search', 1_750_000_000_000n, 2],
          [null, 0n, 1],
        ]);
        expect(brief(await expectSameEverywhere(store, ledger, { groupBy: ['model'], limit: 1 }))).toEqual([
          ['gpt-4o', 1_500_000_000_000n, 2],
        ]);
        expect(await store.querySpend({ filters: { user: [] } })).toEqual([]);
        expect(await store.querySpend({ groupBy: ['user'], limit: 0 })).toEqual([]);
        const [grouped] = await expectSameEverywhere(store, ledger, { groupBy: ['model', 'user'], limit: 1 });
        expect(grouped?.group).toEqual(['gpt-4o', 'u1']);
      });
    });

    it('answers an empty store and refuses malformed questions with a UsageError', async () => {
      await withLedger([], async (store) => {
        expect(await store.querySpend({ groupBy: ['model'], bucket: 'day' })).toEqual([]);
        await expect(store.querySpend({ bucket: 'day', timeZone: 'Mars/Olympus' })).rejects.toThrow(
          UsageError,
        );
        await expect(store.querySpend({ groupBy: ['user', 'user'] })).rejects.toThrow(UsageError);
        await expect(store.querySpend({ limit: -1 })).rejects.toThrow(UsageError);
      });
    });

    it('buckets days in Europe/Berlin across a DST change (a 25-hour and a 23-hour day)', async () => {
      const at = (text: string) => new Date(text).getTime();
      const spans = [
        call('oct26-last', at('2024-10-26T21:59:59.999Z'), { cost: priced(1n) }),
        call('oct27-first', at('2024-10-26T22:00:00Z'), { cost: priced(2n) }),
        call('oct27-last', at('2024-10-27T22:59:59.999Z'), { cost: priced(4n) }),
        call('oct28-first', at('2024-10-27T23:00:00Z'), { cost: priced(8n) }),
        call('mar31', at('2024-03-31T21:59:00Z'), { cost: priced(16n) }),
        call('apr1', at('2024-03-31T22:00:00Z'), { cost: priced(32n) }),
        call('first-2:30', at('2024-10-27T00:30:00Z'), { cost: priced(64n) }),
        call('second-2:30', at('2024-10-27T01:30:00Z'), { cost: priced(128n) }),
      ];
      await withLedger(spans, async (store) => {
        const days = await expectSameEverywhere(store, spans, { bucket: 'day', timeZone: 'Europe/Berlin' });
        const starts = days.map((row) => [new Date(row.bucketStart!).toISOString(), row.cost]).sort();
        expect(starts).toEqual([
          ['2024-03-30T23:00:00.000Z', 16n],
          ['2024-03-31T22:00:00.000Z', 32n],
          ['2024-10-25T22:00:00.000Z', 1n],
          ['2024-10-26T22:00:00.000Z', 198n],
          ['2024-10-27T23:00:00.000Z', 8n],
        ]);
        const twice230 = await expectSameEverywhere(store, spans, {
          bucket: 'hour',
          timeZone: 'Europe/Berlin',
          from: at('2024-10-27T00:00:00Z'),
          to: at('2024-10-27T02:00:00Z'),
        });
        expect(twice230.map((row) => [new Date(row.bucketStart!).toISOString(), row.cost])).toEqual([
          ['2024-10-27T01:00:00.000Z', 128n],
          ['2024-10-27T00:00:00.000Z', 64n],
        ]);
        const months = await expectSameEverywhere(store, spans, {
          bucket: 'month',
          timeZone: 'Europe/Berlin',
        });
        expect(months.map((row) => new Date(row.bucketStart!).toISOString()).sort()).toEqual([
          '2024-02-29T23:00:00.000Z',
          '2024-03-31T22:00:00.000Z',
          '2024-09-30T22:00:00.000Z',
        ]);
      });
    });

    it('buckets days and Monday weeks in America/Los_Angeles', async () => {
      const at = (text: string) => new Date(text).getTime();
      const spans = [
        call('mar9', at('2024-03-10T07:59:00Z'), { cost: priced(1n) }),
        call('mar10', at('2024-03-10T08:00:00Z'), { cost: priced(2n) }),
        call('mar10-late', at('2024-03-11T06:59:00Z'), { cost: priced(4n) }),
        call('mar11', at('2024-03-11T07:00:00Z'), { cost: priced(8n) }),
      ];
      await withLedger(spans, async (store) => {
        const days = await expectSameEverywhere(store, spans, {
          bucket: 'day',
          timeZone: 'America/Los_Angeles',
        });
        expect(days.map((row) => [new Date(row.bucketStart!).toISOString(), row.cost]).sort()).toEqual([
          ['2024-03-09T08:00:00.000Z', 1n],
          ['2024-03-10T08:00:00.000Z', 6n],
          ['2024-03-11T07:00:00.000Z', 8n],
        ]);
        const weeks = await expectSameEverywhere(store, spans, {
          bucket: 'week',
          timeZone: 'America/Los_Angeles',
        });
        expect(weeks.map((row) => [new Date(row.bucketStart!).toISOString(), row.cost]).sort()).toEqual([
          ['2024-03-04T08:00:00.000Z', 7n],
          ['2024-03-11T07:00:00.000Z', 8n],
        ]);
      });
    });

    it('sums ledgers far beyond int64 pico-dollars ($9.2M) exactly, on both paths', async () => {
      const biggest = 2n ** 63n - 1n;
      const spans = [1, 2, 3, 4].map((index) =>
        call(`whale-${index}`, t0 + index, { cost: priced(biggest), attribution: { user: 'whale' } }),
      );
      spans.push(call('minnow', t0 + 5, { cost: priced(1n), attribution: { user: 'whale' } }));
      await withLedger(spans, async (store) => {
        const expected = 4n * biggest + 1n;
        expect(expected > 10_000_000n * dollar).toBe(true);
        const [total] = await expectSameEverywhere(store, spans, {});
        expect(total?.cost).toBe(expected);
        const [hourly] = await expectSameEverywhere(store, spans, { groupBy: ['user'], bucket: 'hour' });
        expect(hourly?.cost).toBe(expected);
      });
    });

    it('answers the dashboard questions from rollups alone, and sub-hour edges from spans', async () => {
      const spans = randomSpendTraffic(7, 600);
      await withLedger(spans, async (store) => {
        const byModelPerDay: SpendQuery = { groupBy: ['model'], bucket: 'day' };
        expect(await store.spendSources(byModelPerDay)).toEqual(['daily']);
        const berlin: SpendQuery = { ...byModelPerDay, timeZone: 'Europe/Berlin' };
        expect(await store.spendSources(berlin)).toEqual(['hourly']);
        const end = Date.UTC(2024, 10, 10, 13);
        const topUsers: SpendQuery = { groupBy: ['user'], from: end - 7 * day, to: end, limit: 10 };
        expect(await store.spendSources(topUsers)).toEqual(['hourly', 'daily', 'hourly']);
        const ragged: SpendQuery = { ...topUsers, from: end - 7 * day + 1_234, to: end + 5_678 };
        expect(await store.spendSources(ragged)).toEqual(['raw', 'hourly', 'daily', 'hourly', 'raw']);
        expect(await store.spendSources({ groupBy: ['model', 'user'] })).toEqual(['raw']);
        expect(await store.spendSources({ bucket: 'day', timeZone: 'Asia/Kolkata' })).toEqual(['raw']);
        for (const query of [byModelPerDay, berlin, topUsers, ragged])
          await expectSameEverywhere(store, spans, query);
      });
    });

    it('gives identical answers from rollups, from the spans table and from a reference, on random data', async () => {
      const spans = randomSpendTraffic(42, 1_500);
      await withDatabase(async (database) => {
        const store = await database.open();
        for (let index = 0, size = 1; index < spans.length; index += size, size = 1 + ((index * 7) % 250)) {
          await store.insertSpans(spans.slice(index, index + size));
          if (index % 5 === 0) await store.insertSpans(spans.slice(Math.max(0, index - 40), index + 3));
        }
        let fromRollupsOnly = 0;
        let mixed = 0;
        for (const query of randomSpendQueries(42, spans, 120)) {
          await expectSameEverywhere(store, spans, query);
          const sources = await store.spendSources(query);
          if (sources.length > 0 && !sources.includes('raw')) fromRollupsOnly++;
          if (sources.includes('raw') && sources.length > 1) mixed++;
        }
        expect(fromRollupsOnly).toBeGreaterThan(20);
        expect(mixed).toBeGreaterThan(5);
      });
    });
  });
}
