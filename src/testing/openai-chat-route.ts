import type { FakeReply } from './fake-reply.js';
import { replyUsage, splitText, textPieces } from './fake-reply.js';
import type { FakeExchange, FakeRoute } from './fake-server.js';
import { openAIChatUsageWire, openAIErrorObject } from './openai-wire.js';
import { wireUsage } from './reply-wire.js';

type ChatBody = {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
};

function toolCalls(reply: FakeReply, id: (prefix: string) => string) {
  return (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? id('call_'),
    type: 'function' as const,
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
}

/** The non-streaming `chat.completion` object. */
function completion(exchange: FakeExchange, base: Record<string, unknown>, id: (prefix: string) => string) {
  const { reply } = exchange;
  const text = textPieces(reply).join('');
  const calls = toolCalls(reply, id);
  const usage = wireUsage(
    reply,
    replyUsage(reply, (exchange.request.body as ChatBody).messages),
    openAIChatUsageWire,
  );
  return {
    ...base,
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && calls.length > 0 ? null : text,
          refusal: null,
          annotations: [],
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        logprobs: null,
        finish_reason: reply.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop'),
      },
    ],
    ...(usage === undefined ? {} : { usage }),
  };
}

/**
 * The `chat.completion.chunk` stream: a role chunk, one chunk per text piece, tool-call chunks (name, then
 * arguments in pieces), a finish chunk; then, only when the request set `stream_options.include_usage`, a
 * usage chunk with empty `choices` (and `usage: null` on every other chunk), and `data: [DONE]`.
 */
async function streamCompletion(
  exchange: FakeExchange,
  base: Record<string, unknown>,
  id: (prefix: string) => string,
) {
  const { reply } = exchange;
  const body = exchange.request.body as ChatBody;
  const includeUsage = body.stream_options?.include_usage === true;
  const chunkBase = { ...base, object: 'chat.completion.chunk', ...(includeUsage ? { usage: null } : {}) };
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...chunkBase,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const writer = exchange.events({
    headers: { 'x-request-id': id('req_') },
    errorEvent: (scripted) => ({ data: { error: openAIErrorObject(scripted.streamError!.error) } }),
  });
  const calls = toolCalls(reply, id);
  const chunks: unknown[] = [choice({ role: 'assistant', content: '', refusal: null })];
  for (const piece of textPieces(reply)) chunks.push(choice({ content: piece }));
  calls.forEach((call, index) => {
    chunks.push(
      choice({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
        ],
      }),
    );
    for (const part of splitText(call.function.arguments)) {
      chunks.push(choice({ tool_calls: [{ index, function: { arguments: part } }] }));
    }
  });
  chunks.push(choice({}, reply.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop')));
  const usage = wireUsage(reply, replyUsage(reply, body.messages), openAIChatUsageWire);
  if (includeUsage && usage !== undefined) chunks.push({ ...chunkBase, choices: [], usage });
  for (const chunk of chunks) {
    if (!(await writer.send({ data: chunk }))) return;
  }
  if (await writer.sendData('[DONE]')) writer.end();
}

/**
 * `POST /v1/chat/completions`, streaming and not; also Azure OpenAI's
 * `POST /openai/deployments/{deployment}/chat/completions?api-version=...` (the deployment names the model when
 * the body does not; a missing `api-version` is a 404, as on Azure).
 */
export function openAIChatRoute(id: (prefix: string) => string): FakeRoute {
  return {
    method: 'POST',
    path: /^\/(?:v1\/chat\/completions|openai\/deployments\/([^/]+)\/chat\/completions)$/,
    async handle(exchange) {
      const deployment = exchange.params[0];
      if (deployment !== undefined && exchange.request.query['api-version'] === undefined) {
        return exchange.fail({ status: 404, message: 'Resource not found', code: '404' });
      }
      const body = { ...(exchange.request.body as ChatBody) };
      body.model ??= deployment === undefined ? undefined : decodeURIComponent(deployment);
      if (typeof body.model !== 'string') {
        return exchange.fail({ status: 400, message: 'you must provide a model parameter' });
      }
      if (!Array.isArray(body.messages)) {
        return exchange.fail({ status: 400, message: "Missing required parameter: 'messages'." });
      }
      const base = {
        id: id('chatcmpl-'),
        created: Math.floor(Date.now() / 1000),
        model: exchange.reply.model ?? body.model,
        service_tier: 'default',
        system_fingerprint: 'fp_fake',
      };
      if (body.stream === true) return streamCompletion(exchange, base, id);
      exchange.json(completion(exchange, base, id), { 'x-request-id': id('req_') });
    },
  };
}
