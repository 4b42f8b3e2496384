import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from './gateway-reply.js';
import { readBody } from './read-body.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

type Read = { body?: string; error?: unknown; endedWhenRead?: boolean };

/** A server that reads each request's body with `readBody` and reports it; returns its port. */
async function reading(limit: number, reads: Read[]): Promise<number> {
  server = createServer((request: IncomingMessage, response) => {
    readBody(request, limit).then(
      (body) => {
        reads.push({ body: body.toString('utf8'), endedWhenRead: request.readableEnded });
        response.writeHead(200, { connection: 'close' });
        response.end('ok');
      },
      (error: unknown) => {
        reads.push({ error });
        response.writeHead(413, { connection: 'close' });
        response.end();
      },
    );
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

/** Sends raw HTTP/1.1 bytes in pieces (each written after a short pause); the answer, once the server closes. */
function rawRequest(port: number, pieces: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    const send = (index: number) => {
      if (index >= pieces.length) return;
      socket.write(pieces[index]!);
      setTimeout(() => send(index + 1), 15);
    };
    socket.on('connect', () => send(0));
  });
}

describe('readBody', () => {
  it('answers a body with a content-length as soon as it is all in, before the request has ended', async () => {
    const reads: Read[] = [];
    const port = await reading(1024, reads);
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hé' }] });
    const answer = await rawRequest(port, [
      `POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    ]);
    expect(answer).toMatch(/^HTTP\/1.1 200/);
    expect(reads).toEqual([{ body, endedWhenRead: false }]);
  });

  it('puts a body sent in several pieces together, with and without a content-length', async () => {
    const reads: Read[] = [];
    const port = await reading(1024, reads);
    await rawRequest(port, ['POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 11\r\n\r\nhello', ' wor', 'ld']);
    // Chunked: no size is declared, so the body is answered at its end.
    await rawRequest(port, [
      'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n',
      '6\r\n world\r\n',
      '0\r\n\r\n',
    ]);
    expect(reads).toEqual([
      { body: 'hello world', endedWhenRead: false },
      { body: 'hello world', endedWhenRead: true },
    ]);
  });

  it('refuses a body over the limit, declared or (chunked) as it arrives, with a 413 GatewayError', async () => {
    const reads: Read[] = [];
    const port = await reading(8, reads);
    await rawRequest(port, ['POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 9\r\n\r\n123456789']);
    await rawRequest(port, [
      'POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n5\r\n12345\r\n',
      '5\r\n67890\r\n',
      '0\r\n\r\n',
    ]);
    expect(reads).toHaveLength(2);
    for (const read of reads) {
      expect(read.error).toBeInstanceOf(GatewayError);
      expect((read.error as GatewayError).problem).toMatchObject({ status: 413, code: 'request_too_large' });
    }
  });
});
