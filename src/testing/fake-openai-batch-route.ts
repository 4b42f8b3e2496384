import { type FakeBatchAnswer, type FakeBatchSwitches, fakeBatchJobs } from './fake-openai-batch-jobs.js';
import type { FakeError, FakeReplySource, RecordedRequest } from './fake-reply.js';
import { openAIChatRoute } from './openai-chat-route.js';
import { renderOpenAIError } from './openai-wire.js';

/** A file the fake Batch API holds: uploaded (purpose `batch`) or produced (`batch_output`). */
export type FakeFile = {
  readonly filename: string;
  readonly purpose: string;
  readonly content: string;
  readonly createdAt: number;
};

/** What the Batch API routes answer with, besides the switches of how batches progress. */
export type FakeBatchRouteOptions = FakeBatchSwitches & {
  /** How each request line (and each direct chat completion) is answered, as by the fake chat route. */
  readonly reply?: FakeReplySource | undefined;
};

type Route = {
  readonly method: string;
  readonly path: RegExp;
  handle(request: RecordedRequest, raw: Buffer, param: string): FakeBatchAnswer | Promise<FakeBatchAnswer>;
};

const error = (failure: FakeError): FakeBatchAnswer => ({
  status: failure.status,
  ...renderOpenAIError(failure),
});
const notFound = (what: string) => error({ status: 404, message: `No such ${what}`, code: 'not_found' });
const badRequest = (message: string) => error({ status: 400, message });

/**
 * The OpenAI Files and Batches routes (`POST /v1/files` multipart, `GET /v1/files/{id}[/content]`,
 * `POST /v1/batches`, `GET /v1/batches/{id}`, `POST /v1/batches/{id}/cancel`) and unstreamed
 * `POST /v1/chat/completions`. Request lines are answered by the fake chat route itself, so a batch answers
 * exactly what the same calls made one by one would.
 */
export function openAIBatchRoutes(options: FakeBatchRouteOptions, id: (prefix: string) => string) {
  const chatRoute = openAIChatRoute(id);
  const files = new Map<string, FakeFile>();
  const addFile = (filename: string, purpose: string, content: string) => {
    const fileId = id('file-');
    files.set(fileId, { filename, purpose, content, createdAt: Math.floor(Date.now() / 1000) });
    return fileId;
  };
  const fileObject = (fileId: string) => {
    const { filename, purpose, content, createdAt } = files.get(fileId)!;
    const bytes = Buffer.byteLength(content);
    return {
      id: fileId,
      object: 'file',
      bytes,
      created_at: createdAt,
      filename,
      purpose,
      status: 'processed',
    };
  };

  const answerChat = async (body: unknown): Promise<FakeBatchAnswer> => {
    const request: RecordedRequest = {
      ...{ method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body },
      ...{ rawBody: JSON.stringify(body), receivedAt: Date.now() },
    };
    const source = options.reply ?? {};
    const reply = typeof source === 'function' ? await source(request) : source;
    if (reply.error) return error(reply.error);
    let answer = error({ status: 500, message: 'the fake chat route did not answer' });
    await chatRoute.handle({
      request,
      params: [],
      reply,
      json: (completion) => {
        answer = { status: 200, body: completion };
      },
      fail: (failure) => {
        answer = error(failure);
      },
      events: () => {
        throw new Error('the fake Batch API answers unstreamed requests only');
      },
    });
    return answer;
  };

  const jobs = fakeBatchJobs(options, {
    id,
    answerLine: answerChat,
    error,
    addFile: (filename, content) => addFile(filename, 'batch_output', content),
    fileContent: (fileId) => files.get(fileId)!.content,
  });

  const routes: Route[] = [
    {
      method: 'POST',
      path: /^\/v1\/files$/,
      async handle(request, raw) {
        const type = request.headers['content-type'] ?? '';
        if (!type.startsWith('multipart/form-data'))
          return badRequest('Uploads must be multipart/form-data.');
        const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
        const file = form.get('file');
        const purpose = form.get('purpose');
        if (file === null || typeof file === 'string')
          return badRequest("Missing required parameter: 'file'.");
        if (typeof purpose !== 'string') return badRequest("Missing required parameter: 'purpose'.");
        return { status: 200, body: fileObject(addFile(file.name, purpose, await file.text())) };
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/files\/([^/]+)$/,
      handle: (_request, _raw, fileId) =>
        files.has(fileId) ? { status: 200, body: fileObject(fileId) } : notFound(`file: ${fileId}`),
    },
    {
      method: 'GET',
      path: /^\/v1\/files\/([^/]+)\/content$/,
      handle(_request, _raw, fileId) {
        const file = files.get(fileId);
        return file ? { status: 200, body: undefined, text: file.content } : notFound(`file: ${fileId}`);
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/batches$/,
      handle(request) {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const fileId = String(body['input_file_id']);
        const input = files.get(fileId);
        if (input === undefined) return notFound(`file: ${fileId}`);
        if (input.purpose !== 'batch') return badRequest("The input file must have purpose 'batch'.");
        if (body['endpoint'] !== '/v1/chat/completions') {
          return badRequest('This fake runs /v1/chat/completions batches only.');
        }
        if (body['completion_window'] !== '24h') return badRequest("completion_window must be '24h'.");
        const { endpoint, metadata = null } = body;
        return jobs.create({ endpoint, input_file_id: fileId, completion_window: '24h', metadata });
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/batches\/([^/]+)$/,
      handle: (_request, _raw, batchId) => jobs.retrieve(batchId),
    },
    {
      method: 'POST',
      path: /^\/v1\/batches\/([^/]+)\/cancel$/,
      handle: (_request, _raw, batchId) => jobs.cancel(batchId),
    },
    {
      method: 'POST',
      path: /^\/v1\/chat\/completions$/,
      handle: (request) =>
        (request.body as { stream?: unknown } | undefined)?.stream === true
          ? badRequest('This fake answers unstreamed chat completions only.')
          : answerChat(request.body),
    },
  ];

  return {
    files: files as ReadonlyMap<string, FakeFile>,
    error,
    /** The route's answer, or a 404 for an unknown method and path. */
    handle(request: RecordedRequest, raw: Buffer): FakeBatchAnswer | Promise<FakeBatchAnswer> {
      for (const route of routes) {
        const match = route.method === request.method ? route.path.exec(request.path) : null;
        if (match) return route.handle(request, raw, decodeURIComponent(match[1] ?? ''));
      }
      return notFound(`URL: ${request.method} ${request.path}`);
    },
  };
}
