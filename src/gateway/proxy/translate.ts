import type { Usage } from '../../core/usage.js';
import type { ChatTurn, FinishReason, GenerateRequest, GenerateResult } from '../../providers/chat-model.js';
import { gatewayError } from '../http/gateway-reply.js';
import type { Dialect } from '../routing/deployment.js';
import { sseFrame } from './sse-frames.js';

/**
 * Requests in one protocol served by a deployment that speaks another (or by the simulator) go through the
 * provider port (`ChatModel`), which carries text conversations. What it cannot carry is refused with a 400
 * naming the field, never dropped silently: tools, images and audio need a deployment of the client's protocol.
 */

const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function textOf(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) {
    return content
      .map((part: unknown, index) => {
        const typed = part as { type?: unknown; text?: unknown };
        if (typed?.type === 'text' && typeof typed.text === 'string') return typed.text;
        throw gatewayError(
          400,
          'unsupported_content',
          `only text content can be sent to this model's deployment (a different protocol or the simulator); found a '${String(typed?.type)}' part`,
          { param: `${param}[${index}]` },
        );
      })
      .join('');
  }
  throw gatewayError(400, 'invalid_request', 'expected message content as a string or a list of parts', {
    param,
  });
}

function turnsOf(messages: unknown, param: string): ChatTurn[] {
  if (!Array.isArray(messages))
    throw gatewayError(400, 'invalid_request', 'expected a list of messages', { param });
  return messages.map((message: unknown, index) => {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    const at = `${param}[${index}]`;
    if (role === 'system' || role === 'developer')
      return { role: 'system', content: textOf(content, `${at}.content`) };
    if (role === 'user' || role === 'assistant') return { role, content: textOf(content, `${at}.content`) };
    throw gatewayError(
      400,
      'unsupported_content',
      `only system, user and assistant text messages can be sent to this model's deployment; found role '${String(role)}'`,
      { param: `${at}.role` },
    );
  });
}

const unsupportedFields = ['tools', 'functions', 'tool_choice', 'audio', 'n', 'logprobs'] as const;

/** The provider-port request for a client's body in `dialect`. */
export function generateRequestOf(
  body: Readonly<Record<string, unknown>>,
  dialect: Dialect,
  signal: AbortSignal,
): GenerateRequest {
  for (const field of unsupportedFields) {
    const value = body[field];
    if (
      value === undefined ||
      value === null ||
      (field === 'n' && value === 1) ||
      (field === 'logprobs' && value === false)
    ) {
      continue;
    }
    if (Array.isArray(value) && value.length === 0) continue;
    throw gatewayError(
      400,
      'unsupported_parameter',
      `'${field}' needs a deployment that speaks this protocol; this model is served by a different protocol or the simulator`,
      { param: field },
    );
  }
  let messages = turnsOf(body['messages'], 'messages');
  if (dialect === 'anthropic' && body['system'] !== undefined) {
    messages = [{ role: 'system', content: textOf(body['system'], 'system') }, ...messages];
  }
  const stop = body['stop'] ?? body['stop_sequences'];
  const format = (body['response_format'] as { type?: unknown } | undefined)?.type;
  const maxOutputTokens =
    number(body['max_completion_tokens']) ?? number(body['max_tokens']) ?? number(body['max_output_tokens']);
  return {
    messages,
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    ...(number(body['temperature']) === undefined ? {} : { temperature: number(body['temperature']) }),
    ...(number(body['top_p']) === undefined ? {} : { topP: number(body['top_p']) }),
    ...(number(body['seed']) === undefined ? {} : { seed: number(body['seed']) }),
    ...(typeof stop === 'string' ? { stop: [stop] } : Array.isArray(stop) ? { stop: stop.map(String) } : {}),
    ...(format === 'json_object' || format === 'json_schema' ? { responseFormat: 'json' as const } : {}),
    signal,
  };
}

const openAIFinish: Readonly<Record<FinishReason, string>> = {
  stop: 'stop',
  length: 'length',
  'content-filter': 'content_filter',
  'tool-calls': 'tool_calls',
  error: 'stop',
  other: 'stop',
};

