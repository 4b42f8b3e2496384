import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/core/money.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../../src/testing/fake-openai-server.js';
import type { RecordedRequest } from '../../src/testing/fake-reply.js';
import { type ChatOutcome, sendChat } from './chat-client.js';
import { type GatewayReplica, startReplica, stopAllReplicas } from './gateway-replica.js';
import { createTestLedger, type LedgerSpan, type TestLedger } from './test-ledger.js';

// Issue: "Durability: a replica killed with SIGKILL under load loses no spend already acknowledged to clients,
// and nothing is counted twice after restart." A real gateway process (the built bin/frugal.js, so run after
// `npm run build`) on a real PostgreSQL ledger. Without FRUGAL_TEST_PG_URL this file FAILS rather than skips.
const pgUrl = process.env['FRUGAL_TEST_PG_URL'];

const clientCount = 16;
/** Replies acknowledged (200, body read) before the replica is killed: a few store flushes' worth. */
const acknowledgedBeforeKill = 300;
const model = 'gpt-4o-mini';
const journalSegment = /^spans-\d+-[0-9a-f]+-\d+\.jsonl$/;

/** Each request's output tokens follow from its tag, so every call has its own cost and none can stand in for another. */
function outputTokensOf(request: RecordedRequest): number {
  const content =
    (request.body as { messages?: { content?: string }[] } | undefined)?.messages?.[0]?.content ?? '';
  const [, client = '0', n = '0'] = /kill-(\d+)-(\d+)/.exec(content) ?? [];
  return 1 + ((Number(client) * 131 + Number(n) * 17) % 400);
}

