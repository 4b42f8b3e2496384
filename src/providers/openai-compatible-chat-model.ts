import type { ChatModel } from './chat-model.js';
import { endpointUrl } from './endpoint-url.js';
import { createHttpChatModel } from './http-chat-model.js';
import { createHttpClient } from './http-exchange.js';
import { openAIChatWire } from './openai-chat-wire.js';
import { type OpenAICompatibleOptions, settleOpenAICompatibleOptions } from './openai-compatible-options.js';

/**
 * A chat model on any OpenAI-compatible API: `POST {baseUrl}/chat/completions`, JSON or SSE. Streams ask for
 * usage (`stream_options.include_usage`) so a streamed call reports what an unstreamed one would.
 */
export function createOpenAICompatibleChatModel(options: OpenAICompatibleOptions): ChatModel {
  const settled = settleOpenAICompatibleOptions(options);
  return createHttpChatModel(
    { provider: settled.provider, model: settled.model, endpoint: settled.baseUrl },
    createHttpClient(settled.provider, options, [options.apiKey]),
    openAIChatWire({
      provider: settled.provider,
      model: settled.model,
      url: endpointUrl(settled.baseUrl, '/chat/completions', settled.query),
      headers: settled.authHeaders,
      maxTokensField: settled.maxTokensField,
      streamUsageOption: settled.streamUsageOption,
    }),
  );
}
