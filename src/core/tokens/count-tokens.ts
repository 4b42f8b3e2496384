import type { ChatMessage, ChatTool } from './chat-request.js';
import type { TokenCount } from './token-count.js';
import { loadTokenCounter, type TokenCounterOptions } from './token-counter.js';

/** Which model to count for, plus the counter's options. No model counts o200k_base tokens. */
export type CountTokensOptions = TokenCounterOptions & { readonly model?: string };

/**
 * Tokens of `text` for `options.model`: `{ model, encoding, tokens, exact }`. Exact for OpenAI, Llama 3,
 * DeepSeek-V3, Qwen and Mistral v1 models; an estimate that says so (`exact: false`, `note`) for the rest
 * and for unknown models. Safe on untrusted text: time stays linear in its length (see `countSafely`).
 */
export async function countTokens(text: string, options: CountTokensOptions = {}): Promise<TokenCount> {
  return (await loadTokenCounter(options.model, options)).count(text);
}

/**
 * Prompt tokens of a chat request for `options.model`: messages in OpenAI's chat format (3 per message,
 * 1 per name, 3 to prime the reply) and `options.tools` as OpenAI renders them (see `countChatWith`).
 */
export async function countChatTokens(
  messages: readonly ChatMessage[],
  options: CountTokensOptions & { readonly tools?: readonly ChatTool[] } = {},
): Promise<TokenCount> {
  return (await loadTokenCounter(options.model, options)).countChat(messages, options.tools);
}
