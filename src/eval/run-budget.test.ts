import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, Settlement } from '../core/budgets/admission.js';
import { BudgetExceededError } from '../core/errors.js';
import { createRunBudget } from './run-budget.js';

const call = (maxCost: bigint | undefined, model = 'gpt-4o-mini'): AdmissionRequest => ({
  model,
  attribution: { runId: 'run-1' },
  maxCost,
  ...(maxCost === undefined ? { unboundedReason: 'no output limit' } : {}),
});

const priced = (total: bigint): Settlement => ({
  status: 'ok',
  cost: { status: 'priced', total, priceId: 'gpt-4o-mini', source: 'test' },
});

/** The error a rejected promise carries, asserted to be a BudgetExceededError. */
async function refusalOf(promise: Promise<unknown>): Promise<BudgetExceededError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(BudgetExceededError);
  return error as BudgetExceededError;
}

describe('createRunBudget', () => {
  it.each<{ limit: bigint; spent: bigint; held: readonly bigint[]; next: bigint; admitted: boolean }>([
    { limit: 1_000n, spent: 0n, held: [], next: 1_000n, admitted: true },
    { limit: 1_000n, spent: 0n, held: [], next: 1_001n, admitted: false },
    { limit: 1_000n, spent: 0n, held: [300n, 300n, 300n], next: 100n, admitted: true },
    { limit: 1_000n, spent: 0n, held: [300n, 300n, 300n], next: 101n, admitted: false },
    { limit: 1_000n, spent: 400n, held: [500n], next: 100n, admitted: true },
    { limit: 1_000n, spent: 400n, held: [500n], next: 101n, admitted: false },
    { limit: 1_000n, spent: 1_000n, held: [], next: 0n, admitted: true },
    { limit: 1_000n, spent: 1_000n, held: [], next: 1n, admitted: false },
  ])(
    'with $spent spent and $held held under $limit, a call of up to $next is admitted: $admitted',
    async ({ limit, spent, held, next, admitted }) => {
      const budget = createRunBudget(limit, 1_700_000_000_000);
      if (spent > 0n) (await budget.admit(call(spent))).settle(priced(spent));
      for (const maxCost of held) await budget.admit(call(maxCost));
      const reserved = held.reduce((sum, value) => sum + value, 0n);
      expect(budget.spent()).toBe(spent);
      expect(budget.reserved()).toBe(reserved);
      if (admitted) {
        await budget.admit(call(next));
        expect(budget.reserved()).toBe(reserved + next);
        expect(budget.refusal()).toBeUndefined();
        return;
      }
      const error = await refusalOf(budget.admit(call(next)));
      expect(error.budgetId).toBe('run');
      expect(error.details).toMatchObject({ limit, spent, reserved, requested: next });
      expect(error.details.periodStart).toBe(1_700_000_000_000);
      expect(error.message).toMatch(/budget cap/);
      // A refusal reserves nothing and is remembered as the run's first.
      expect(budget.reserved()).toBe(reserved);
      expect(budget.refusal()).toBe(error);
    },
  );

  it('remembers the first refusal, not later ones', async () => {
    const budget = createRunBudget(100n, 0);
    const first = await refusalOf(budget.admit(call(101n)));
    const second = await refusalOf(budget.admit(call(500n)));
    expect(second).not.toBe(first);
    expect(budget.refusal()).toBe(first);
  });

  it.each<{ name: string; settlement: Settlement; spent: bigint }>([
    { name: 'a priced ok call: its exact cost', settlement: priced(37n), spent: 37n },
    {
      name: 'a priced failed call: its exact cost',
      settlement: { ...priced(12n), status: 'error' },
      spent: 12n,
    },
    {
      name: 'an ok call of unknown cost: the whole reservation',
      settlement: {
        status: 'ok',
        cost: { status: 'unpriced', reason: 'incomplete-usage', message: 'no usage' },
      },
      spent: 400n,
    },
    {
      name: 'an ok call with no cost at all: the whole reservation',
      settlement: { status: 'ok', cost: undefined },
      spent: 400n,
    },
    {
      name: 'a failed call without cost: nothing',
      settlement: { status: 'error', cost: undefined },
      spent: 0n,
    },
  ])('settles $name', async ({ settlement, spent }) => {
    const budget = createRunBudget(1_000n, 0);
    const ticket = await budget.admit(call(400n));
    expect(budget.reserved()).toBe(400n);
    ticket.settle(settlement);
    expect(budget.reserved()).toBe(0n);
    expect(budget.spent()).toBe(spent);
    // Settling twice changes nothing.
    ticket.settle(priced(999n));
    expect(budget.reserved()).toBe(0n);
    expect(budget.spent()).toBe(spent);
    // What is freed can be reserved again.
    await budget.admit(call(1_000n - spent));
    expect(budget.reserved()).toBe(1_000n - spent);
  });

  it('refuses a call that cannot be bounded, naming the model and why', async () => {
    const budget = createRunBudget(1_000_000n, 0);
    const error = await refusalOf(budget.admit(call(undefined, 'mystery-model')));
    expect(error.details.requested).toBeUndefined();
    expect(error.message).toMatch(/mystery-model cannot be bounded \(no output limit\)/);
    expect(budget.reserved()).toBe(0n);
    expect(budget.refusal()).toBe(error);
  });

  it('never over-reserves when many calls are admitted at once', async () => {
    const limit = 10_000n;
    const budget = createRunBudget(limit, 0);
    const attempts = await Promise.allSettled(
      Array.from({ length: 200 }, (_, index) => budget.admit(call(BigInt(50 + (index % 7) * 30)))),
    );
    const admitted = attempts.filter((attempt) => attempt.status === 'fulfilled');
    const refused = attempts.filter((attempt) => attempt.status === 'rejected');
    expect(admitted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const attempt of refused) expect(attempt.reason).toBeInstanceOf(BudgetExceededError);
    const reservedSum = attempts.reduce(
      (sum, attempt, index) => (attempt.status === 'fulfilled' ? sum + BigInt(50 + (index % 7) * 30) : sum),
      0n,
    );
    expect(budget.reserved()).toBe(reservedSum);
    expect(budget.reserved()).toBeLessThanOrEqual(limit);
    // Settling them all concurrently at their exact cost leaves spend within the cap.
    await Promise.all(
      admitted.map(async (attempt) => {
        await Promise.resolve();
        attempt.value.settle(priced(40n));
      }),
    );
    expect(budget.reserved()).toBe(0n);
    expect(budget.spent()).toBe(40n * BigInt(admitted.length));
    expect(budget.spent()).toBeLessThanOrEqual(limit);
  });
});
