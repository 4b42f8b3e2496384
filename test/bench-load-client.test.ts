import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// bench:gateway's load generator reads answers with its own minimal HTTP/1.1 client: a framing bug there would
// skew every figure, so it is checked here against a server that answers in random pieces of 1 to 7 bytes.
type Answer = { status: number; body: Buffer };
type Client = {
  request(path: string, headers: Record<string, string>, body: string): Promise<Answer>;
  close(): void;
};
const clientModule = pathToFileURL(
  join(import.meta.dirname, '..', 'bench', 'gateway', 'http1-client.mjs'),
).href;

const events = ['data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n', 'data: [DONE]\n\n'];
const json = '{"usage":{"prompt_tokens":12,"completion_tokens":3}}';
const answers: [status: number, body: string, raw: string][] = [
  [
    200,
    events.join(''),
    'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n' +
      `${events.map((event) => `${Buffer.byteLength(event).toString(16)}\r\n${event}\r\n`).join('')}0\r\n\r\n`,
  ],
  [200, json, `HTTP/1.1 200 OK\r\ncontent-length: ${json.length}\r\n\r\n${json}`],
  [429, '{}', 'HTTP/1.1 429 Too Many Requests\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}'],
];

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

describe("bench:gateway's load client", () => {
  it('reads chunked, sized and connection-closing answers however the bytes are split', async () => {
    let served = 0;
    server = createServer((socket) => {
      socket.on('error', () => {});
      socket.on('data', async () => {
        const [, , raw] = answers[served++ % answers.length]!;
        for (let at = 0; at < raw.length; ) {
          const size = 1 + Math.floor(Math.random() * 7);
          socket.write(raw.slice(at, at + size));
          at += size;
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (raw.includes('connection: close')) socket.end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    const { createClient } = (await import(clientModule)) as {
      createClient(origin: string, options: { connections: number }): Client;
    };
    const client = createClient(`http://127.0.0.1:${address.port}`, { connections: 1 });
    try {
      for (let round = 0; round < 30; round++) {
        const [status, body] = answers[round % answers.length]!;
        const answer = await client.request(
          '/v1/chat/completions',
          { 'content-type': 'application/json' },
          '{}',
        );
        expect([answer.status, answer.body.toString()]).toEqual([status, body]);
      }
    } finally {
      client.close();
    }
  });
});
