import { describe, expect, it } from 'vitest';
import type { Alert, AlertQuery } from '../core/alerts/alert.js';
import type { Budget } from '../core/budgets/budget.js';
import { StoreError } from '../core/errors.js';
import { parseUsd } from '../core/money.js';
import type { RepeatQuery } from '../core/spans/request-repeats.js';
import type { Span } from '../core/spans/span.js';
import type { InspectableStore } from './inspectable-store.js';
import type { WithDatabase } from './store-contract.js';

const minute = 60_000;
const hour = 60 * minute;
const t0 = Date.UTC(2026, 2, 2, 9);

function call(
  id: string,
  requestHash: string | undefined,
  startTime: number,
  fields: Partial<Span> = {},
): Span {
  return {
    id,
    traceId: `trace-${id}`,
    name: 'chat',
    kind: 'llm',
    startTime,
    durationMs: 20,
    status: 'ok',
    requestModel: 'gpt-4o',
    cost: { status: 'priced', total: 1_000_000n, priceId: 'gpt-4o', source: 'test' },
    attribution: {},
    attributes: {},
    ...(requestHash === undefined ? {} : { requestHash }),
    ...fields,
  };
}

const priced = (total: bigint): Span['cost'] => ({ status: 'priced', total, priceId: 'p', source: 'test' });

/** Requests repeated in [t0, t0 + 1 h), around its edges, by step spans and by spans without a hash. */
const repeats: Span[] = [
  // h-b: four calls (an embedding among them) whose pico remainders carry into whole micro-dollars.
  call('b1', 'h-b', t0 + minute, { cost: priced(2n ** 62n + 999_999n), attribution: { feature: 'search' } }),
  call('b2', 'h-b', t0 + 2 * minute, { cost: priced(1n), attribution: { feature: 'search' } }),
  call('b3', 'h-b', t0 + 3 * minute, { kind: 'embedding', cost: priced(500_000n) }),
  call('b4', 'h-b', t0 + 4 * minute, { cost: priced(500_001n), responseModel: 'gpt-4o-2024-08-06' }),
  // h-a: three calls (one failed and unpriced) and a step span with the same hash, which is no call.
  call('a1', 'h-a', t0 + 10 * minute, { cost: priced(3_000_000_000_000n), attribution: { feature: 'chat' } }),
  call('a2', 'h-a', t0 + 11 * minute, {
    status: 'error',
    error: { type: 'rate_limit', message: '429' },
    cost: { status: 'unpriced', reason: 'unknown-model', message: 'no price' },
  }),
  call('a3', 'h-a', t0 + 12 * minute, { cost: undefined }),
  call('a-step', 'h-a', t0 + 13 * minute, { kind: 'step', cost: priced(7n) }),
  // h-d: three calls inside [t0, t0 + 1 h) (one exactly at t0) and two just outside it.
  call('d0', 'h-d', t0 - 1),
  call('d1', 'h-d', t0),
  call('d2', 'h-d', t0 + 30 * minute),
  call('d3', 'h-d', t0 + hour - 1),
  call('d4', 'h-d', t0 + hour),
  // h-c: only two calls; and calls without a hash, which are never repeats.
  call('c1', 'h-c', t0 + 5 * minute),
  call('c2', 'h-c', t0 + 6 * minute),
  call('n1', undefined, t0 + 7 * minute),
  call('n2', undefined, t0 + 8 * minute),
  call('n3', undefined, t0 + 9 * minute),
];

function budget(id: string, limitUsd: string, overrides: Partial<Budget> = {}): Budget {
  return {
    id,
    scope: { kind: 'global' },
    period: 'day',
    timeZone: 'UTC',
    limit: parseUsd(limitUsd),
    hard: false,
    thresholds: [50, 80, 100],
    ...overrides,
  };
}

function alert(id: string, time: number, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    kind: 'budget-threshold',
    severity: 'warning',
    time,
    message: `alert ${id}`,
    details: {},
    ...overrides,
  };
}

