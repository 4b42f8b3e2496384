import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation, createUpstreamClient } from './upstream-client.js';

let server: Server;
let origin: string;
/** Bytes of `/v1/big` the server has handed to its socket and seen flushed, and whether its client went away. */
const big = { total: 32 * 1024 * 1024, flushed: 0, closedEarly: false };
const seen: {
  method?: string | undefined;
  url?: string | undefined;
  authorization?: string | undefined;
  body: string;
}[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.authorization,
        body,
      });
      if (request.url === '/v1/big') {
        // 32 MiB of a known pattern, written as fast as the socket takes it.
        big.flushed = 0;
        big.closedEarly = false;
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.on('close', () => {
          if (!response.writableFinished) big.closedEarly = true;
        });
        const piece = Buffer.alloc(64 * 1024, 'abcdefgh');
        const pump = () => {
          while (big.flushed < big.total && !response.destroyed) {
            big.flushed += piece.length;
            if (big.flushed >= big.total) response.end(piece);
            else if (!response.write(piece)) {
              response.once('drain', pump);
              return;
            }
          }
        };
        pump();
        return;
      }
      if (request.url === '/v1/slow') {
        setTimeout(() => {
          if (response.destroyed) return;
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{}');
        }, 1_000);
        return;
      }
      if (request.url === '/v1/fail') {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        response.end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
      response.end(JSON.stringify({ echoed: body.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const target = (path: string) => ({
  provider: 'openai',
  origin,
  path,
  headers: { 'content-type': 'application/json', authorization: 'Bearer sk-upstream-secret' },
  secrets: ['sk-upstream-secret'],
});

describe('upstream client', () => {
  it('POSTs the body through its pool and hands back a 2xx answer with its body unread', async () => {
    const client = createUpstreamClient();
    try {
      const answer = await client.post(
        target('/v1/chat/completions'),
        '{"model":"m"}',
        5_000,
        new Cancellation(),
      );
      expect(answer.status).toBe(200);
      expect(answer.requestId).toBe('req-1');
      expect(JSON.parse(await answer.body.text())).toEqual({ echoed: 13 });
      expect(seen.at(-1)).toMatchObject({
        method: 'POST',
        url: '/v1/chat/completions',
        authorization: 'Bearer sk-upstream-secret',
        body: '{"model":"m"}',
      });
    } finally {
      await client.close();
    }
  });

  it('turns another status into a ProviderError with the key redacted', async () => {
    const client = createUpstreamClient();
    try {
      const failure = await client
        .post(target('/v1/fail'), Buffer.from('{}'), 5_000, new Cancellation())
        .then(
          () => undefined,
          (error: unknown) => error as Error & { status?: number; retryable?: boolean },
        );
      expect(failure?.name).toBe('ProviderError');
      expect(failure?.status).toBe(429);
      // The answer's headers reach the error: its retry-after, in ms.
      expect((failure as { details?: { retryAfterMs?: number } }).details?.retryAfterMs).toBe(1_000);
      expect(failure?.message).toContain('slow down');
      expect(failure?.message).not.toContain('sk-upstream-secret');
    } finally {
      await client.close();
    }
  });

  it('reads a big answer in order, holding off the upstream while the reader lags (backpressure)', async () => {
    const client = createUpstreamClient();
    try {
      const answer = await client.post(target('/v1/big'), '{}', 5_000, new Cancellation());
      expect(answer.contentType).toBe('application/octet-stream');
      const chunks = answer.body[Symbol.asyncIterator]();
      const first = await chunks.next();
      expect(first.done).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Without backpressure the whole answer would be in this process's memory by now, and the server done.
      expect(big.flushed).toBeLessThan(big.total);
      let bytes = first.value!.length;
      let wrong = 0;
      const check = (chunk: Uint8Array, offset: number) => {
        for (let index = 0; index < chunk.length; index += 4093) {
          if (chunk[index] !== 'abcdefgh'.charCodeAt((offset + index) % 8)) wrong++;
        }
      };
      check(first.value!, 0);
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        check(next.value, bytes);
        bytes += next.value.length;
      }
      expect(bytes).toBe(big.total);
      expect(wrong).toBe(0);
      expect(big.closedEarly).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('aborts the upstream call when cancelled mid-body: the reader gets the reason, the upstream a closed socket', async () => {
    const client = createUpstreamClient();
    try {
      const cancel = new Cancellation();
      const answer = await client.post(target('/v1/big'), '{}', 5_000, cancel);
      const reason = new Error('the client left');
      let bytes = 0;
      const read = (async () => {
        for await (const chunk of answer.body) {
          bytes += chunk.length;
          if (bytes > 1024 * 1024) cancel.abort(reason);
        }
      })();
      await expect(read).rejects.toBe(reason);
      expect(bytes).toBeLessThan(big.total);
      await expect.poll(() => big.closedEarly).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('ends a reader cancelled with no reason at all, instead of leaving it waiting', async () => {
    const client = createUpstreamClient();
    try {
      const cancel = new Cancellation();
      const answer = await client.post(target('/v1/big'), '{}', 5_000, cancel);
      const chunks = answer.body[Symbol.asyncIterator]();
      await chunks.next();
      cancel.abort(undefined);
      const outcome = await (async () => {
        for (;;) if ((await chunks.next()).done) return 'ended';
      })().then(
        (value) => value,
        (error: unknown) => ({ rejectedWith: error }),
      );
      expect(outcome).toEqual({ rejectedWith: undefined });
    } finally {
      await client.close();
    }
  });

  it('times out to the millisecond before the headers, and refuses to read a body twice', async () => {
    const client = createUpstreamClient();
    try {
      const started = Date.now();
      const failure = await client.post(target('/v1/slow'), '{}', 150, new Cancellation()).then(
        () => undefined,
        (error: unknown) => error as Error & { details?: { code?: string } },
      );
      expect(failure?.name).toBe('ProviderError');
      expect(failure?.details?.code).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(900);
      const answer = await client.post(target('/v1/chat/completions'), '{}', 5_000, new Cancellation());
      expect(JSON.parse(await answer.body.text())).toEqual({ echoed: 2 });
      await expect(answer.body.text()).rejects.toThrow(/read once/);
    } finally {
      await client.close();
    }
  });

  it('leaves Node’s own fetch working: a request with an explicit content-length still goes out', async () => {
    // npm undici's entry point would install its Agent as the global dispatcher, after which Node 20's fetch
    // refuses an explicit content-length ("invalid content-length header").
    const body = '{"ping":true}';
    const response = await fetch(`${origin}/v1/ping`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ echoed: body.length });
  });
});
