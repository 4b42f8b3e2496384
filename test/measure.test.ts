import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTracer,
  instrumentOpenAI,
  openSpanWriter,
  openStore,
  setDefaultTracer,
  withAttributes,
} from 'frugal';
import { startFakeOpenAIServer } from 'frugal/testing';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';

// The README's "Measure" example, end to end through the built package: the real OpenAI SDK talks HTTP to a
// fake OpenAI server, frugal instruments it, the journaled writer stores the spans in a real SQLite file,
// and the real `frugal` executable reports them.
const bin = join(import.meta.dirname, '..', 'bin', 'frugal.js');
const directory = mkdtempSync(join(tmpdir(), 'frugal-measure-'));
const server = await startFakeOpenAIServer({
  reply: { text: 'An index is a data structure.', usage: { input: 1200, cachedInput: 1024, output: 300 } },
});
afterAll(() => server.close());

describe('measure: instrument a client, store its spans, report spend', () => {
  it('records exact, attributed spend that `frugal spend` reports', async () => {
    const store = await openStore(`sqlite:${join(directory, '.frugal', 'frugal.db')}`);
    const tracer = createTracer({
      sink: await openSpanWriter({ store, journalDirectory: join(directory, '.frugal', 'journal') }),
    });
    setDefaultTracer(tracer);
    try {
      const client = instrumentOpenAI(new OpenAI({ apiKey: 'test-key', baseURL: server.baseURL }));
      const ask = () =>
        client.chat.completions.create({
          model: 'gpt-4o',
          messages: [{ role: 'user', content: 'What is an index?' }],
        });
      await withAttributes({ feature: 'search', user: 'alice' }, async () => {
        await ask();
        await ask();
      });
      await withAttributes({ feature: 'chat', user: 'bob' }, async () => {
        const stream = await client.chat.completions.create({
          model: 'gpt-4o',
          stream: true,
          messages: [{ role: 'user', content: 'What is an index?' }],
        });
        for await (const chunk of stream) expect(chunk.usage ?? undefined).toBeUndefined();
      });
    } finally {
      setDefaultTracer(undefined);
      await tracer.close();
      await store.close();
    }

    const result = spawnSync(process.execPath, [bin, 'spend', '--by', 'feature', '--by', 'user', '--json'], {
      cwd: directory,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    // Per call: 176 fresh × $2.50 + 1,024 cached × $1.25 + 300 × $10, per 1M tokens = $0.00472.
    expect(report.total).toMatchObject({ cost_usd: '0.01416', calls: 3, unpriced_calls: 0 });
    expect(report.total.tokens).toEqual({
      input: 3600,
      cached_input: 3072,
      cache_write: 0,
      output: 900,
      reasoning: 0,
    });
    expect(report.sections[0].rows).toEqual([
      expect.objectContaining({ feature: 'search', cost_usd: '0.00944', calls: 2 }),
      expect.objectContaining({ feature: 'chat', cost_usd: '0.00472', calls: 1 }),
    ]);
    expect(report.sections[1].rows.map((row: { user: string }) => row.user)).toEqual(['alice', 'bob']);
  });
});
