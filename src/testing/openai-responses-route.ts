import { type FakeReply, replyUsage, splitText, textPieces } from './fake-reply.js';
import type { FakeExchange, FakeRoute } from './fake-server.js';
import { openAIErrorObject, openAIResponsesUsageWire } from './openai-wire.js';
import { wireUsage } from './reply-wire.js';

type ResponsesBody = {
  model?: unknown;
  input?: unknown;
  instructions?: unknown;
  stream?: unknown;
  max_output_tokens?: unknown;
  temperature?: unknown;
  tools?: unknown;
};

type OutputItem = Record<string, unknown> & { readonly id: string; readonly type: string };

/** The finished output items: a message (when there is text), then one `function_call` per tool call. */
function outputItems(reply: FakeReply, id: (prefix: string) => string): OutputItem[] {
  const items: OutputItem[] = [];
  const text = textPieces(reply).join('');
  if (text !== '' || (reply.toolCalls ?? []).length === 0) {
    items.push({
      id: id('msg_'),
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
    });
  }
  for (const call of reply.toolCalls ?? []) {
    items.push({
      id: id('fc_'),
      type: 'function_call',
      status: 'completed',
      arguments: JSON.stringify(call.arguments),
      call_id: call.id ?? id('call_'),
      name: call.name,
    });
  }
  return items;
}

/** The `response` object at a stage: in progress (no output, no usage) or finished. */
function responseObject(
  exchange: FakeExchange,
  base: { id: string; created_at: number; model: string },
  finished?: { output: OutputItem[] },
) {
  const { reply } = exchange;
  const body = exchange.request.body as ResponsesBody;
  const incomplete = reply.finishReason !== undefined && reply.finishReason !== 'completed';
  const usage = wireUsage(
    reply,
    replyUsage(reply, [body.instructions, body.input]),
    openAIResponsesUsageWire,
  );
  return {
    ...base,
    object: 'response',
    status: finished === undefined ? 'in_progress' : incomplete ? 'incomplete' : 'completed',
    background: false,
    error: null,
    incomplete_details: finished !== undefined && incomplete ? { reason: reply.finishReason } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    output: finished?.output ?? [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: body.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: finished === undefined ? null : (usage ?? null),
    user: null,
    metadata: {},
  };
}

/** The semantic events of one output item: added, its deltas, done. */
function itemEvents(item: OutputItem, outputIndex: number, reply: FakeReply): Record<string, unknown>[] {
  const at = { item_id: item.id, output_index: outputIndex };
  if (item.type === 'function_call') {
    const args = String(item['arguments']);
    return [
      {
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      },
      ...splitText(args).map((delta) => ({ type: 'response.function_call_arguments.delta', ...at, delta })),
      { type: 'response.function_call_arguments.done', ...at, name: item['name'], arguments: args },
      { type: 'response.output_item.done', output_index: outputIndex, item },
    ];
  }
  const pieces = textPieces(reply);
  const part = { type: 'output_text', text: pieces.join(''), annotations: [], logprobs: [] };
  const content = { ...at, content_index: 0 };
  return [
    {
      type: 'response.output_item.added',
      output_index: outputIndex,
      item: { ...item, status: 'in_progress', content: [] },
    },
    { type: 'response.content_part.added', ...content, part: { ...part, text: '' } },
    ...pieces.map((delta) => ({ type: 'response.output_text.delta', ...content, delta, logprobs: [] })),
    { type: 'response.output_text.done', ...content, text: part.text, logprobs: [] },
    { type: 'response.content_part.done', ...content, part },
    { type: 'response.output_item.done', output_index: outputIndex, item },
  ];
}

/**
 * The Responses event stream: `response.created`, `response.in_progress`, each item's events, then
 * `response.completed` (or `response.incomplete`) carrying the whole response with its usage. Every event is
 * an SSE `event:` named by its `type` and numbered by `sequence_number`; there is no `[DONE]`.
 */
async function streamResponse(
  exchange: FakeExchange,
  base: { id: string; created_at: number; model: string },
  id: (prefix: string) => string,
) {
  const output = outputItems(exchange.reply, id);
  const finished = responseObject(exchange, base, { output });
  const inProgress = responseObject(exchange, base);
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: inProgress },
    { type: 'response.in_progress', response: inProgress },
    ...output.flatMap((item, index) => itemEvents(item, index, exchange.reply)),
    {
      type: finished.status === 'incomplete' ? 'response.incomplete' : 'response.completed',
      response: finished,
    },
  ];
  let sequence = 0;
  const writer = exchange.events({
    headers: { 'x-request-id': id('req_') },
    errorEvent: (reply) => {
      const error = openAIErrorObject(reply.streamError!.error);
      return { event: 'error', data: { type: 'error', ...error, sequence_number: sequence } };
    },
  });
  for (const event of events) {
    const data = { ...event, sequence_number: sequence };
    if (!(await writer.send({ event: String(event['type']), data }))) return;
    sequence += 1;
  }
  writer.end();
}

/** `POST /v1/responses`, streaming and not. */
export function openAIResponsesRoute(id: (prefix: string) => string): FakeRoute {
  return {
    method: 'POST',
    path: /^\/v1\/responses$/,
    async handle(exchange) {
      const body = exchange.request.body as ResponsesBody;
      if (typeof body?.model !== 'string') {
        return exchange.fail({ status: 400, message: "Missing required parameter: 'model'." });
      }
      const base = {
        id: id('resp_'),
        created_at: Math.floor(Date.now() / 1000),
        model: exchange.reply.model ?? body.model,
      };
      if (body.stream === true) return streamResponse(exchange, base, id);
      exchange.json(responseObject(exchange, base, { output: outputItems(exchange.reply, id) }), {
        'x-request-id': id('req_'),
      });
    },
  };
}
