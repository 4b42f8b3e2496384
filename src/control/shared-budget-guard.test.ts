import { afterAll, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../core/errors.js';
import { parseUsd } from '../core/money.js';
import { createRandom } from '../core/random.js';
import { openStore } from '../store/open-store.js';
import { budget, call, ledgerSpan, ok } from './budget-test-fixtures.js';
import { createMemoryBudgetCounter } from './memory-budget-counter.js';
import { createRedisBudgetCounter } from './redis-budget-counter.js';
import { connectRedis, type RedisConnection } from './redis-scripts.js';
import { createSharedBudgetGuard } from './shared-budget-guard.js';

describe('shared budget guard (memory counter)', () => {
  it('reserves, settles to the actual cost and refuses with the same error as the in-process guard', async () => {
    const guard = createSharedBudgetGuard({
      budgets: [budget()],
      counter: createMemoryBudgetCounter(),
      onAlert: () => {},
    });
    const first = await guard.admit(call('0.6'));
    await expect(guard.admit(call('0.6'))).rejects.toThrow(
      /limit \$1\.00 this day, spent \$0\.00 \(0%\), \$0\.60 reserved by calls in flight/,
    );
    first.settle(ok('0.25'));
    await guard.settled();
    (await guard.admit(call('0.75'))).settle(ok('0.75'));
    await guard.settled();
    expect((await guard.states())[0]).toMatchObject({ spent: parseUsd('1'), reserved: 0n });
    const unbounded = guard.admit(call('0', { maxCost: undefined, unboundedReason: 'no price' }));
    await expect(unbounded).rejects.toThrow(/cannot be bounded before sending \(no price\)/);
  });

  it('releases earlier reservations when a later hard budget refuses; charges the answering model', async () => {
    const budgets = [
      budget(),
      budget({
        id: 'feature:search/day',
        scope: { kind: 'feature', value: 'search' },
        limit: parseUsd('0.1'),
      }),
      budget({ id: 'model:gpt-4o/day', scope: { kind: 'model', value: 'gpt-4o' }, limit: parseUsd('0.1') }),
    ];
    const guard = createSharedBudgetGuard({
      budgets,
      counter: createMemoryBudgetCounter(),
      onAlert: () => {},
    });
    const refused = await guard.admit(call('0.2', { attribution: { feature: 'search' } })).catch((e) => e);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect((refused as BudgetExceededError).budgetId).toBe('feature:search/day');
    (await guard.admit(call('0.05', { model: 'my-alias' }))).settle({
      ...ok('0.04'),
      responseModel: 'gpt-4o',
    });
    await guard.settled();
    const states = Object.fromEntries(
      (await guard.states()).map((s) => [s.budget.id, [s.spent, s.reserved]]),
    );
    expect(states).toEqual({
      'global/day': [parseUsd('0.04'), 0n],
      'feature:search/day': [0n, 0n],
      'model:gpt-4o/day': [parseUsd('0.04'), 0n],
    });
  });

  it('seeds the period from the ledger once, however many guards open it', async () => {
    const store = await openStore(':memory:');
    try {
      const now = Date.parse('2026-11-22T12:00:00Z');
      await store.insertSpans([ledgerSpan(now, '0.7')]);
      const counter = createMemoryBudgetCounter({ now: () => now });
      const options = { budgets: [budget()], store, counter, now: () => now, onAlert: () => {} };
      const [a, b] = [createSharedBudgetGuard(options), createSharedBudgetGuard(options)];
      (await a.admit(call('0.2'))).settle(ok('0.2'));
      await a.settled();
      await expect(b.admit(call('0.2'))).rejects.toThrow(/spent \$0\.90 \(90%\)/);
    } finally {
      await store.close();
    }
  });
});

// CI exports FRUGAL_TEST_REDIS_URL (see ../shared/services.sh); without it this test fails rather than skips.
describe('shared budget guard (Redis): replicas share one hard budget', () => {
  const connections: RedisConnection[] = [];
  afterAll(() => Promise.all(connections.map((connection) => connection.close())));

  it('4 replicas × 16 concurrent calls never take spend over the limit; each threshold fires once', async () => {
    const url = process.env['FRUGAL_TEST_REDIS_URL'];
    if (url === undefined)
      throw new Error('FRUGAL_TEST_REDIS_URL is not set: eval "$(bash ../shared/services.sh)"');
    const prefix = `frugal-test:${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}:`;
    const limited = budget({ id: 'global/hour', period: 'hour', limit: parseUsd('0.004') });
    const alerts: string[] = [];
    const replicas = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const connection = await connectRedis(url);
        connections.push(connection);
        const counter = createRedisBudgetCounter(connection, { prefix });
        return createSharedBudgetGuard({ budgets: [limited], counter, onAlert: (a) => alerts.push(a.id) });
      }),
    );
    const next = createRandom(5);
    let spent = 0n;
    let refusals = 0;
    const worker = async (index: number) => {
      for (let round = 0; round < 4; round++) {
        const replica = replicas[index % 4]!;
        try {
          const ticket = await replica.admit(call('0.0002'));
          await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 10)));
          const actual = BigInt(Math.floor(next() * 200_000_000));
          spent += actual;
          ticket.settle({
            cost: { status: 'priced', total: actual, priceId: 'p', source: 'test' },
            status: 'ok',
          });
        } catch (error) {
          if (!(error instanceof BudgetExceededError)) throw error;
          refusals++;
        }
      }
    };
    await Promise.all(Array.from({ length: 64 }, (_, index) => worker(index)));
    await Promise.all(replicas.map((replica) => replica.settled()));
    expect(spent).toBeLessThanOrEqual(limited.limit);
    expect(refusals).toBeGreaterThan(0);
    const [state] = await replicas[2]!.states();
    expect(state).toMatchObject({ spent, reserved: 0n });
    const thresholds = alerts.filter((id) => id.startsWith('budget:'));
    expect(new Set(thresholds).size).toBe(thresholds.length);
    expect(thresholds.some((id) => id.endsWith(':50'))).toBe(true);
    const keys = (await connections[0]!.command(['KEYS', `${prefix}*`])) as string[];
    if (keys.length > 0) await connections[0]!.command(['DEL', ...keys]);
  });
});
