import { anthropicErrorObject, anthropicUsageWire, renderAnthropicError } from './anthropic-wire.js';
import {
  approximateTokens,
  type FakeReply,
  idSource,
  replyUsage,
  splitText,
  stringsIn,
  textPieces,
} from './fake-reply.js';
import {
  type FakeExchange,
  type FakeServer,
  type FakeServerOptions,
  startFakeServer,
} from './fake-server.js';
import { wireUsage } from './reply-wire.js';

/** Options of the fake Anthropic server. */
export type FakeAnthropicServerOptions = FakeServerOptions & {
  /** When set, `x-api-key` must match it exactly; otherwise any key passes. */
  readonly apiKey?: string | undefined;
  /**
   * What `message_delta.usage` carries: `cumulative` (today's API: input, cache and output totals) or
   * `output-only` (`{ output_tokens }`, as older API versions and some compatible servers send). Default cumulative.
   */
  readonly deltaUsage?: 'cumulative' | 'output-only' | undefined;
};

/** A running fake Anthropic server; `baseURL` is what `@anthropic-ai/sdk`'s `baseURL` takes (the origin). */
export type FakeAnthropicServer = FakeServer & { readonly baseURL: string };

type MessagesBody = {
  model?: unknown;
  max_tokens?: unknown;
  messages?: unknown;
  system?: unknown;
  stream?: unknown;
};

type ContentBlock = Record<string, unknown> & { readonly type: string };

function contentBlocks(reply: FakeReply, id: (prefix: string) => string): ContentBlock[] {
  const text = textPieces(reply).join('');
  const blocks: ContentBlock[] = [];
  if (text !== '' || (reply.toolCalls ?? []).length === 0) blocks.push({ type: 'text', text });
  for (const call of reply.toolCalls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id ?? id('toolu_'), name: call.name, input: call.arguments });
  }
  return blocks;
}

/** The events of one content block: start (empty), deltas, stop. */
function blockEvents(block: ContentBlock, index: number, reply: FakeReply): Record<string, unknown>[] {
  const deltas =
    block.type === 'text'
      ? textPieces(reply).map((text) => ({ type: 'text_delta', text }))
      : splitText(JSON.stringify(block['input'])).map((partial_json) => ({
          type: 'input_json_delta',
          partial_json,
        }));
  const empty = block.type === 'text' ? { ...block, text: '' } : { ...block, input: {} };
  return [
    { type: 'content_block_start', index, content_block: empty },
    ...(index === 0 ? [{ type: 'ping' }] : []),
    ...deltas.map((delta) => ({ type: 'content_block_delta', index, delta })),
    { type: 'content_block_stop', index },
  ];
}

/**
 * Answers `POST /v1/messages`: a `message` object, or the SSE stream `message_start` (usage with input, cache
 * reads, cache writes and their 5m/1h split, 1 output token so far), `content_block_start` / `ping` /
 * `content_block_delta` / `content_block_stop` per block, `message_delta` (stop reason and cumulative usage),
 * `message_stop`.
 */
async function answerMessages(exchange: FakeExchange, id: (prefix: string) => string, deltaUsage: string) {
  const { reply } = exchange;
  const body = exchange.request.body as MessagesBody;
  const blocks = contentBlocks(reply, id);
  const usage = wireUsage(reply, replyUsage(reply, [body.system, body.messages]), anthropicUsageWire);
  const message = {
    id: id('msg_'),
    type: 'message',
    role: 'assistant',
    model: reply.model ?? body.model,
    content: blocks,
    stop_reason:
      reply.finishReason ?? (blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: usage ?? null,
  };
  const headers = { 'request-id': id('req_') };
  if (body.stream !== true) return exchange.json(message, headers);
  const output = Number(usage?.['output_tokens'] ?? 0);
  const startUsage = usage === undefined ? undefined : { ...usage, output_tokens: Math.min(1, output) };
  const { cache_creation: _split, service_tier: _tier, ...totals } = usage ?? {};
  const events: Record<string, unknown>[] = [
    { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: startUsage } },
    ...blocks.flatMap((block, index) => blockEvents(block, index, reply)),
    {
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      ...(usage === undefined
        ? {}
        : { usage: deltaUsage === 'cumulative' ? totals : { output_tokens: output } }),
    },
    { type: 'message_stop' },
  ];
  const writer = exchange.events({
    headers,
    errorEvent: (scripted) => ({ event: 'error', data: anthropicErrorObject(scripted.streamError!.error) }),
  });
  for (const event of events) {
    if (!(await writer.send({ event: String(event['type']), data: event }))) return;
  }
  writer.end();
}

/**
 * Starts a fake Anthropic Messages API on 127.0.0.1: `POST /v1/messages` (JSON or SSE) and
 * `POST /v1/messages/count_tokens`. Requests need an `x-api-key` (or a bearer token) and an
 * `anthropic-version` header; errors come as `{ type: 'error', error: { type, message } }` (529 overloaded...).
 */
export async function startFakeAnthropicServer(
  options: FakeAnthropicServerOptions = {},
): Promise<FakeAnthropicServer> {
  const id = idSource();
  const server = await startFakeServer(
    {
      routes: [
        {
          method: 'POST',
          path: /^\/v1\/messages$/,
          handle: (exchange) => answerMessages(exchange, id, options.deltaUsage ?? 'cumulative'),
        },
        {
          method: 'POST',
          path: /^\/v1\/messages\/count_tokens$/,
          handle(exchange) {
            const body = exchange.request.body as MessagesBody;
            const usage = exchange.reply.usage;
            const input = usage?.input ?? approximateTokens(stringsIn([body.system, body.messages]));
            exchange.json({ input_tokens: input });
          },
        },
      ],
      renderError: renderAnthropicError,
      check(request) {
        const key =
          request.headers['x-api-key'] ?? /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
        if (key === undefined) return { status: 401, message: 'x-api-key header is required' };
        if (options.apiKey !== undefined && key !== options.apiKey)
          return { status: 401, message: 'invalid x-api-key' };
        if (request.headers['anthropic-version'] === undefined) {
          return { status: 400, message: 'anthropic-version: header is required' };
        }
        const body = request.body as MessagesBody | undefined;
        if (typeof body?.model !== 'string' || !Array.isArray(body.messages)) {
          return { status: 400, message: 'model: Field required; messages: Field required' };
        }
        if (request.path === '/v1/messages' && typeof body.max_tokens !== 'number') {
          return { status: 400, message: 'max_tokens: Field required' };
        }
        return undefined;
      },
    },
    options,
  );
  return { ...server, baseURL: server.url };
}
