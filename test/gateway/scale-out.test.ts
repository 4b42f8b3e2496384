import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/control/redis-scripts.js';
import { maxCallCost } from '../../src/core/budgets/max-call-cost.js';
import { cost } from '../../src/core/cost/cost.js';
import { formatUsd, parseUsd } from '../../src/core/money.js';
import { defaultPriceBook } from '../../src/core/prices/default-price-book.js';
import { countChatTokens } from '../../src/core/tokens/count-tokens.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../../src/testing/fake-openai-server.js';
import { type ChatOutcome, sendChat } from './chat-client.js';
import { type GatewayReplica, startReplica, stopAllReplicas } from './gateway-replica.js';
import { createTestLedger, type TestLedger } from './test-ledger.js';

// Issue: "Several gateway replicas share one PostgreSQL ledger and one Redis. A test runs 3 replicas on loopback
// against one hard budget with 64 concurrent clients and shows 0 overrun." Real processes (the built
// bin/frugal.js, so run after `npm run build`), real PostgreSQL and Redis. Without FRUGAL_TEST_PG_URL and
// FRUGAL_TEST_REDIS_URL this file FAILS rather than skips: a green run means the replicas were really tested.
const pgUrl = process.env['FRUGAL_TEST_PG_URL'];
const redisUrl = process.env['FRUGAL_TEST_REDIS_URL'];

const replicaCount = 3;
const clientCount = 64;
/** A stop for a gateway that never refuses: the test then fails on `refused > 0` instead of running on. */
const requestCap = 1_500;
const limit = parseUsd('0.2');
const model = 'gpt-4o-mini';
const maxTokens = 500;
/** What the fake upstream reports for every call: within what the gateway reserves (see `prompt` below). */
const usage = { input: 1_000, output: 500 };
// A prompt of at least `usage.input` tokens, so the upstream is honest: each call costs at most what the gateway
// reserved for it (prompt + max_tokens). Spend past the limit can then only come from the gateway.
const messages = [{ role: 'user', content: 'The quick brown fox jumps over the lazy dog. '.repeat(110) }];
const body = JSON.stringify({ model, messages, max_tokens: maxTokens });

