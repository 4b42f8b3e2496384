import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type EventStreamOptions, type EventStreamWriter, startEventStream } from './event-stream.js';
import type { FakeError, FakeReply, FakeReplySource, RecordedRequest } from './fake-reply.js';

/** One request being answered: what came in, the route's captures, the reply scripted for it, and outputs. */
export type FakeExchange = {
  readonly request: RecordedRequest;
  /** The route pattern's capture groups. */
  readonly params: readonly string[];
  readonly reply: FakeReply;
  /** Answers with a JSON body (or, if the reply says to disconnect, destroys the connection unanswered). */
  json(body: unknown, headers?: Readonly<Record<string, string>>): void;
  /** Starts a streamed answer. */
  events(options?: EventStreamOptions): EventStreamWriter;
  /** Answers with an error in the provider's shape. */
  fail(error: FakeError): void;
};

/** An endpoint of a fake provider: method, path pattern (with captures), handler. */
export type FakeRoute = {
  readonly method: string;
  readonly path: RegExp;
  handle(exchange: FakeExchange): void | Promise<void>;
};

/** A provider's protocol, as far as the shared server needs it. */
export type FakeProtocol = {
  readonly routes: readonly FakeRoute[];
  /** The provider's error body and headers for an error (status comes from the error). */
  renderError(error: FakeError): {
    readonly body: unknown;
    readonly headers: Readonly<Record<string, string>>;
  };
  /** A request the provider refuses before any reply is used (missing key or header, bad body). */
  check?(request: RecordedRequest): FakeError | undefined;
};

/** Options shared by every fake provider. */
export type FakeServerOptions = {
  /** The reply to every request not answered from the queue (default `{}`: the default answer). */
  readonly reply?: FakeReplySource | undefined;
};

/** A running fake provider on 127.0.0.1. */
export type FakeServer = {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Queues replies: the next requests take them in order, before the default reply. */
  enqueue(...replies: FakeReplySource[]): void;
  /** Replaces the default reply. */
  setReply(reply: FakeReplySource): void;
  /** Forgets the recorded requests and the queued replies. */
  reset(): void;
  close(): Promise<void>;
};

async function readBody(incoming: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of incoming) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function record(incoming: IncomingMessage, rawBody: string): RecordedRequest {
  const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  let body: unknown;
  if (rawBody.trim() !== '') {
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
  }
  return {
    method: incoming.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    rawBody,
    receivedAt: Date.now(),
  };
}

/** Starts a fake provider speaking `protocol` on 127.0.0.1, port 0 (a free port). */
export async function startFakeServer(
  protocol: FakeProtocol,
  options: FakeServerOptions = {},
): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReplySource[] = [];
  let fallback: FakeReplySource = options.reply ?? {};

  const sendError = (
    response: ServerResponse,
    error: FakeError,
    extra?: Readonly<Record<string, string>>,
  ) => {
    const rendered = protocol.renderError(error);
    const body = error.body ?? rendered.body;
    response.writeHead(error.status, {
      'content-type': 'application/json',
      ...rendered.headers,
      ...extra,
      ...error.headers,
    });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  const serve = async (incoming: IncomingMessage, response: ServerResponse) => {
    const rawBody = await readBody(incoming);
    const request = record(incoming, rawBody);
    requests.push(request);
    if (rawBody.trim() !== '' && request.body === undefined) {
      return sendError(response, { status: 400, message: 'The request body is not valid JSON.' });
    }
    const route = protocol.routes
      .map((candidate) => ({ candidate, match: candidate.path.exec(request.path) }))
      .find(({ candidate, match }) => candidate.method === request.method && match !== null);
    if (route === undefined || route.match === null) {
      return sendError(response, {
        status: 404,
        message: `Unknown request URL: ${request.method} ${request.path}`,
      });
    }
    const refusal = protocol.check?.(request);
    if (refusal) return sendError(response, refusal);
    const source = queue.shift() ?? fallback;
    const reply = typeof source === 'function' ? await source(request) : source;
    const firstByteMs = reply.latency?.firstByteMs ?? 0;
    if (firstByteMs > 0) await sleep(firstByteMs);
    if (reply.error) return sendError(response, reply.error, reply.headers);
    await route.candidate.handle({
      request,
      params: route.match.slice(1),
      reply,
      json(body, headers) {
        if (reply.disconnectAfterChunks !== undefined) {
          response.socket?.destroy();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json', ...headers, ...reply.headers });
        response.end(JSON.stringify(body));
      },
      events: (streamOptions) => startEventStream(response, reply, streamOptions),
      fail: (error) => sendError(response, error, reply.headers),
    });
  };

  const server = createServer((incoming, response) => {
    serve(incoming, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendError(response, { status: 500, message: `fake server failure: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setReply: (reply) => {
      fallback = reply;
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
