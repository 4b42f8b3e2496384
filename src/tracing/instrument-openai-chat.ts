import type { AttributeValue } from '../core/spans/span.js';
import type { Usage } from '../core/usage.js';
import { type OpenAIChatUsageWire, usageFromOpenAIChat } from '../core/usage-from-wire.js';
import { requestAttributes, requestModel, responseAttributes } from './instrument-attributes.js';
import { endOrEstimate } from './instrument-estimate.js';
import type { CallRecipe } from './instrument-sdk-call.js';
import type { StreamWatcher } from './instrument-stream.js';
import type { LlmSpanHandle } from './tracer.js';

/** The fields of a chat completion (or chunk) read here. */
type ChatMessageLike = {
  content?: unknown;
  refusal?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
  tool_calls?: { function?: { name?: unknown; arguments?: unknown } }[] | null;
};
type ChatCompletionLike = {
  id?: unknown;
  model?: unknown;
  choices?: { message?: ChatMessageLike; delta?: ChatMessageLike; finish_reason?: string | null }[] | null;
  usage?: OpenAIChatUsageWire | null;
};

/**
 * The generated text of a message or delta (content, refusal, reasoning, tool names and arguments). Built by
 * concatenation: it runs on every event of a stream.
 */
function generatedText(message: ChatMessageLike | undefined): string {
  if (message === undefined || message === null) return '';
  let text = '';
  if (typeof message.content === 'string') text += message.content;
  if (typeof message.refusal === 'string') text += message.refusal;
  if (typeof message.reasoning_content === 'string') text += message.reasoning_content;
  if (typeof message.reasoning === 'string') text += message.reasoning;
  const calls = message.tool_calls;
  if (Array.isArray(calls)) {
    for (const call of calls) {
      const name = call?.function?.name;
      const args = call?.function?.arguments;
      if (typeof name === 'string') text += name;
      if (typeof args === 'string') text += args;
    }
  }
  return text;
}

/** What an estimate counts of a chat request: its messages and tools. */
function chatPrompt(body: Readonly<Record<string, unknown>>) {
  return { model: requestModel(body), messages: body['messages'], tools: body['tools'] };
}

function asksForUsage(body: Readonly<Record<string, unknown>>): boolean {
  return (body['stream_options'] as { include_usage?: unknown } | null | undefined)?.include_usage === true;
}

/**
 * Watches a chat completion stream. When the caller did not ask for usage, frugal asked for it on its
 * behalf, so the caller gets each chunk without the `usage` field and never sees the usage-only chunk:
 * exactly the stream it would have had. First token: the first chunk with generated text.
 */
function watchChatStream(
  body: Readonly<Record<string, unknown>>,
  handle: LlmSpanHandle,
  injected: boolean,
): StreamWatcher {
  const state = { usage: undefined as Usage | undefined, model: undefined as string | undefined, text: '' };
  let id: unknown;
  const finishReasons: string[] = [];
  const attributes = (complete: boolean): Record<string, AttributeValue> => ({
    ...responseAttributes(id, finishReasons),
    ...(complete ? {} : { 'frugal.stream.incomplete': true }),
  });
  return {
    see(event) {
      const chunk = event as ChatCompletionLike;
      if (typeof chunk.model === 'string' && chunk.model !== '') state.model = chunk.model;
      id ??= chunk.id;
      if (chunk.usage) state.usage = usageFromOpenAIChat(chunk.usage);
      for (const choice of chunk.choices ?? []) {
        const text = generatedText(choice.delta);
        if (text !== '') {
          handle.firstToken();
          state.text += text;
        }
        if (choice.finish_reason) finishReasons.push(choice.finish_reason);
      }
      if (!injected || typeof event !== 'object' || event === null || !('usage' in event)) return event;
      if (chunk.usage && (chunk.choices ?? []).length === 0) return undefined;
      const { usage: _usage, ...rest } = event as Record<string, unknown>;
      return rest;
    },
    partial: () => ({
      ...(state.model === undefined ? {} : { responseModel: state.model }),
      ...(state.usage === undefined ? {} : { usage: state.usage }),
    }),
    failure: () => undefined,
    ended: (complete) => endOrEstimate(state, attributes(complete), chatPrompt(body)),
  };
}

/**
 * Chat Completions (`chat.completions.create`), streamed or not, for a provider name. With `streamUsage`
 * (default), streams are asked for usage when the caller did not ask; without it (for compatible servers that
 * refuse `stream_options`), such streams are left alone and their usage is counted by frugal.
 */
export function openAIChatRecipe(provider: string, streamUsage = true): CallRecipe {
  const injects = (body: Readonly<Record<string, unknown>>) =>
    streamUsage && body['stream'] === true && !asksForUsage(body);
  return {
    start: (body) => ({
      operation: 'chat',
      provider,
      requestModel: requestModel(body),
      attributes: requestAttributes(body),
    }),
    send: (body) =>
      injects(body)
        ? {
            ...body,
            stream_options: { ...(body['stream_options'] as object | undefined), include_usage: true },
          }
        : body,
    ended(data, body) {
      const completion = data as ChatCompletionLike;
      const choices = completion.choices ?? [];
      const usage = completion.usage ? usageFromOpenAIChat(completion.usage) : undefined;
      const known = {
        usage,
        model: typeof completion.model === 'string' ? completion.model : undefined,
        // The text is counted only when the answer reported no usage.
        text: usage === undefined ? choices.map((choice) => generatedText(choice.message)).join('') : '',
      };
      const reasons = choices.map((choice) => choice.finish_reason);
      return endOrEstimate(known, responseAttributes(completion.id, reasons), chatPrompt(body));
    },
    watch: (body, handle) => watchChatStream(body, handle, injects(body)),
  };
}
