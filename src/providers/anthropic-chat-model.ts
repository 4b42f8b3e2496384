import { anthropicMessagesWire, defaultAnthropicMaxTokens } from './anthropic-messages-wire.js';
import type { ChatModel } from './chat-model.js';
import { endpointUrl } from './endpoint-url.js';
import { createHttpChatModel } from './http-chat-model.js';
import { createHttpClient, type HttpOptions } from './http-exchange.js';

export type AnthropicChatModelOptions = HttpOptions & {
  /** e.g. `claude-sonnet-4-5`. */
  readonly model: string;
  /** Sent as `x-api-key` (the CLI reads it from `ANTHROPIC_API_KEY`). */
  readonly apiKey: string;
  /** Default `https://api.anthropic.com`. */
  readonly baseUrl?: string | undefined;
  /** The `anthropic-version` header (default `2023-06-01`). */
  readonly anthropicVersion?: string | undefined;
  /** `max_tokens` when a request has no `maxOutputTokens` (default 4096; Anthropic requires the field). */
  readonly defaultMaxTokens?: number | undefined;
  /** Provider name in ids and errors (default `anthropic`). */
  readonly provider?: string | undefined;
};

/** A chat model on the Anthropic Messages API: `POST {baseUrl}/v1/messages`, JSON or SSE. */
export function createAnthropicChatModel(options: AnthropicChatModelOptions): ChatModel {
  const provider = options.provider ?? 'anthropic';
  const root = options.baseUrl ?? 'https://api.anthropic.com';
  return createHttpChatModel(
    { provider, model: options.model, endpoint: root },
    createHttpClient(provider, options, [options.apiKey]),
    anthropicMessagesWire({
      provider,
      model: options.model,
      url: endpointUrl(root, '/v1/messages'),
      headers: {
        'x-api-key': options.apiKey,
        'anthropic-version': options.anthropicVersion ?? '2023-06-01',
      },
      defaultMaxTokens: options.defaultMaxTokens ?? defaultAnthropicMaxTokens,
    }),
  );
}
