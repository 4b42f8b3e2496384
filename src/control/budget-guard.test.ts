import { describe, expect, it } from 'vitest';
import type { Alert } from '../core/alerts/alert.js';
import { BudgetExceededError } from '../core/errors.js';
import { parseUsd } from '../core/money.js';
import { openStore } from '../store/open-store.js';
import { createBudgetGuard } from './budget-guard.js';
import { budget, call, ledgerSpan, ok, priced } from './budget-test-fixtures.js';

/** A clock the test moves. */
function clock(start: string) {
  let now = Date.parse(start);
  return { now: () => now, set: (text: string) => (now = Date.parse(text)) };
}

describe('budget guard', () => {
  it('reserves the maximum, settles to the actual cost, and refuses what would go over', async () => {
    const guard = createBudgetGuard({ budgets: [budget()], onAlert: () => {} });
    const first = await guard.admit(call('0.6'));
    // 0.6 reserved: another 0.6 would make 1.2 > 1.
    await expect(guard.admit(call('0.6'))).rejects.toBeInstanceOf(BudgetExceededError);
    first.settle(ok('0.25'));
    // 0.25 spent, nothing reserved: 0.75 fits exactly (the limit itself is allowed).
    const second = await guard.admit(call('0.75'));
    second.settle(ok('0.75'));
    const [state] = await guard.states();
    expect(state).toMatchObject({ spent: parseUsd('1'), reserved: 0n });
    await expect(guard.admit(call('0.000000000001'))).rejects.toThrow(/spent \$1\.00 \(100%\)/);
  });

  it('settles once, keeps the whole reservation for an unknown cost, and charges a failed call nothing', async () => {
    const guard = createBudgetGuard({ budgets: [budget()], onAlert: () => {} });
    const unknown = await guard.admit(call('0.3'));
    unknown.settle({
      cost: { status: 'unpriced', reason: 'unknown-model', message: 'no price' },
      status: 'ok',
    });
    unknown.settle(ok('0.01'));
    const failed = await guard.admit(call('0.3'));
    failed.settle({ cost: undefined, status: 'error' });
    const failedWithUsage = await guard.admit(call('0.3'));
    failedWithUsage.settle({ cost: priced('0.05'), status: 'error' });
    const [state] = await guard.states();
    expect(state).toMatchObject({ spent: parseUsd('0.35'), reserved: 0n, unpricedCalls: 1 });
  });

  it('applies only the budgets whose scope covers the call, hard ones only refusing', async () => {
    const budgets = [
      budget({
        id: 'feature:search/day',
        scope: { kind: 'feature', value: 'search' },
        limit: parseUsd('0.1'),
      }),
      budget({
        id: 'tag:batch/day',
        scope: { kind: 'tag', value: 'batch' },
        limit: parseUsd('0.1'),
        hard: false,
      }),
      budget({ id: 'model:gpt-4o/day', scope: { kind: 'model', value: 'gpt-4o' }, limit: parseUsd('0.1') }),
    ];
    const guard = createBudgetGuard({ budgets, onAlert: () => {} });
    await expect(guard.admit(call('0.2', { attribution: { feature: 'search' } }))).rejects.toThrow(
      /feature:search\/day/,
    );
    // A soft budget never refuses; other features and models are not covered.
    (await guard.admit(call('0.2', { attribution: { feature: 'chat', tags: ['batch'] } }))).settle(ok('0.2'));
    // A model budget is charged for calls answered by that model, even when another name was asked for.
    (await guard.admit(call('0.05', { model: 'my-alias' }))).settle({
      ...ok('0.05'),
      responseModel: 'gpt-4o',
    });
    const states = Object.fromEntries((await guard.states()).map((s) => [s.budget.id, s.spent]));
    expect(states).toEqual({
      'feature:search/day': 0n,
      'tag:batch/day': parseUsd('0.2'),
      'model:gpt-4o/day': parseUsd('0.05'),
    });
  });

  it('fires each threshold once per period, in the configured zone, and again in the next period', async () => {
    const time = clock('2026-11-22T10:00:00Z');
    const alerts: Alert[] = [];
    const guard = createBudgetGuard({
      budgets: [budget({ timeZone: 'Europe/Berlin', hard: false })],
      now: time.now,
      onAlert: (alert) => alerts.push(alert),
    });
    for (const usd of ['0.3', '0.3', '0.1', '0.05']) (await guard.admit(call(usd))).settle(ok(usd));
    // 0.3 → 0.6 (50 %) → 0.7 → 0.75: only 50 % is crossed, once.
    expect(alerts.map((alert) => alert.id)).toEqual(['budget:global/day:2026-11-21T23:00:00.000Z:50']);
    (await guard.admit(call('0.5'))).settle(ok('0.5'));
    // 0.75 → 1.25 crosses 80, 90 and 100 at once.
    expect(alerts.slice(1).map((alert) => alert.details['threshold_percent'])).toEqual([80, 90, 100]);
    expect(alerts[3]).toMatchObject({
      kind: 'budget-threshold',
      severity: 'critical',
      message:
        'budget global/day reached 100%: $1.25 of $1.00 (125%) this day, resets 2026-11-22T23:00:00.000Z',
    });
    // Midnight in Berlin is 23:00 UTC: a new period, spend from zero, thresholds armed again.
    time.set('2026-11-22T23:00:00Z');
    (await guard.admit(call('0.6'))).settle(ok('0.6'));
    expect(alerts.at(-1)?.id).toBe('budget:global/day:2026-11-22T23:00:00.000Z:50');
    expect(alerts).toHaveLength(5);
  });

  it('starts from the spend already in the ledger and records alerts there once across guards', async () => {
    const store = await openStore(':memory:');
    try {
      const now = Date.parse('2026-11-22T12:00:00Z');
      await store.insertSpans([ledgerSpan(now, '0.7')]);
      const seen: string[] = [];
      const options = { budgets: [budget()], store, now: () => now, onAlert: (a: Alert) => seen.push(a.id) };
      const guard = createBudgetGuard(options);
      await expect(guard.admit(call('0.4'))).rejects.toThrow(/spent \$0\.70 \(70%\)/);
      (await guard.admit(call('0.2'))).settle(ok('0.2'));
      await guard.settled();
      // A second guard (a restarted process) re-reads 0.9 and does not raise the 80 % alert again.
      const restarted = createBudgetGuard(options);
      (await restarted.admit(call('0.01'))).settle(ok('0.01'));
      await restarted.settled();
      expect(seen.filter((id) => id.endsWith(':80'))).toHaveLength(1);
      const recorded = await store.listAlerts();
      expect(recorded.map((alert) => alert.kind).sort()).toEqual([
        'budget-refused',
        'budget-threshold',
        'budget-threshold',
      ]);
    } finally {
      await store.close();
    }
  });
});