if (pgUrl === undefined || redisUrl === undefined) {
  describe('gateway replicas sharing one ledger and one Redis', () => {
    it('needs FRUGAL_TEST_PG_URL and FRUGAL_TEST_REDIS_URL', () => {
      throw new Error(
        'FRUGAL_TEST_PG_URL or FRUGAL_TEST_REDIS_URL is not set: start them with `eval "$(bash ../shared/services.sh)"` and rerun',
      );
    });
  });
} else {
  describe('gateway replicas sharing one ledger and one Redis', () => {
    const run = `${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
    const budgetId = `scale-out-${run}`;
    const scratch = mkdtempSync(join(tmpdir(), 'frugal-scale-out-'));
    const ledger: TestLedger = createTestLedger(pgUrl, 'scale_out');
    let upstream: FakeOpenAIServer | undefined;
    let replicas: GatewayReplica[] = [];

    beforeAll(async () => {
      const fake = await startFakeOpenAIServer({
        apiKey: 'sk-test',
        reply: { usage, latency: { firstByteMs: 30 } },
      });
      upstream = fake;
      const files = Array.from({ length: replicaCount }, (_, index) => {
        const file = join(scratch, `frugal-${index}.yaml`);
        writeFileSync(
          file,
          `store: ${JSON.stringify(ledger.storeUrl)}
budgets:
  - { id: ${JSON.stringify(budgetId)}, scope: global, period: month, limit_usd: "${formatUsd(limit)}", hard: true }
gateway:
  redis: ${JSON.stringify(redisUrl)}
  journal: ${JSON.stringify(join(scratch, `journal-${index}`))}
  cache: { enabled: false }
  model_list:
    - { model_name: ${model}, provider: openai, model: ${model}, api_base: ${JSON.stringify(fake.baseURL)}, api_key_env: UPSTREAM_KEY }
`,
        );
        return file;
      });
      // Started together: they also race to create and migrate the fresh schema.
      replicas = await Promise.all(
        files.map((file, index) => startReplica(`replica-${index}`, file, { UPSTREAM_KEY: 'sk-test' })),
      );
    }, 60_000);

    afterAll(async () => {
      await stopAllReplicas();
      await upstream?.close();
      const redis = await connectRedis(redisUrl, () => {});
      try {
        const keys = (await redis.command(['KEYS', `frugal:budget:${budgetId}@*`])) as string[];
        if (keys.length > 0) await redis.command(['DEL', ...keys]);
      } finally {
        await redis.close();
      }
      await ledger.drop();
      rmSync(scratch, { recursive: true, force: true });
    }, 60_000);

    it('keeps 64 concurrent clients on 3 replicas within one hard budget, and records every admitted call once', async () => {
      // What each call costs and reserves, from the catalog, as the gateway computes them.
      const counted = await countChatTokens(messages, { model });
      expect(counted.exact).toBe(true);
      expect(counted.tokens).toBeGreaterThanOrEqual(usage.input);
      const priced = cost(usage, model);
      if (priced.status !== 'priced') throw new Error(`${model} is not priced: ${priced.message}`);
      const callCost = priced.total;
      const bound = maxCallCost(
        { model, promptTokens: counted.tokens, maxOutputTokens: maxTokens },
        { book: defaultPriceBook(), on: new Date().toISOString().slice(0, 10) },
      );
      if (bound.status !== 'bounded') throw new Error(bound.message);
      const reserve = bound.maxCost;
      expect(callCost).toBeLessThanOrEqual(reserve);

      // 64 client loops; each spreads its requests round-robin over the replicas and stops at its first refusal.
      const outcomes: ChatOutcome[] = [];
      const latencies: number[] = [];
      let sent = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: clientCount }, async (_, client) => {
          for (let n = 0; sent < requestCap; n++) {
            sent++;
            const replica = replicas[(client + n) % replicaCount]!;
            const before = performance.now();
            const outcome = await sendChat(replica.url, body, `scale-${client}-${n}`);
            latencies.push(performance.now() - before);
            outcomes.push(outcome);
            if (outcome.kind !== 'ok') return;
          }
        }),
      );
      const loadMs = performance.now() - started;
      // Every replica drains and flushes its spans on SIGTERM, and exits 0.
      const exits = await Promise.all(replicas.map((replica) => replica.stop('SIGTERM')));
      for (const [index, exit] of exits.entries()) {
        expect(exit, `replica-${index} log:\n${replicas[index]!.log()}`).toEqual({ code: 0, signal: null });
      }

      const admitted = outcomes.filter((outcome) => outcome.kind === 'ok');
      const refused = outcomes.filter((outcome) => outcome.kind === 'refused');
      const failed = outcomes.filter((outcome) => outcome.kind === 'failed');
      const spans = await ledger.spans();
      const spent = spans.reduce((sum, span) => sum + (span.costPicos ?? 0n), 0n);
      const acknowledged = admitted.reduce((sum, outcome) => sum + outcome.costPicos, 0n);
      const rollup = await ledger.dailyRollup();
      latencies.sort((a, b) => a - b);
      const percentile = (p: number) =>
        Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!);
      // The closest the spend must come to the limit. At the last refusal, spent + reserved + reserve > limit
      // (that is why it was refused). Every reservation outstanding then belonged to a call that was answered
      // and settled to exactly `callCost` (checked below), so the final spend is above limit − reserve − n ×
      // (reserve − callCost), n being the reservations outstanding at that moment: at most one call in flight
      // per client plus, per client, one answered call whose settlement (sent after the reply) was not yet
      // applied: n ≤ 2 × 64. Far tighter than limit − 64 × reserve, so leaked reservations would show.
      const floor = limit - reserve - BigInt(2 * clientCount) * (reserve - callCost);
      console.log(
        `scale-out: ${replicaCount} replicas, ${clientCount} clients, ${outcomes.length} requests in ${Math.round(loadMs)} ms ` +
          `(latency p50 ${percentile(0.5)} ms, p99 ${percentile(0.99)} ms, max ${percentile(1)} ms): ` +
          `${admitted.length} admitted, ${refused.length} refused, ${failed.length} failed; ` +
          `ledger ${spans.length} spans, spend $${formatUsd(spent)} of $${formatUsd(limit)} limit ` +
          `(headroom $${formatUsd(limit - spent)}; call $${formatUsd(callCost)}, reserved per call $${formatUsd(reserve)}; ` +
          `floor $${formatUsd(floor)})`,
      );

      expect(failed.slice(0, 5)).toEqual([]);
      expect(refused.length).toBeGreaterThan(0);
      expect(new Set(refused.map((outcome) => outcome.code))).toEqual(new Set(['budget_exceeded']));
      // 0 overrun.
      expect(spent).toBeLessThanOrEqual(limit);
      expect(spent).toBeGreaterThanOrEqual(floor);
      // Every admitted call is in the ledger once, with the cost its client was told; nothing else is.
      for (const outcome of admitted) expect(outcome.costPicos).toBe(callCost);
      expect(new Set(admitted.map((outcome) => outcome.requestId)).size).toBe(admitted.length);
      expect(spans.map((span) => span.tag).sort()).toEqual(admitted.map((outcome) => outcome.tag).sort());
      const told = new Map(admitted.map((outcome) => [outcome.tag, outcome.costPicos]));
      for (const span of spans) expect([span.tag, span.costPicos]).toEqual([span.tag, told.get(span.tag!)]);
      expect(spent).toBe(acknowledged);
      expect(spent).toBe(BigInt(admitted.length) * callCost);
      // The reports' rollup agrees with the spans.
      expect(rollup).toEqual({ costPicos: spent, calls: BigInt(spans.length) });
      // The shared counter settled every reservation to the spend the ledger holds.
      const redis = await connectRedis(redisUrl, () => {});
      try {
        const keys = (await redis.command(['KEYS', `frugal:budget:${budgetId}@*`])) as string[];
        expect(keys).toHaveLength(1);
        const [counterSpent, counterReserved] = (await redis.command([
          'HMGET',
          keys[0]!,
          'spent',
          'reserved',
        ])) as string[];
        expect({ spent: BigInt(counterSpent!), reserved: BigInt(counterReserved!) }).toEqual({
          spent,
          reserved: 0n,
        });
      } finally {
        await redis.close();
      }
    }, 60_000);
  });
}
