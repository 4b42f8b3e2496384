import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudgetGuard } from '../src/control/budget-guard.js';
import type { Budget } from '../src/core/budgets/budget.js';
import { BudgetExceededError } from '../src/core/errors.js';
import { formatUsd, parseUsd } from '../src/core/money.js';
import { createRandom } from '../src/core/random.js';
import { openStore } from '../src/store/open-store.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../src/testing/fake-openai-server.js';
import { createTracer } from '../src/tracing/create-tracer.js';
import { instrumentOpenAI } from '../src/tracing/instrument-openai.js';
import { createMemorySink } from '../src/tracing/memory-sink.js';
import { openSpanWriter } from '../src/tracing/span-writer.js';
import { runCli } from './support/memory-io.js';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(() => server.close());

const hard = (limitUsd: string, overrides: Partial<Budget> = {}): Budget => ({
  id: 'global/day',
  scope: { kind: 'global' },
  period: 'day',
  timeZone: 'UTC',
  limit: parseUsd(limitUsd),
  hard: true,
  thresholds: [50, 80, 90, 100],
  ...overrides,
});

describe('hard budgets through the instrumented OpenAI SDK', () => {
  it('64 concurrent clients never take spend over the limit; refused calls are never sent', async () => {
    const next = createRandom(7);
    // Each answer reports 40-400 output tokens (of max_tokens 400) after 5-40 ms, so calls overlap and settle
    // below their reservations in a shuffled order.
    server.reset();
    server.setReply(() => ({
      text: 'A fairly ordinary answer.',
      usage: { input: 20, output: 40 + Math.floor(next() * 361) },
      latency: { firstByteMs: 5 + Math.floor(next() * 35), chunkDelayMs: 1 },
    }));
    const budget = hard('0.004');
    const alerts: string[] = [];
    const guard = createBudgetGuard({ budgets: [budget], onAlert: (alert) => alerts.push(alert.id) });
    const sink = createMemorySink();
    const tracer = createTracer({ sink, admission: guard });
    const client = instrumentOpenAI(
      new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 }),
      {
        tracer,
      },
    );
    const refusals: BudgetExceededError[] = [];
    const worker = async (index: number) => {
      for (let call = 0; call < 6; call++) {
        const request = {
          model: 'gpt-4o-mini',
          messages: [{ role: 'user' as const, content: `Question ${index}.${call}: say something.` }],
          max_tokens: 400,
        };
        try {
          if (index % 2 === 0) {
            for await (const _chunk of await client.chat.completions.create({ ...request, stream: true })) {
              // drain
            }
          } else {
            await client.chat.completions.create(request);
          }
        } catch (error) {
          if (!(error instanceof BudgetExceededError)) throw error;
          refusals.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: 64 }, (_, index) => worker(index)));

    const spent = sink.spans.reduce(
      (sum, span) => sum + (span.cost?.status === 'priced' ? span.cost.total : 0n),
      0n,
    );
    // Never over the limit, and the limit was the reason calls stopped (not a lack of traffic).
    expect(spent).toBeLessThanOrEqual(budget.limit);
    expect(refusals.length).toBeGreaterThan(0);
    expect(sink.spans.length).toBeGreaterThan(20);
    // Only admitted calls reached the provider, and each became exactly one priced span.
    expect(server.requests).toHaveLength(sink.spans.length);
    expect(sink.spans.length + refusals.length).toBe(64 * 6);
    expect(sink.spans.every((span) => span.cost?.status === 'priced' && span.status === 'ok')).toBe(true);
    // The guard's books agree with the spans to the pico-dollar, and nothing stays reserved.
    const [state] = await guard.states();
    expect(state).toMatchObject({ spent, reserved: 0n });
    // Headroom left is less than one call's maximum: the budget was used, not refused early.
    const maxCost = refusals[0]!.details.requested!;
    expect(budget.limit - spent).toBeLessThan(maxCost);
    const refusal = refusals.at(-1)!;
    expect(refusal.budgetId).toBe('global/day');
    expect(refusal.message).toMatch(
      /^hard budget global\/day refused a call to gpt-4o-mini: limit \$0\.004 this day, spent \$0\.\d+ \(\d+(\.\d+)?%\), \$[\d.]+ reserved by calls in flight, this call could cost up to \$0\.000\d+; the day resets \d{4}-\d\d-\d\dT00:00:00\.000Z$/,
    );
    expect(alerts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^budget:global\/day:.*:50$/),
        expect.stringMatching(/^budget-refused:/),
      ]),
    );
    // Each threshold fired once, however many calls crossed or refused.
    expect(new Set(alerts).size).toBe(alerts.length);
    console.log(
      `hard budget $${formatUsd(budget.limit)}: ${sink.spans.length} calls admitted, ${refusals.length} refused, ` +
        `spent $${formatUsd(spent)}`,
    );
  });

  it('refuses a call whose cost cannot be bounded under a hard budget, and sends nothing', async () => {
    server.reset();
    server.setReply({});
    const guard = createBudgetGuard({ budgets: [hard('1')], onAlert: () => {} });
    const tracer = createTracer({ sink: createMemorySink(), admission: guard });
    const client = instrumentOpenAI(
      new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 }),
      {
        tracer,
      },
    );
    const call = client.chat.completions.create({
      model: 'my-private-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect(call).rejects.toThrow(
      /hard budget global\/day refused a call to my-private-model: its cost cannot be bounded before sending \(no price for model 'my-private-model'/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('lets calls outside a hard budget’s scope through, and keeps .withResponse()', async () => {
    server.reset();
    server.setReply({ usage: { input: 10, output: 10 } });
    const budget = hard('0.000001', {
      id: 'feature:search/day',
      scope: { kind: 'feature', value: 'search' },
    });
    const guard = createBudgetGuard({ budgets: [budget], onAlert: () => {} });
    const sink = createMemorySink();
    const tracer = createTracer({ sink, admission: guard });
    const client = instrumentOpenAI(
      new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 }),
      {
        tracer,
      },
    );
    const request = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'hi' }],
      max_tokens: 50,
    };
    const { data, response } = await tracer.withAttributes({ feature: 'chat' }, () =>
      client.chat.completions.create(request).withResponse(),
    );
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(response.status).toBe(200);
    await expect(
      tracer.withAttributes({ feature: 'search' }, () => client.chat.completions.create(request)),
    ).rejects.toBeInstanceOf(BudgetExceededError);
    expect(server.requests).toHaveLength(1);
    expect(sink.spans).toHaveLength(1);
    expect(sink.spans[0]?.requestHash).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('a retry storm, from the SDK call to `frugal alerts check`', () => {
  it('hashes each request, stores the hash, and the detector finds the repeated one (and only it)', async () => {
    server.reset();
    server.setReply({ usage: { input: 30, output: 10 } });
    const directory = mkdtempSync(join(tmpdir(), 'frugal-storm-'));
    const store = await openStore(join(directory, 'ledger.db'));
    // Calls start in the 10-minute window [12:00, 12:10) of a fixed day; the check runs at 12:10:30.
    let clock = Date.parse('2026-11-22T12:01:00Z');
    const tracer = createTracer({
      sink: await openSpanWriter({ store, journalDirectory: join(directory, 'journal'), flushOnExit: false }),
      clock: { now: () => clock },
    });
    const client = instrumentOpenAI(
      new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 }),
      {
        tracer,
      },
    );
    const ask = (content: string, stream = false) =>
      tracer.withAttributes({ feature: 'support' }, async () => {
        const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content }] };
        if (!stream) {
          await client.chat.completions.create(request);
          return;
        }
        for await (const _chunk of await client.chat.completions.create({ ...request, stream: true })) {
          // drain
        }
      });
    // The same question 12 times (streamed or not: the same request), and 9 other questions once each.
    for (let index = 0; index < 12; index++) {
      clock += 20_000;
      await ask('Where is my order #1234?', index % 3 === 0);
    }
    for (let index = 0; index < 9; index++) await ask(`Question ${index}`);
    await tracer.close();
    await store.close();

    const check = await runCli(['alerts', 'check', '--store', join(directory, 'ledger.db')], {
      now: Date.parse('2026-11-22T12:10:30Z'),
      cwd: directory,
    });
    expect(check.code).toBe(0);
    const lines = check.stdout.trim().split('\n');
    expect(lines[0]).toBe('1 new alert(s):');
    expect(lines[1]).toMatch(
      /^ {2}⚠ \[retry-storm\] Retry storm: request [0-9a-f]{12} \(feature 'support', gpt-4o-mini\) sent 12 times in the 10 minutes from 2026-11-22T12:00:00\.000Z, 0 failed, costing \$/,
    );
  });
});
