import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation, createUpstreamClient } from './upstream-client.js';

let server: Server;
let origin: string;
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
      expect(failure?.message).toContain('slow down');
      expect(failure?.message).not.toContain('sk-upstream-secret');
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
