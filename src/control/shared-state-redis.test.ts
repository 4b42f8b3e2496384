import { describe, expect, it } from 'vitest';
import { createRedisBudgetCounter, redisBudgetKey } from './redis-budget-counter.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';
import { connectRedis, type RedisConnection } from './redis-scripts.js';
import { describeSharedStateContract } from './shared-state-contract.js';

// CI exports FRUGAL_TEST_REDIS_URL (see ../shared/services.sh). Without it this file FAILS rather than skips, so
// that a green run always means the Redis implementations were really tested.
const url = process.env['FRUGAL_TEST_REDIS_URL'];
const run = `${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
let counter = 0;

if (url === undefined) {
  describe('Redis shared state', () => {
    it('needs FRUGAL_TEST_REDIS_URL', () => {
      throw new Error(
        'FRUGAL_TEST_REDIS_URL is not set: start Redis with `eval "$(bash ../shared/services.sh)"` and rerun',
      );
    });
  });
} else {
  // Every open gets its own key prefix, deleted afterwards: parallel files and reruns never collide.
  const opened: { connections: RedisConnection[]; prefix: string }[] = [];
  describeSharedStateContract('Redis', {
    async open(handles, options = {}) {
      const prefix = `frugal-test:${run}:${++counter}:`;
      const connections = await Promise.all(Array.from({ length: handles }, () => connectRedis(url)));
      opened.push({ connections, prefix });
      return {
        counters: connections.map((connection) =>
          createRedisBudgetCounter(connection, { prefix, ...options }),
        ),
        limiters: connections.map((connection) => createRedisRateLimiter(connection, { prefix })),
        async expiryOf(budgetKey, period) {
          const key = redisBudgetKey(prefix, budgetKey, period);
          const expiry = Number(await connections[0]!.command(['PEXPIRETIME', key]));
          expect(expiry).not.toBe(-1); // a key without expiry would outlive its period
          return expiry === -2 ? undefined : expiry;
        },
      };
    },
    async closeAll() {
      for (const { connections, prefix } of opened.splice(0)) {
        const keys = (await connections[0]!.command(['KEYS', `${prefix}*`])) as string[];
        if (keys.length > 0) await connections[0]!.command(['DEL', ...keys]);
        await Promise.all(connections.map((connection) => connection.close()));
      }
    },
  });

  describe('Redis scripts', () => {
    it('load themselves when the server has flushed its script cache', async () => {
      const connection = await connectRedis(url);
      try {
        const prefix = `frugal-test:${run}:${++counter}:`;
        const budgets = createRedisBudgetCounter(connection, { prefix });
        const period = { start: Date.now(), resetsAt: Date.now() + 60_000 };
        await budgets.reserve('b', period, 10n, 4n);
        await connection.command(['SCRIPT', 'FLUSH']);
        expect(await budgets.settle('b', period, 4n, 3n)).toEqual({
          spent: 3n,
          reserved: 0n,
          unpricedCalls: 0,
        });
        await connection.command(['DEL', redisBudgetKey(prefix, 'b', period)]);
      } finally {
        await connection.close();
      }
    });
  });
}