if (pgUrl === undefined) {
  describe('a gateway replica killed under load', () => {
    it('needs FRUGAL_TEST_PG_URL', () => {
      throw new Error(
        'FRUGAL_TEST_PG_URL is not set: start PostgreSQL with `eval "$(bash ../shared/services.sh)"` and rerun',
      );
    });
  });
} else {
  describe('a gateway replica killed under load', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'frugal-kill-'));
    const journal = join(scratch, 'journal');
    const configFile = join(scratch, 'frugal.yaml');
    const ledger: TestLedger = createTestLedger(pgUrl, 'kill');
    let upstream: FakeOpenAIServer | undefined;

    beforeAll(async () => {
      upstream = await startFakeOpenAIServer({
        apiKey: 'sk-test',
        reply: (request) => ({
          usage: { input: 1_000, output: outputTokensOf(request) },
          latency: { firstByteMs: 20 },
        }),
      });
      writeFileSync(
        configFile,
        `store: ${JSON.stringify(ledger.storeUrl)}
gateway:
  journal: ${JSON.stringify(journal)}
  # No timed store flush during the test, only the one at 256 spans (the batch size): the kill at 300 acknowledged
  # then always leaves acknowledged spans only in the journal. At 50 ms, under a busy test run, a flush landing just
  # before the kill sometimes stored them all, and the test did not test what it is for.
  store_flush_ms: 60000
  cache: { enabled: false }
  model_list:
    - { model_name: ${model}, provider: openai, model: ${model}, api_base: ${JSON.stringify(upstream.baseURL)}, api_key_env: UPSTREAM_KEY }
`,
      );
    });

    afterAll(async () => {
      await stopAllReplicas();
      await upstream?.close();
      await ledger.drop();
      rmSync(scratch, { recursive: true, force: true });
    }, 60_000);

    it('loses no acknowledged spend to SIGKILL, and counts nothing twice after the restart replays its journal', async () => {
      const env = { UPSTREAM_KEY: 'sk-test' };
      const first: GatewayReplica = await startReplica('first', configFile, env);

      // 16 client loops; the reply that makes `acknowledgedBeforeKill` kills the replica, with calls in flight.
      const outcomes: ChatOutcome[] = [];
      const sent = new Set<string>();
      let acknowledged = 0;
      await Promise.all(
        Array.from({ length: clientCount }, async (_, client) => {
          for (let n = 0; ; n++) {
            const tag = `kill-${client}-${n}`;
            const body = JSON.stringify({
              model,
              messages: [{ role: 'user', content: `Say hello (${tag})` }],
              max_tokens: 500,
            });
            sent.add(tag);
            const outcome = await sendChat(first.url, body, tag);
            outcomes.push(outcome);
            if (outcome.kind !== 'ok') return;
            if (++acknowledged === acknowledgedBeforeKill) first.child.kill('SIGKILL');
          }
        }),
      );
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const acked = outcomes.filter((outcome) => outcome.kind === 'ok');
      const failed = outcomes.filter((outcome) => outcome.kind === 'failed');
      const storedBeforeRestart = new Set((await ledger.spans()).map((span) => span.tag));
      const onlyInJournal = acked.filter((outcome) => !storedBeforeRestart.has(outcome.tag));
      const segmentsLeft = readdirSync(journal).filter((name) => journalSegment.test(name));

      // The same journal and store: the new replica stores what the killed one had journaled but not committed.
      const second: GatewayReplica = await startReplica('second', configFile, env);
      let spans: LedgerSpan[] = [];
      const deadline = Date.now() + 15_000;
      for (;;) {
        spans = await ledger.spans();
        const stored = new Set(spans.map((span) => span.tag));
        if (acked.every((outcome) => stored.has(outcome.tag)) || Date.now() > deadline) break;
        await sleep(100);
      }
      // A served request after the replay: the restarted replica is not just replaying, it works.
      const after = await sendChat(
        second.url,
        JSON.stringify({
          model,
          messages: [{ role: 'user', content: 'Say hello (kill-99-0)' }],
          max_tokens: 500,
        }),
        'kill-99-0',
      );
      const secondExit = await second.stop('SIGTERM');
      spans = await ledger.spans();
      const rollup = await ledger.dailyRollup();

      const byTag = new Map<string, LedgerSpan[]>();
      for (const span of spans) byTag.set(span.tag ?? '', [...(byTag.get(span.tag ?? '') ?? []), span]);
      const stored = spans.reduce((sum, span) => sum + (span.costPicos ?? 0n), 0n);
      const told = acked.reduce((sum, outcome) => sum + outcome.costPicos, 0n);
      const ackedInLedger = acked.reduce(
        (sum, outcome) => sum + (byTag.get(outcome.tag)?.[0]?.costPicos ?? 0n),
        0n,
      );
      const ackedTags = new Set(acked.map((outcome) => outcome.tag));
      const cutOffButJournaled = spans.filter(
        (span) => !ackedTags.has(span.tag!) && span.tag !== 'kill-99-0',
      ).length;
      console.log(
        `kill-durability: ${sent.size} requests sent, ${acked.length} acknowledged ($${formatUsd(told)}), ` +
          `${failed.length} cut off by SIGKILL; at the kill ${onlyInJournal.length} acknowledged spans were only in the ` +
          `journal (${segmentsLeft.length} segment files); after the restart the ledger holds ${spans.length} spans ` +
          `($${formatUsd(stored)}, acknowledged ones $${formatUsd(ackedInLedger)}): ` +
          `${acked.filter((outcome) => byTag.has(outcome.tag)).length} acknowledged, ${cutOffButJournaled} cut off after ` +
          `being journaled, ${after.kind === 'ok' ? 1 : 0} served after the restart; ` +
          `journal files left: ${readdirSync(journal).length}`,
      );

      expect(acked.length).toBeGreaterThanOrEqual(acknowledgedBeforeKill);
      // The kill came mid-load (clients were cut off) while acknowledged spend was not yet in the store.
      expect(failed.length).toBeGreaterThan(0);
      expect(onlyInJournal.length).toBeGreaterThan(0);
      expect(after.kind).toBe('ok');
      expect(secondExit, second.log()).toEqual({ code: 0, signal: null });

      // No acknowledged spend lost: every acknowledged call is stored, at the cost its client was told.
      expect(acked.filter((outcome) => !byTag.has(outcome.tag)).map((outcome) => outcome.tag)).toEqual([]);
      for (const outcome of acked)
        expect([outcome.tag, byTag.get(outcome.tag)![0]!.costPicos]).toEqual([
          outcome.tag,
          outcome.costPicos,
        ]);
      expect(ackedInLedger).toBe(told);
      // Nothing counted twice: each request has at most one span, and the rollups reports read agree with them.
      expect([...byTag].filter(([, list]) => list.length > 1).map(([tag]) => tag)).toEqual([]);
      expect(rollup).toEqual({ costPicos: stored, calls: BigInt(spans.length) });
      // Nothing invented: every stored span is a request some client sent.
      expect(spans.filter((span) => !sent.has(span.tag!) && span.tag !== 'kill-99-0')).toEqual([]);
      expect(spans.every((span) => span.status === 'ok')).toBe(true);
      // The clean stop left nothing in the journal to replay again.
      expect(readdirSync(journal).filter((name) => journalSegment.test(name))).toEqual([]);
    }, 60_000);
  });
}
