import type { ChatMessage, ChatRequest } from './chat-request.js';
import type { CountText } from './load-tokenizer.js';
import { renderToolDefinitions } from './render-tool-definitions.js';

/** A chat request's prompt tokens, and what in it was counted by an inferred rather than documented rule. */
export type ChatCount = { readonly tokens: number; readonly approximations: readonly string[] };

const isSystem = (message: ChatMessage) => message.role === 'system' || message.role === 'developer';

/** The text parts of a message's content, with `suffix` added to the last one. */
function textParts(message: ChatMessage, suffix: string): { texts: string[]; otherParts: number } {
  const { content } = message;
  if (content === undefined || content === null) return { texts: suffix ? [suffix] : [], otherParts: 0 };
  if (typeof content === 'string') return { texts: [content + suffix], otherParts: 0 };
  const texts = content.flatMap((part) =>
    part.type === 'text' && typeof part.text === 'string' ? [part.text] : [],
  );
  const otherParts = content.length - texts.length;
  if (suffix) texts.push(`${texts.pop() ?? ''}${suffix}`);
  return { texts, otherParts };
}

/**
 * Prompt tokens of an OpenAI chat request, with `count` for the text. The rule, where it comes from:
 *
 * Documented (OpenAI cookbook "How to count tokens with tiktoken", gpt-3.5-turbo-0613 onwards, gpt-4,
 * gpt-4o, gpt-4o-mini; its example conversation costs 129 tokens on cl100k and 124 on o200k, as the API said):
 * - every message costs 3 tokens (`<|start|>`, the role/content separator, `<|end|>`) plus the tokens of its
 *   role and of its content;
 * - a `name` costs its tokens plus 1;
 * - every reply is primed with `<|start|>assistant<|message|>`: 3 tokens once per request.
 *
 * Inferred from API counts by open-source counters (openai-chat-tokens), so flagged as approximations:
 * - tools: the definitions rendered by `renderToolDefinitions` cost their tokens plus 9; when the request
 *   has a system (or developer) message the definitions join it, which saves 4 of those, and the first
 *   system message is counted with a newline appended;
 * - an assistant `function_call` (and each of `tool_calls`, counted the same way) costs the tokens of its
 *   name and arguments plus 3;
 * - a message with role `function` costs 2 tokens less.
 * Content given as parts counts each text part; images, audio and files are not counted (their token cost
 * depends on size and detail), which is flagged too.
 */
export function countChatWith(request: ChatRequest, count: CountText): ChatCount {
  const { messages, tools } = request;
  const approximations = new Set<string>();
  let tokens = 3;
  let systemPadded = tools.length === 0;
  for (const message of messages) {
    const padding = !systemPadded && isSystem(message) ? '\n' : '';
    if (padding) systemPadded = true;
    const { texts, otherParts } = textParts(message, padding);
    tokens += 3 + count(message.role) + texts.reduce((sum, text) => sum + count(text), 0);
    if (otherParts > 0) approximations.add('image, audio and file parts are not counted');
    if (Array.isArray(message.content) && texts.length > 1) {
      approximations.add('text parts are counted one by one (how OpenAI joins them is not published)');
    }
    if (message.name !== undefined) tokens += count(message.name) + 1;
    const calls = [
      ...(message.function_call ? [message.function_call] : []),
      ...(message.tool_calls ?? []).map((call) => call.function),
    ];
    for (const call of calls) tokens += count(call.name) + count(call.arguments) + 3;
    if (calls.length > 0) approximations.add('tool calls are counted by an inferred rule');
    if (message.role === 'function' || message.role === 'tool') {
      if (message.role === 'function') tokens -= 2;
      approximations.add('tool results are counted by an inferred rule');
    }
  }
  if (tools.length > 0) {
    tokens += count(renderToolDefinitions(tools)) + 9;
    if (messages.some(isSystem)) tokens -= 4;
    approximations.add('tool definitions are counted in the rendering inferred by open-source counters');
  }
  return { tokens, approximations: [...approximations] };
}
