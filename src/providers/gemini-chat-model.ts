import type { ChatModel } from './chat-model.js';
import { endpointUrl } from './endpoint-url.js';
import { geminiGenerateWire } from './gemini-generate-wire.js';
import { createHttpChatModel } from './http-chat-model.js';
import { createHttpClient, type HttpOptions } from './http-exchange.js';

export type GeminiChatModelOptions = HttpOptions & {
  /** e.g. `gemini-2.5-flash`. */
  readonly model: string;
  /** Sent as `x-goog-api-key` (the CLI reads it from `GEMINI_API_KEY`). */
  readonly apiKey: string;
  /** Default `https://generativelanguage.googleapis.com`. */
  readonly baseUrl?: string | undefined;
  /** API version path segment (default `v1beta`). */
  readonly apiVersion?: string | undefined;
  /** Provider name in ids and errors (default `gemini`). */
  readonly provider?: string | undefined;
};

/**
 * A chat model on the Gemini API: `POST {baseUrl}/v1beta/models/{model}:generateContent`, and
 * `:streamGenerateContent?alt=sse` for streams. System turns become `systemInstruction`.
 */
export function createGeminiChatModel(options: GeminiChatModelOptions): ChatModel {
  const provider = options.provider ?? 'gemini';
  const root = `${options.baseUrl ?? 'https://generativelanguage.googleapis.com'}`;
  const path = `/${options.apiVersion ?? 'v1beta'}/models/${encodeURIComponent(options.model)}`;
  return createHttpChatModel(
    { provider, model: options.model, endpoint: root },
    createHttpClient(provider, options, [options.apiKey]),
    geminiGenerateWire({
      provider,
      model: options.model,
      url: endpointUrl(root, `${path}:generateContent`),
      streamUrl: endpointUrl(root, `${path}:streamGenerateContent`, { alt: 'sse' }),
      headers: { 'x-goog-api-key': options.apiKey },
    }),
  );
}
