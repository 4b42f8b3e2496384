import { createMemoryBudgetCounter, type MemoryBudgetCounter } from './memory-budget-counter.js';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';
import { describeSharedStateContract } from './shared-state-contract.js';

// Several "connections" onto one in-memory state are the same counter and limiter, handed out several times.
describeSharedStateContract('memory', {
  async open(handles, options = {}) {
    const counter: MemoryBudgetCounter = createMemoryBudgetCounter(options);
    const limiter = createMemoryRateLimiter();
    return {
      counters: Array.from({ length: handles }, () => counter),
      limiters: Array.from({ length: handles }, () => limiter),
      expiryOf: async (budgetKey, period) => counter.expiresAt(budgetKey, period),
    };
  },
  async closeAll() {},
});
