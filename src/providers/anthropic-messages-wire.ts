import { type AnthropicUsageWire, usageFromAnthropic } from '../core/usage-from-wire.js';
import type { FinishReason, GenerateRequest } from './chat-model.js';
import type { ChatWire, WireReply } from './http-chat-model.js';
import { invalidResponseError } from './provider-error-mapping.js';

/** `max_tokens` sent when a request sets no `maxOutputTokens` (Anthropic requires one). */
export const defaultAnthropicMaxTokens = 4096;

export type AnthropicMessagesWireOptions = {
  readonly provider: string;
  readonly model: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly defaultMaxTokens: number;
};

type MessageWire = {
  model?: unknown;
  content?: { type?: unknown; text?: unknown }[];
  stop_reason?: unknown;
  usage?: AnthropicUsageWire | null;
};

type EventWire = {
  type?: unknown;
  message?: MessageWire;
  delta?: { type?: unknown; text?: unknown; stop_reason?: unknown };
  usage?: Record<string, unknown> | null;
};

const stopReasons: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/** Anthropic's `stop_reason` as a `FinishReason` (`pause_turn` and unknown values: `other`). */
export function anthropicFinishReason(value: unknown): FinishReason {
  return (typeof value === 'string' ? stopReasons[value] : undefined) ?? 'other';
}

function body(options: AnthropicMessagesWireOptions, request: GenerateRequest, stream: boolean) {
  const system = request.messages.filter((turn) => turn.role === 'system').map((turn) => turn.content);
  const fields: Record<string, unknown> = {
    model: options.model,
    max_tokens: request.maxOutputTokens ?? options.defaultMaxTokens,
    messages: request.messages
      .filter((turn) => turn.role !== 'system')
      .map((turn) => ({ role: turn.role, content: turn.content })),
  };
  if (system.length > 0) fields['system'] = system.join('\n\n');
  if (request.temperature !== undefined) fields['temperature'] = request.temperature;
  if (request.topP !== undefined) fields['top_p'] = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) fields['stop_sequences'] = [...request.stop];
  if (stream) fields['stream'] = true;
  // No seed and no JSON mode on the Messages API: those request fields are not sent.
  return { ...fields, ...request.providerOptions };
}

function textOf(message: MessageWire): string {
  return (message.content ?? [])
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text as string)
    .join('');
}

/**
 * The Anthropic Messages protocol. Streams: `message_start` carries the model and the input and cache counts,
 * `content_block_delta` the text, `message_delta` the stop reason and the final counts (cumulative today, output
 * only on older versions: its known values are laid over the start's), `message_stop` the end.
 */
export function anthropicMessagesWire(options: AnthropicMessagesWireOptions): ChatWire {
  return {
    request: (request, stream) => ({
      url: options.url,
      headers: options.headers,
      body: body(options, request, stream),
    }),
    reply(raw): WireReply {
      const message = raw as MessageWire;
      if (!Array.isArray(message.content)) {
        throw invalidResponseError(options.provider, 'no content', { body: raw });
      }
      return {
        text: textOf(message),
        usage: usageFromAnthropic(message.usage ?? {}),
        finishReason: anthropicFinishReason(message.stop_reason),
        responseModel: typeof message.model === 'string' ? message.model : undefined,
      };
    },
    streamReader() {
      let text = '';
      let usage: Record<string, unknown> = {};
      let stopReason: unknown;
      let model: string | undefined;
      let stopped = false;
      const mergeUsage = (update: Record<string, unknown> | null | undefined) => {
        for (const [field, value] of Object.entries(update ?? {})) {
          if (value !== null && value !== undefined) usage[field] = value;
        }
      };
      return {
        read(data) {
          const event = (typeof data === 'object' && data !== null ? data : {}) as EventWire;
          switch (event.type) {
            case 'error':
              return { error: true };
            case 'message_start':
              if (typeof event.message?.model === 'string') model = event.message.model;
              usage = {};
              mergeUsage(event.message?.usage as Record<string, unknown> | null | undefined);
              return {};
            case 'content_block_delta': {
              const delta = event.delta;
              if (delta?.type !== 'text_delta' || typeof delta.text !== 'string' || delta.text === '')
                return {};
              text += delta.text;
              return { text: delta.text };
            }
            case 'message_delta':
              stopReason = event.delta?.stop_reason ?? stopReason;
              mergeUsage(event.usage);
              return {};
            case 'message_stop':
              stopped = true;
              return {};
            default:
              return {};
          }
        },
        complete: () => stopped,
        reply: () => ({
          text,
          usage: usageFromAnthropic(usage as AnthropicUsageWire),
          finishReason: anthropicFinishReason(stopReason),
          responseModel: model,
        }),
      };
    },
  };
}
