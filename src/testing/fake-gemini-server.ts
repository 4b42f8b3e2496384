import type { Usage } from '../core/usage.js';
import {
  approximateTokens,
  type FakeError,
  type FakeReply,
  idSource,
  replyUsage,
  stringsIn,
  textPieces,
} from './fake-reply.js';
import {
  type FakeExchange,
  type FakeServer,
  type FakeServerOptions,
  startFakeServer,
} from './fake-server.js';
import { retryHeaders, wireUsage } from './reply-wire.js';

/** Options of the fake Gemini server. */
export type FakeGeminiServerOptions = FakeServerOptions & {
  /** When set, the key (`x-goog-api-key` header or `key` query parameter) must match it exactly. */
  readonly apiKey?: string | undefined;
};

/** A running fake Gemini server; `baseURL` is `<url>/v1beta`. */
export type FakeGeminiServer = FakeServer & { readonly baseURL: string };

/**
 * Gemini `usageMetadata` from frugal usage: the inverse of `usageFromGemini` (candidates exclude thoughts).
 * Zero counts are left out, as proto3 JSON does.
 */
export function geminiUsageWire(usage: Usage): Record<string, unknown> {
  const input = usage.input ?? 0;
  const output = usage.output ?? 0;
  const thoughts = usage.reasoning ?? 0;
  const fields: Record<string, number> = {
    promptTokenCount: input,
    candidatesTokenCount: output - thoughts,
    cachedContentTokenCount: usage.cachedInput ?? 0,
    thoughtsTokenCount: thoughts,
    totalTokenCount: input + output,
  };
  const metadata: Record<string, unknown> = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== 0),
  );
  if (input > 0) metadata['promptTokensDetails'] = [{ modality: 'TEXT', tokenCount: input }];
  return metadata;
}

const statuses: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function geminiErrorObject(error: FakeError): Record<string, unknown> {
  const seconds =
    error.retryAfterSeconds ?? (error.retryAfterMs === undefined ? undefined : error.retryAfterMs / 1000);
  return {
    error: {
      code: error.status,
      message:
        error.message ??
        (error.status === 429 ? 'Resource has been exhausted (e.g. check quota).' : 'Internal error.'),
      status: error.type ?? statuses[error.status] ?? 'UNKNOWN',
      ...(seconds === undefined
        ? {}
        : { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${seconds}s` }] }),
    },
  };
}

type GenerateBody = { contents?: unknown; systemInstruction?: unknown };

/** One candidate holding `parts`, finished or not. */
function candidate(parts: unknown[], finishReason?: string) {
  return { content: { parts, role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 };
}

/**
 * Answers generateContent with one response, and streamGenerateContent with one response per text piece (SSE
 * `data:` events under `alt=sse`, else the elements of one JSON array). Every chunk carries `usageMetadata`;
 * the last one has the finish reason and the full counts.
 */
async function answerGenerate(exchange: FakeExchange, id: (prefix: string) => string) {
  const { reply, request } = exchange;
  const body = request.body as GenerateBody;
  const [model, method] = exchange.params;
  const usage = wireUsage(reply, replyUsage(reply, [body.systemInstruction, body.contents]), geminiUsageWire);
  const finishReason = reply.finishReason ?? 'STOP';
  const calls = (reply.toolCalls ?? []).map((call) => ({
    functionCall: { name: call.name, args: call.arguments },
  }));
  const envelope = { modelVersion: reply.model ?? model, responseId: id('') };
  const headers = { 'x-goog-request-id': id('') };
  const pieces = textPieces(reply);
  if (method === 'generateContent') {
    const text = pieces.join('');
    const parts = [...(text !== '' || calls.length === 0 ? [{ text }] : []), ...calls];
    return exchange.json(
      {
        candidates: [candidate(parts, finishReason)],
        ...(usage ? { usageMetadata: usage } : {}),
        ...envelope,
      },
      headers,
    );
  }
  const promptOnly =
    usage === undefined
      ? undefined
      : { promptTokenCount: usage['promptTokenCount'], totalTokenCount: usage['promptTokenCount'] };
  const partials: unknown[][] = pieces.map((text) => [{ text }]);
  if (calls.length > 0) partials.push(calls);
  if (partials.length === 0) partials.push([{ text: '' }]);
  const writer = exchange.events({
    framing: request.query['alt'] === 'sse' ? 'sse' : 'json-array',
    headers,
    errorEvent: (scripted: FakeReply) => ({ data: geminiErrorObject(scripted.streamError!.error) }),
  });
  for (const [index, parts] of partials.entries()) {
    const last = index === partials.length - 1;
    const metadata = last ? usage : promptOnly;
    const chunk = {
      candidates: [candidate(parts, last ? finishReason : undefined)],
      ...(metadata ? { usageMetadata: metadata } : {}),
      ...envelope,
    };
    if (!(await writer.send({ data: chunk }))) return;
  }
  writer.end();
}

/**
 * Starts a fake Gemini API on 127.0.0.1: `POST /v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent` (`?alt=sse` for SSE) and `:countTokens`. The key comes in `x-goog-api-key` or
 * `?key=`; errors are Google's `{ error: { code, message, status } }` (429 with a `RetryInfo` delay).
 */
export async function startFakeGeminiServer(
  options: FakeGeminiServerOptions = {},
): Promise<FakeGeminiServer> {
  const id = idSource();
  const server = await startFakeServer(
    {
      routes: [
        {
          method: 'POST',
          path: /^\/v1(?:beta)?\/models\/([^:]+):(generateContent|streamGenerateContent)$/,
          handle: (exchange) => answerGenerate(exchange, id),
        },
        {
          method: 'POST',
          path: /^\/v1(?:beta)?\/models\/([^:]+):countTokens$/,
          handle(exchange) {
            const body = exchange.request.body as GenerateBody;
            const input =
              exchange.reply.usage?.input ??
              approximateTokens(stringsIn([body?.systemInstruction, body?.contents]));
            exchange.json({ totalTokens: input });
          },
        },
      ],
      renderError: (error) => ({ body: geminiErrorObject(error), headers: retryHeaders(error) }),
      check(request) {
        const key = request.headers['x-goog-api-key'] ?? request.query['key'];
        if (key === undefined) {
          return {
            status: 403,
            message: "Method doesn't allow unregistered callers. Please use an API key.",
          };
        }
        if (options.apiKey !== undefined && key !== options.apiKey) {
          return { status: 400, message: 'API key not valid. Please pass a valid API key.' };
        }
        if (!Array.isArray((request.body as GenerateBody | undefined)?.contents)) {
          return { status: 400, message: 'contents is required' };
        }
        return undefined;
      },
    },
    options,
  );
  return { ...server, baseURL: `${server.url}/v1beta` };
}
