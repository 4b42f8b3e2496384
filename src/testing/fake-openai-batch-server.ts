import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeBatchRouteOptions, type FakeFile, openAIBatchRoutes } from './fake-openai-batch-route.js';
import { type FakeError, idSource, type RecordedRequest } from './fake-reply.js';

/** Switches of the fake Batch API. By default every line is answered and a batch completes in three polls. */
export type FakeOpenAIBatchServerOptions = FakeBatchRouteOptions & {
  /** When set, `Authorization: Bearer <apiKey>` must match it; otherwise any bearer token passes. */
  readonly apiKey?: string | undefined;
  /** Port on 127.0.0.1 (default 0: a free one). */
  readonly port?: number | undefined;
};

/** A running fake Batch API. `baseURL` (`<url>/v1`) is what the `openai` SDK and frugal's batch client take. */
export type FakeOpenAIBatchServer = {
  readonly url: string;
  readonly baseURL: string;
  /** Every request received, in order (an upload's `rawBody` is its multipart text). */
  readonly requests: readonly RecordedRequest[];
  /** Uploaded and produced files by id. */
  readonly files: ReadonlyMap<string, FakeFile>;
  /** The next requests, whatever they are, are answered with these errors, in order. */
  failNext(...errors: FakeError[]): void;
  close(): Promise<void>;
};

const running = new Set<FakeOpenAIBatchServer>();

/** Closes every fake Batch API started in this process and not closed yet: a test file's `afterEach`. */
export async function closeFakeOpenAIBatchServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.close()));
}

async function record(incoming: IncomingMessage): Promise<{ request: RecordedRequest; raw: Buffer }> {
  const parts: Buffer[] = [];
  for await (const part of incoming) parts.push(part as Buffer);
  const raw = Buffer.concat(parts);
  const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
  const rawBody = raw.toString('utf8');
  let body: unknown;
  if (incoming.headers['content-type']?.startsWith('application/json')) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers))
    if (value !== undefined) headers[name] = String(value);
  const query = Object.fromEntries(url.searchParams);
  const request = { method: incoming.method ?? 'GET', path: url.pathname, query, headers, body, rawBody };
  return { request: { ...request, receivedAt: Date.now() }, raw };
}

/**
 * Starts a fake OpenAI Batch API on 127.0.0.1 (see `openAIBatchRoutes` and `fakeBatchJobs`): upload a JSONL
 * file, create a batch, poll it through validating → in_progress → finalizing → completed, download its output
 * and error files; with switches for failed lines, expiry, slow progress and a corrupt output line. Every
 * request needs a bearer token; errors come in OpenAI's `{ error: { message, type, param, code } }` body. It is
 * a server of its own, not a route of the fake OpenAI server, because uploads are multipart, not JSON.
 */
export async function startFakeOpenAIBatchServer(
  options: FakeOpenAIBatchServerOptions = {},
): Promise<FakeOpenAIBatchServer> {
  const id = idSource();
  const routes = openAIBatchRoutes(options, id);
  const requests: RecordedRequest[] = [];
  const failures: FakeError[] = [];

  const answer = async (request: RecordedRequest, raw: Buffer) => {
    const token = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
    if (token === undefined || (options.apiKey !== undefined && token !== options.apiKey)) {
      return routes.error({ status: 401, message: 'Incorrect API key provided.', code: 'invalid_api_key' });
    }
    const scripted = failures.shift();
    return scripted ? routes.error(scripted) : routes.handle(request, raw);
  };

  const server = createServer(async (incoming, response) => {
    const { request, raw } = await record(incoming);
    requests.push(request);
    const reply = await Promise.resolve(answer(request, raw)).catch((failure: unknown) =>
      routes.error({ status: 500, message: `fake server failure: ${String(failure)}` }),
    );
    const type = reply.text === undefined ? 'application/json' : 'application/octet-stream';
    response.writeHead(reply.status, { 'content-type': type, 'x-request-id': id('req_'), ...reply.headers });
    response.end(reply.text ?? JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeOpenAIBatchServer = {
    url,
    baseURL: `${url}/v1`,
    requests,
    files: routes.files,
    failNext: (...errors) => {
      failures.push(...errors);
    },
    close: () => {
      running.delete(fake);
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((failure) => (failure ? reject(failure) : resolve()));
      });
    },
  };
  running.add(fake);
  return fake;
}
