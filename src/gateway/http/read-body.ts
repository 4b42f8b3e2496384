import type { IncomingMessage } from 'node:http';
import { gatewayError } from './gateway-reply.js';

/**
 * Reads a request body of at most `limit` bytes. A declared or actual size over the limit is a 413 (the rest
 * of the body is not read into memory); an aborted upload rejects. A body with a `content-length` is answered as
 * soon as that many bytes are in (the parser delivers no more): its `end` event comes a tick later, which took
 * ~6 µs off each request's path at one request at a time (timestamps inside the gateway, 2026-11-23).
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    let done = false;
    const finish = () => {
      if (failed || done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
      if (size === declared) finish();
    });
    request.on('end', finish);
    request.on('error', (error) => {
      if (!failed && !done) reject(error);
      failed = true;
    });
  });
}

const tooLarge = (limit: number) =>
  gatewayError(
    413,
    'request_too_large',
    `The request body is larger than this gateway accepts (${limit} bytes; gateway.max_body_bytes)`,
  );