const anthropicStop: Readonly<Record<FinishReason, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'content-filter': 'refusal',
  'tool-calls': 'tool_use',
  error: 'end_turn',
  other: 'end_turn',
};

/** OpenAI's usage object for frugal usage (prompt and completion tokens include cached and reasoning ones). */
export function openAIUsage(usage: Usage) {
  const prompt = usage.input ?? 0;
  const completion = usage.output ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.cachedInput ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
  };
}

/** Anthropic's usage object: `input_tokens` excludes cache reads and writes. */
export function anthropicUsage(usage: Usage) {
  const read = usage.cachedInput ?? 0;
  const written = (usage.cacheWrite ?? 0) + (usage.cacheWrite1h ?? 0);
  return {
    input_tokens: Math.max(0, (usage.input ?? 0) - read - written),
    output_tokens: usage.output ?? 0,
    cache_read_input_tokens: read,
    cache_creation_input_tokens: written,
  };
}

/** Renders one answer in a client protocol, whole or as a stream of frames. */
export type AnswerRenderer = {
  json(result: GenerateResult): unknown;
  /** Frames sent before the first text delta. */
  open(): string;
  delta(text: string): string;
  /** Frames after the last delta, up to but not including the terminal frame. */
  close(result: GenerateResult, includeUsage: boolean): string;
  /** The terminal frame, sent once the span is recorded. */
  readonly terminal: string;
};

export function answerRenderer(dialect: Dialect, id: string, model: string, created: number): AnswerRenderer {
  if (dialect === 'anthropic') {
    const messageId = `msg_frugal_${id}`;
    return {
      json: (result) => ({
        id: messageId,
        type: 'message',
        role: 'assistant',
        model: result.responseModel,
        content: [{ type: 'text', text: result.text }],
        stop_reason: anthropicStop[result.finishReason],
        stop_sequence: null,
        usage: anthropicUsage(result.usage),
      }),
      open: () =>
        sseFrame(
          JSON.stringify({
            type: 'message_start',
            message: {
              id: messageId,
              type: 'message',
              role: 'assistant',
              model,
              content: [],
              stop_reason: null,
              stop_sequence: null,
              usage: { input_tokens: 0, output_tokens: 0 },
            },
          }),
          'message_start',
        ) +
        sseFrame(
          JSON.stringify({
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'text', text: '' },
          }),
          'content_block_start',
        ),
      delta: (text) =>
        sseFrame(
          JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
          'content_block_delta',
        ),
      close: (result) =>
        sseFrame(JSON.stringify({ type: 'content_block_stop', index: 0 }), 'content_block_stop') +
        sseFrame(
          JSON.stringify({
            type: 'message_delta',
            delta: { stop_reason: anthropicStop[result.finishReason], stop_sequence: null },
            usage: anthropicUsage(result.usage),
          }),
          'message_delta',
        ),
      terminal: sseFrame(JSON.stringify({ type: 'message_stop' }), 'message_stop'),
    };
  }
  const completionId = `chatcmpl-frugal-${id}`;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    sseFrame(
      JSON.stringify({
        id: completionId,
        object: 'chat.completion.chunk',
        created,
        model,
        choices,
        ...extra,
      }),
    );
  return {
    json: (result) => ({
      id: completionId,
      object: 'chat.completion',
      created,
      model: result.responseModel,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: result.text, refusal: null },
          logprobs: null,
          finish_reason: openAIFinish[result.finishReason],
        },
      ],
      usage: openAIUsage(result.usage),
    }),
    open: () =>
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
    delta: (text) => chunk([{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }]),
    close: (result, includeUsage) =>
      chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: openAIFinish[result.finishReason] }]) +
      (includeUsage ? chunk([], { usage: openAIUsage(result.usage) }) : ''),
    terminal: sseFrame('[DONE]'),
  };
}

/** The in-band error frame that ends a stream which cannot finish, in the client's protocol. */
export function streamErrorFrame(dialect: Dialect, message: string): string {
  if (dialect === 'anthropic') {
    return sseFrame(JSON.stringify({ type: 'error', error: { type: 'api_error', message } }), 'error');
  }
  return sseFrame(
    JSON.stringify({ error: { message, type: 'upstream_error', param: null, code: 'stream_failed' } }),
  );
}
