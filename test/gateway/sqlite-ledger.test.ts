import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { startFakeOpenAIServer } from '../../src/testing/fake-openai-server.js';
import { sendChat } from './chat-client.js';
import { startReplica, stopAllReplicas } from './gateway-replica.js';

afterAll(() => stopAllReplicas());

/**
 * `frugal gateway` on its default SQLite ledger stores spans from a worker thread (store/threaded-span-inserter):
 * every acknowledged call is in the ledger with the cost its client was told once the gateway stops, and the
 * journal is empty.
 */
describe('frugal gateway on a SQLite ledger', () => {
  it('stores every acknowledged call from its worker thread, exactly', async () => {
    const upstream = await startFakeOpenAIServer({ reply: { usage: { input: 900, output: 300 } } });
    const directory = mkdtempSync(join(tmpdir(), 'frugal-sqlite-gateway-'));
    const config = join(directory, 'frugal.yaml');
    writeFileSync(
      config,
      `store: sqlite:${join(directory, 'frugal.db')}
gateway:
  journal: ${join(directory, 'journal')}
  model_list:
    - { model_name: gpt-4o-mini, provider: openai, model: gpt-4o-mini, api_base: "${upstream.baseURL}", api_key_env: UPSTREAM_KEY }
`,
    );
    try {
      const replica = await startReplica('sqlite', config, { UPSTREAM_KEY: 'sk-test' });
      const body = JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 400,
      });
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, index) => sendChat(replica.url, body, `call-${index}`)),
      );
      expect(outcomes.every((outcome) => outcome.kind === 'ok')).toBe(true);
      expect(replica.log()).not.toContain('stored on the main thread');
      expect(await replica.stop()).toEqual({ code: 0, signal: null });
      expect(readdirSync(join(directory, 'journal')).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
      const ledger = await openStore(join(directory, 'frugal.db'));
      try {
        for (const outcome of outcomes) {
          if (outcome.kind !== 'ok') continue;
          const spans = await ledger.getTrace(outcome.requestId);
          expect(spans).toHaveLength(1);
          expect(spans[0]!.cost).toMatchObject({ status: 'priced', total: outcome.costPicos });
        }
      } finally {
        await ledger.close();
      }
    } finally {
      await upstream.close();
    }
  }, 40_000);
});
