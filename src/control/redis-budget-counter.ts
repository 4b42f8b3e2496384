import {
  type BudgetCounter,
  type CounterState,
  checkCounterAmount,
  defaultCounterExpiryMarginMs,
} from './budget-counter.js';
import type { BudgetPeriod } from './budget-spend.js';
import { luaDecimal } from './lua-decimal.js';
import { luaScript, type RedisScripts } from './redis-scripts.js';

export type RedisBudgetCounterOptions = {
  /** Prefix of every key (default `frugal:`), e.g. to share one Redis between deployments. */
  readonly prefix?: string | undefined;
  readonly expiryMarginMs?: number | undefined;
};

// One hash per budget and period: spent, reserved (decimal strings), unpriced (calls), opened (flag).
// Each script returns { spent, reserved, unpriced } (after any `admitted` flag) and re-arms the expiry.
const stateLua = `local function state(key)
  return { format(field(key, 'spent')), format(field(key, 'reserved')), redis.call('HGET', key, 'unpriced') or '0' }
end
`;

const openScript = luaScript(`${luaDecimal}${stateLua}
if redis.call('HSETNX', KEYS[1], 'opened', '1') == 1 then
  redis.call('HSET', KEYS[1], 'spent', format(add(field(KEYS[1], 'spent'), parse(ARGV[1]))))
  redis.call('HINCRBY', KEYS[1], 'unpriced', ARGV[2])
end
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return state(KEYS[1])`);

const reserveScript = luaScript(`${luaDecimal}${stateLua}
local reserved = add(field(KEYS[1], 'reserved'), parse(ARGV[2]))
if compare(add(field(KEYS[1], 'spent'), reserved), parse(ARGV[1])) > 0 then
  local refused = state(KEYS[1])
  table.insert(refused, 1, 0)
  return refused
end
redis.call('HSET', KEYS[1], 'reserved', format(reserved))
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
local admitted = state(KEYS[1])
table.insert(admitted, 1, 1)
return admitted`);

const settleScript = luaScript(`${luaDecimal}${stateLua}
redis.call('HSET', KEYS[1],
  'reserved', format(subtract(field(KEYS[1], 'reserved'), parse(ARGV[1]))),
  'spent', format(add(field(KEYS[1], 'spent'), parse(ARGV[2]))))
redis.call('HINCRBY', KEYS[1], 'unpriced', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return state(KEYS[1])`);

const stateScript = luaScript(`${luaDecimal}${stateLua}
return state(KEYS[1])`);

/**
 * A BudgetCounter in Redis, shared by every process that uses the same Redis and prefix. Each operation is one
 * Lua script, which Redis runs atomically; amounts are decimal strings computed on exactly (see lua-decimal).
 */
export function createRedisBudgetCounter(
  redis: RedisScripts,
  options: RedisBudgetCounterOptions = {},
): BudgetCounter {
  const prefix = options.prefix ?? 'frugal:';
  const margin = options.expiryMarginMs ?? defaultCounterExpiryMarginMs;
  const keyOf = (budgetKey: string, period: BudgetPeriod) => [redisBudgetKey(prefix, budgetKey, period)];
  const expiry = (period: BudgetPeriod) => String(period.resetsAt + margin);

  return {
    async open(budgetKey, period, opening) {
      const args = [checkCounterAmount('spent', opening.spent).toString(), String(opening.unpricedCalls)];
      return stateOf(await redis.run(openScript, keyOf(budgetKey, period), [...args, expiry(period)]));
    },
    async reserve(budgetKey, period, limit, amount) {
      const args = [checkCounterAmount('limit', limit), checkCounterAmount('amount', amount)].map(String);
      const reply = await redis.run(reserveScript, keyOf(budgetKey, period), [...args, expiry(period)]);
      const [admitted, ...state] = reply as unknown[];
      return { admitted: admitted === 1, state: stateOf(state) };
    },
    async settle(budgetKey, period, reserved, actual, unpriced = false) {
      const args = [checkCounterAmount('reserved', reserved), checkCounterAmount('actual', actual)].map(
        String,
      );
      const unpricedCount = unpriced ? '1' : '0';
      return stateOf(
        await redis.run(settleScript, keyOf(budgetKey, period), [...args, unpricedCount, expiry(period)]),
      );
    },
    async state(budgetKey, period) {
      return stateOf(await redis.run(stateScript, keyOf(budgetKey, period), []));
    },
  };
}

/** The key a counter keeps a budget's period under (for inspection in tests and by operators). */
export function redisBudgetKey(prefix: string, budgetKey: string, period: BudgetPeriod): string {
  return `${prefix}budget:${budgetKey}@${period.start}`;
}

function stateOf(reply: unknown): CounterState {
  const [spent, reserved, unpriced] = reply as [string, string, string];
  return { spent: BigInt(spent), reserved: BigInt(reserved), unpricedCalls: Number(unpriced) };
}
