import { type OpenAIChatUsageWire, usageFromOpenAIChat } from '../core/usage-from-wire.js';
import type { FinishReason, GenerateRequest } from './chat-model.js';
import type { ChatWire, WireReply } from './http-chat-model.js';
import type { WireRequest } from './http-exchange.js';
import { invalidResponseError } from './provider-error-mapping.js';

/** How an OpenAI-compatible server is spoken to: what differs between OpenAI, Azure, Ollama, Mistral... */
export type OpenAIChatWireOptions = {
  readonly provider: string;
  readonly model: string;
  /** Full URL of the chat completions endpoint, query included. */
  readonly url: string;
  /** Authentication and version headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body field for `maxOutputTokens` (`max_completion_tokens` on OpenAI, where `max_tokens` is deprecated). */
  readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /**
   * Whether streams send `stream_options: { include_usage: true }` (without it OpenAI streams report no usage).
   * Off for servers that refuse the field and report stream usage anyway (Mistral).
   */
  readonly streamUsageOption: boolean;
};

type ChatCompletionWire = {
  model?: unknown;
  choices?: { message?: { content?: unknown }; delta?: { content?: unknown }; finish_reason?: unknown }[];
  usage?: OpenAIChatUsageWire | null;
  error?: unknown;
};

const finishReasons: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
};

/** OpenAI's `finish_reason` as a `FinishReason` (unknown values: `other`). */
export function openAIFinishReason(value: unknown): FinishReason {
  return (typeof value === 'string' ? finishReasons[value] : undefined) ?? 'other';
}

function body(options: OpenAIChatWireOptions, request: GenerateRequest, stream: boolean) {
  const fields: Record<string, unknown> = {
    model: options.model,
    messages: request.messages.map((turn) => ({ role: turn.role, content: turn.content })),
  };
  if (request.maxOutputTokens !== undefined) fields[options.maxTokensField] = request.maxOutputTokens;
  if (request.temperature !== undefined) fields['temperature'] = request.temperature;
  if (request.topP !== undefined) fields['top_p'] = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) fields['stop'] = [...request.stop];
  if (request.seed !== undefined) fields['seed'] = request.seed;
  if (request.responseFormat === 'json') fields['response_format'] = { type: 'json_object' };
  if (stream) {
    fields['stream'] = true;
    if (options.streamUsageOption) fields['stream_options'] = { include_usage: true };
  }
  return { ...fields, ...request.providerOptions };
}

/** The OpenAI Chat Completions protocol (`POST .../chat/completions`, JSON or SSE ending in `[DONE]`). */
export function openAIChatWire(options: OpenAIChatWireOptions): ChatWire {
  return {
    request: (request, stream): WireRequest => ({
      url: options.url,
      headers: { ...options.headers, ...(stream ? { accept: 'text/event-stream' } : {}) },
      body: body(options, request, stream),
    }),
    reply(raw): WireReply {
      const completion = raw as ChatCompletionWire;
      const choice = completion.choices?.[0];
      if (choice === undefined) throw invalidResponseError(options.provider, 'no choices', { body: raw });
      const content = choice.message?.content;
      return {
        text: typeof content === 'string' ? content : '',
        usage: usageFromOpenAIChat(completion.usage ?? {}),
        finishReason: openAIFinishReason(choice.finish_reason),
        responseModel: typeof completion.model === 'string' ? completion.model : undefined,
      };
    },
    streamReader() {
      let text = '';
      let usage: OpenAIChatUsageWire = {};
      let finish: unknown;
      let model: string | undefined;
      let done = false;
      return {
        read(data) {
          if (data === '[DONE]') {
            done = true;
            return {};
          }
          const chunk = data as ChatCompletionWire;
          if (typeof chunk !== 'object' || chunk === null) return {};
          if (chunk.error !== undefined) return { error: true };
          if (typeof chunk.model === 'string') model = chunk.model;
          if (chunk.usage) usage = chunk.usage;
          const choice = chunk.choices?.[0];
          if (choice?.finish_reason) finish = choice.finish_reason;
          const delta = choice?.delta?.content;
          if (typeof delta !== 'string' || delta === '') return {};
          text += delta;
          return { text: delta };
        },
        // Some compatible servers end without `[DONE]`; a finish reason closes the stream just as well.
        complete: () => done || finish !== undefined,
        reply: () => ({
          text,
          usage: usageFromOpenAIChat(usage),
          finishReason: openAIFinishReason(finish),
          responseModel: model,
        }),
      };
    },
  };
}
