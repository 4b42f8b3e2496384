import type { Picodollars } from '../core/money.js';
import {
  type BudgetCounter,
  type CounterState,
  checkCounterAmount,
  defaultCounterExpiryMarginMs,
} from './budget-counter.js';
import type { BudgetPeriod } from './budget-spend.js';

export type MemoryBudgetCounterOptions = {
  /** Epoch ms, for expiry (default `Date.now`). */
  readonly now?: (() => number) | undefined;
  readonly expiryMarginMs?: number | undefined;
};

/** A BudgetCounter in this process, with an inspection of when an entry expires (for tests). */
export interface MemoryBudgetCounter extends BudgetCounter {
  expiresAt(budgetKey: string, period: BudgetPeriod): number | undefined;
}

type Entry = {
  spent: Picodollars;
  reserved: Picodollars;
  unpricedCalls: number;
  opened: boolean;
  expiresAt: number;
};

/**
 * The in-memory twin of the Redis counter: same contract, for one process and for tests. Each method runs to
 * completion before any other (no await inside), which is what makes it atomic.
 */
export function createMemoryBudgetCounter(options: MemoryBudgetCounterOptions = {}): MemoryBudgetCounter {
  const now = options.now ?? Date.now;
  const margin = options.expiryMarginMs ?? defaultCounterExpiryMarginMs;
  const entries = new Map<string, Entry>();
  const keyOf = (budgetKey: string, period: BudgetPeriod) => `${budgetKey}@${period.start}`;

  const live = (budgetKey: string, period: BudgetPeriod): Entry | undefined => {
    const key = keyOf(budgetKey, period);
    const entry = entries.get(key);
    if (entry !== undefined && entry.expiresAt <= now()) entries.delete(key);
    return entries.get(key);
  };
  const touch = (budgetKey: string, period: BudgetPeriod): Entry => {
    const entry = live(budgetKey, period) ?? {
      spent: 0n,
      reserved: 0n,
      unpricedCalls: 0,
      opened: false,
      expiresAt: 0,
    };
    entry.expiresAt = period.resetsAt + margin;
    if (entry.expiresAt > now()) entries.set(keyOf(budgetKey, period), entry);
    return entry;
  };
  const snapshot = (entry: Entry | undefined): CounterState => ({
    spent: entry?.spent ?? 0n,
    reserved: entry?.reserved ?? 0n,
    unpricedCalls: entry?.unpricedCalls ?? 0,
  });

  return {
    async open(budgetKey, period, opening) {
      checkCounterAmount('spent', opening.spent);
      const entry = touch(budgetKey, period);
      if (!entry.opened) {
        entry.opened = true;
        entry.spent += opening.spent;
        entry.unpricedCalls += opening.unpricedCalls;
      }
      return snapshot(entry);
    },
    async reserve(budgetKey, period, limit, amount) {
      checkCounterAmount('limit', limit);
      checkCounterAmount('amount', amount);
      const entry = live(budgetKey, period);
      const state = snapshot(entry);
      if (state.spent + state.reserved + amount > limit) return { admitted: false, state };
      const held = touch(budgetKey, period);
      held.reserved += amount;
      return { admitted: true, state: snapshot(held) };
    },
    async settle(budgetKey, period, reserved, actual, unpriced = false) {
      checkCounterAmount('reserved', reserved);
      checkCounterAmount('actual', actual);
      const entry = touch(budgetKey, period);
      entry.reserved = entry.reserved > reserved ? entry.reserved - reserved : 0n;
      entry.spent += actual;
      if (unpriced) entry.unpricedCalls++;
      return snapshot(entry);
    },
    async state(budgetKey, period) {
      return snapshot(live(budgetKey, period));
    },
    expiresAt(budgetKey, period) {
      return live(budgetKey, period)?.expiresAt;
    },
  };
}
