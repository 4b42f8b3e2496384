import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spanToJsonLine } from '../../core/spans/span-json.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { createTracer } from '../../tracing/create-tracer.js';
import { openSpanWriter, type SpanWriter } from '../../tracing/span-writer.js';
import { ClientReply } from './client-reply.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** One request to a server whose handler writes through a ClientReply; returns what the client got. */
async function replyWith(handle: (reply: ClientReply) => Promise<void>, writer?: SpanWriter) {
  server = createServer((_request, response) => {
    const reply = new ClientReply(response, 'req-1', writer?.journal);
    handle(reply).catch((error: Error) => {
      // What the gateway does when a reply has not started: a proper error, not a half-sent answer.
      if (reply.started) reply.end();
      else {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: error.message } }));
      }
    });
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('ClientReply', () => {
  it("adds earlier calls' costs to a JSON reply's x-frugal-cost-usd", async () => {
    const got = await replyWith(async (reply) => {
      reply.addEarlierCost('0.000025');
      reply.addEarlierCost('0.0001');
      reply.json(200, '{}', { 'x-frugal-cost-usd': '0.0045' });
    });
    expect(got.headers.get('x-frugal-cost-usd')).toBe('0.004625');
    expect(got.headers.get('x-frugal-request-id')).toBe('req-1');
  });

  it('reports no total when an earlier call had no price (never a partial sum shown as the cost)', async () => {
    const got = await replyWith(async (reply) => {
      reply.addEarlierCost(undefined);
      reply.json(200, '{}', { 'x-frugal-cost-usd': '0.0045' });
    });
    expect(got.headers.get('x-frugal-cost-usd')).toBeNull();
    expect(got.headers.get('x-frugal-cost-status')).toMatch(/^unpriced: an earlier call/);
  });

  it("adds them to a stream's cost comment too, leaving other comment fields and data alone", async () => {
    const got = await replyWith(async (reply) => {
      reply.addEarlierCost('0.001');
      reply.startStream();
      await reply.write('data: {"x":1}\n\n');
      await reply.write(': x-frugal-cost-usd=0.002 x-frugal-simulated=true\n\n');
      reply.end('data: [DONE]\n\n');
    });
    expect(got.text).toBe(
      'data: {"x":1}\n\n: x-frugal-cost-usd=0.003 x-frugal-simulated=true\n\ndata: [DONE]\n\n',
    );
  });

  it("ends a stream with its cost comment, earlier calls' cost added, and its last event", async () => {
    const got = await replyWith(async (reply) => {
      reply.addEarlierCost('0.001');
      reply.startStream();
      await reply.write('data: {"x":1}\n\n');
      reply.endStream(': x-frugal-cost-usd=0.002 x-frugal-simulated=true\n\n', 'data: [DONE]\n\n');
    });
    expect(got.text).toBe(
      'data: {"x":1}\n\n: x-frugal-cost-usd=0.003 x-frugal-simulated=true\n\ndata: [DONE]\n\n',
    );
    const plain = await replyWith(async (reply) => {
      reply.startStream();
      reply.endStream('', 'data: {"x":2}\n\n');
    });
    expect(plain.text).toBe('data: {"x":2}\n\n');
  });

  it('a header node refuses leaves the reply unstarted, so the caller can still answer with an error', async () => {
    let started: boolean | undefined;
    const got = await replyWith(async (reply) => {
      try {
        reply.json(200, '{}', { 'x-frugal-note': 'score ≥ threshold' });
      } finally {
        started = reply.started;
      }
    });
    expect(started).toBe(false);
    expect(got.status).toBe(500);
    expect(got.text).toMatch(/Invalid character in header content/);
  });

  describe('with journal writes grouped per event-loop turn (the gateway)', () => {
    async function groupedWriter() {
      const root = mkdtempSync(join(tmpdir(), 'frugal-reply-'));
      const store = await openSqliteStore({ path: join(root, 'spans.db') });
      const journal = join(root, 'journal');
      const writer = await openSpanWriter({
        store,
        journalDirectory: journal,
        groupJournalWrites: true,
        flushIntervalMs: 60_000,
        flushOnExit: false,
      });
      const journaled = () =>
        readdirSync(journal)
          .map((name) => readFileSync(join(journal, name), 'utf8'))
          .join('');
      const close = async () => {
        await writer.close();
        await store.close();
      };
      return { writer, journaled, close };
    }
    const callSpan = (writer: SpanWriter) =>
      createTracer({ sink: writer })
        .startLlmSpan({ operation: 'chat', provider: 'openai', requestModel: 'gpt-4o' })
        .end({ usage: { input: 100, output: 5 } });

    it('holds a JSON reply until the span it reports is in the journal', async () => {
      const { writer, journaled, close } = await groupedWriter();
      try {
        let line = '';
        const held: boolean[] = [];
        const got = await replyWith(async (reply) => {
          line = spanToJsonLine(callSpan(writer));
          reply.json(200, '{"ok":true}', { 'x-frugal-cost-usd': '0.0003' });
          held.push(!reply.response.headersSent, !journaled().includes(line));
          await new Promise<void>((resolve) => writer.journal.whenJournaled(resolve));
          held.push(journaled().includes(line));
        }, writer);
        expect(held).toEqual([true, true, true]);
        expect(got.text).toBe('{"ok":true}');
        expect(got.headers.get('x-frugal-cost-usd')).toBe('0.0003');
      } finally {
        await close();
      }
    });

    it("holds a stream's cost comment and end, not what came before the span ended", async () => {
      const { writer, journaled, close } = await groupedWriter();
      try {
        const seen: string[] = [];
        const got = await replyWith(async (reply) => {
          reply.startStream();
          await reply.write('data: {"x":1}\n\n');
          const line = spanToJsonLine(callSpan(writer));
          seen.push(journaled().includes(line) ? 'journaled' : 'held');
          await reply.write(': x-frugal-cost-usd=0.0003\n\n');
          seen.push(journaled().includes(line) ? 'journaled' : 'held');
          reply.end('data: [DONE]\n\n');
        }, writer);
        expect(seen).toEqual(['held', 'journaled']);
        expect(got.text).toBe('data: {"x":1}\n\n: x-frugal-cost-usd=0.0003\n\ndata: [DONE]\n\n');
      } finally {
        await close();
      }
    });

    it("holds a stream's last write (endStream) until the span it reports is in the journal", async () => {
      const { writer, journaled, close } = await groupedWriter();
      try {
        let line = '';
        const held: boolean[] = [];
        const got = await replyWith(async (reply) => {
          reply.startStream();
          await reply.write('data: {"x":1}\n\n');
          line = spanToJsonLine(callSpan(writer));
          reply.endStream(': x-frugal-cost-usd=0.0003\n\n', 'data: [DONE]\n\n');
          held.push(!reply.response.writableEnded, !journaled().includes(line));
          await new Promise<void>((resolve) => writer.journal.whenJournaled(resolve));
          held.push(reply.response.writableEnded, journaled().includes(line));
        }, writer);
        expect(held).toEqual([true, true, true, true]);
        expect(got.text).toBe('data: {"x":1}\n\n: x-frugal-cost-usd=0.0003\n\ndata: [DONE]\n\n');
      } finally {
        await close();
      }
    });
  });
});