/** Repeated requests, budgets and alerts: what budgets, alerting and anomaly detection keep in the store. */
export function describeControlContract(name: string, withDatabase: WithDatabase): void {
  const withStore = <T>(work: (store: InspectableStore) => Promise<T>) =>
    withDatabase(async (database) => work(await database.open()));

  describe(`${name}: repeated requests`, () => {
    it('groups LLM and embedding calls by request hash in [from, to), most calls first, with exact cost', async () => {
      await withStore(async (store) => {
        await store.insertSpans(repeats);
        const window = { from: t0, to: t0 + hour };
        const found = await store.repeatedRequests({ ...window, minCalls: 3 });
        expect(found).toEqual([
          {
            requestHash: 'h-b',
            calls: 4,
            errorCalls: 0,
            firstTime: t0 + minute,
            lastTime: t0 + 4 * minute,
            cost: 2n ** 62n + 2_000_001n,
            unpricedCalls: 0,
            model: 'gpt-4o-2024-08-06',
            feature: 'search',
          },
          {
            requestHash: 'h-a',
            calls: 3,
            errorCalls: 1,
            firstTime: t0 + 10 * minute,
            lastTime: t0 + 12 * minute,
            cost: 3_000_000_000_000n,
            unpricedCalls: 1,
            model: 'gpt-4o',
            feature: 'chat',
          },
          {
            requestHash: 'h-d',
            calls: 3,
            errorCalls: 0,
            firstTime: t0,
            lastTime: t0 + hour - 1,
            cost: 3_000_000n,
            unpricedCalls: 0,
            model: 'gpt-4o',
            feature: null,
          },
        ]);
        const hashes = async (query: Partial<RepeatQuery>) =>
          (await store.repeatedRequests({ ...window, minCalls: 3, ...query })).map(
            (each) => each.requestHash,
          );
        expect(await hashes({ minCalls: 2 })).toEqual(['h-b', 'h-a', 'h-d', 'h-c']);
        expect(await hashes({ minCalls: 4 })).toEqual(['h-b']);
        expect(await hashes({ minCalls: 5 })).toEqual([]);
        expect(await hashes({ limit: 2 })).toEqual(['h-b', 'h-a']);
        expect(await hashes({ from: t0 - 1, to: t0 + hour + 1, minCalls: 5 })).toEqual(['h-d']);
        expect(await hashes({ from: t0 + hour, to: t0 + 2 * hour, minCalls: 1 })).toEqual(['h-d']);
        expect(await hashes({ from: t0 + 2 * hour, to: t0 + 3 * hour, minCalls: 1 })).toEqual([]);
      });
    });

    it('keeps at most 100 groups unless told otherwise', async () => {
      await withStore(async (store) => {
        const spans = Array.from({ length: 105 }, (_, index) => [
          call(`x${index}`, `hash-${String(index).padStart(3, '0')}`, t0 + index),
          call(`y${index}`, `hash-${String(index).padStart(3, '0')}`, t0 + index),
        ]).flat();
        await store.insertSpans(spans);
        const found = await store.repeatedRequests({ from: t0, to: t0 + hour, minCalls: 2 });
        expect(found).toHaveLength(100);
        expect(found[0]?.requestHash).toBe('hash-000');
        expect(found.at(-1)?.requestHash).toBe('hash-099');
        expect(
          await store.repeatedRequests({ from: t0, to: t0 + hour, minCalls: 2, limit: 200 }),
        ).toHaveLength(105);
      });
    });
  });

  describe(`${name}: budgets`, () => {
    it('puts, replaces, lists by id and deletes budgets, keeping limits exact', async () => {
      await withStore(async (store) => {
        expect(await store.listBudgets()).toEqual([]);
        const global = budget('global/day', '10');
        const search = budget('feature:search/month', '1234.567890123456', {
          scope: { kind: 'feature', value: 'search' },
          period: 'month',
          timeZone: 'Europe/Berlin',
          hard: true,
        });
        const upper = budget('Z-upper', '0.000000000001', {
          scope: { kind: 'tag', value: 'eval' },
          period: 'hour',
        });
        await store.putBudget(global);
        await store.putBudget(search);
        await store.putBudget(upper);
        expect(await store.listBudgets()).toEqual([upper, search, global]);
        const raised = { ...global, limit: parseUsd('25.5'), thresholds: [90] };
        await store.putBudget(raised);
        expect(await store.listBudgets()).toEqual([upper, search, raised]);
        expect(await store.deleteBudget('global/day')).toBe(true);
        expect(await store.deleteBudget('global/day')).toBe(false);
        expect(await store.deleteBudget('never')).toBe(false);
        expect(await store.listBudgets()).toEqual([upper, search]);
      });
    });

    it('names the store and the budget when a stored definition is unreadable', async () => {
      await withDatabase(async (database) => {
        const store = await database.open();
        await store.putBudget(budget('global/day', '10'));
        await database.execute('UPDATE budgets SET definition = \'{"id":"global/day","scope":"global"}\'');
        const error = await store.listBudgets().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(StoreError);
        expect((error as StoreError).message).toMatch(
          /stored budget 'global\/day' is unreadable: .*'period'/,
        );
        expect((error as StoreError).location).not.toBe('');
      });
    });
  });

  describe(`${name}: alerts`, () => {
    it('records an alert once by id, keeping the first, with its details exact', async () => {
      await withStore(async (store) => {
        const first = alert('budget:global/day:80', t0, {
          severity: 'critical',
          message: 'Budget global/day at 80% — “$8.00” of $10',
          details: { spentUsd: '8.000000000001', percent: 80, hard: false, feature: null, ratio: 0.1 },
        });
        expect(await store.recordAlert(first)).toBe(true);
        expect(await store.recordAlert({ ...first, message: 'again', time: t0 + 1 })).toBe(false);
        expect(await store.listAlerts()).toEqual([first]);
      });
    });

    it('lets exactly one of several concurrent writers record the same alert', async () => {
      await withDatabase(async (database) => {
        const [left, right] = [await database.open(), await database.open()];
        const same = alert('retry-storm:request:abc:2026-03-02', t0, { kind: 'retry-storm' });
        const results = await Promise.all([
          left.recordAlert(same),
          right.recordAlert(same),
          left.recordAlert(same),
          right.recordAlert(same),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const distinct = await Promise.all(
          Array.from({ length: 6 }, (_, index) =>
            (index % 2 === 0 ? left : right).recordAlert(alert(`distinct-${index}`, t0 + index)),
          ),
        );
        expect(distinct).toEqual([true, true, true, true, true, true]);
        expect(await right.listAlerts()).toHaveLength(7);
      });
    });

    it('lists newest first (then by id), filtered by [from, to) and kind, 100 unless told otherwise', async () => {
      await withStore(async (store) => {
        const alerts = [
          alert('b', t0, { kind: 'retry-storm' }),
          alert('a', t0, { kind: 'spend-spike' }),
          alert('c', t0 + hour, { kind: 'budget-refused', severity: 'critical' }),
          alert('d', t0 - hour),
        ];
        for (const each of alerts) await store.recordAlert(each);
        const ids = async (query?: AlertQuery) => (await store.listAlerts(query)).map((each) => each.id);
        expect(await ids()).toEqual(['c', 'a', 'b', 'd']);
        expect(await ids({ from: t0, to: t0 + hour })).toEqual(['a', 'b']);
        expect(await ids({ from: t0 + 1 })).toEqual(['c']);
        expect(await ids({ to: t0 })).toEqual(['d']);
        expect(await ids({ kinds: ['retry-storm', 'budget-refused'] })).toEqual(['c', 'b']);
        expect(await ids({ kinds: [] })).toEqual([]);
        expect(await ids({ limit: 2 })).toEqual(['c', 'a']);
        for (let index = 0; index < 100; index++)
          await store.recordAlert(alert(`bulk-${index}`, t0 - 2 * hour));
        expect(await store.listAlerts()).toHaveLength(100);
        expect(await store.listAlerts({ limit: 500 })).toHaveLength(104);
      });
    });
  });
}
