import { type GeminiUsageWire, usageFromGemini } from '../core/usage-from-wire.js';
import type { FinishReason, GenerateRequest } from './chat-model.js';
import type { ChatWire, WireReply } from './http-chat-model.js';
import { invalidResponseError } from './provider-error-mapping.js';

export type GeminiGenerateWireOptions = {
  readonly provider: string;
  readonly model: string;
  /** `generateContent` URL. */
  readonly url: string;
  /** `streamGenerateContent?alt=sse` URL. */
  readonly streamUrl: string;
  readonly headers: Readonly<Record<string, string>>;
};

type ResponseWire = {
  candidates?: { content?: { parts?: { text?: unknown; thought?: unknown }[] }; finishReason?: unknown }[];
  promptFeedback?: { blockReason?: unknown };
  usageMetadata?: GeminiUsageWire | null;
  modelVersion?: unknown;
  error?: unknown;
};

const finishReasons: Readonly<Record<string, FinishReason>> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content-filter',
  RECITATION: 'content-filter',
  BLOCKLIST: 'content-filter',
  PROHIBITED_CONTENT: 'content-filter',
  SPII: 'content-filter',
  IMAGE_SAFETY: 'content-filter',
  MALFORMED_FUNCTION_CALL: 'error',
};

/** Gemini's `finishReason` as a `FinishReason` (unknown values: `other`). */
export function geminiFinishReason(value: unknown): FinishReason {
  return (typeof value === 'string' ? finishReasons[value] : undefined) ?? 'other';
}

function body(request: GenerateRequest) {
  const system = request.messages.filter((turn) => turn.role === 'system');
  const config: Record<string, unknown> = {};
  if (request.maxOutputTokens !== undefined) config['maxOutputTokens'] = request.maxOutputTokens;
  if (request.temperature !== undefined) config['temperature'] = request.temperature;
  if (request.topP !== undefined) config['topP'] = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) config['stopSequences'] = [...request.stop];
  if (request.seed !== undefined) config['seed'] = request.seed;
  if (request.responseFormat === 'json') config['responseMimeType'] = 'application/json';
  return {
    contents: request.messages
      .filter((turn) => turn.role !== 'system')
      .map((turn) => ({
        role: turn.role === 'assistant' ? 'model' : 'user',
        parts: [{ text: turn.content }],
      })),
    ...(system.length > 0
      ? { systemInstruction: { parts: system.map((turn) => ({ text: turn.content })) } }
      : {}),
    ...(Object.keys(config).length > 0 ? { generationConfig: config } : {}),
    ...request.providerOptions,
  };
}

/** The visible text of a response's first candidate (thought summaries left out). */
function textOf(response: ResponseWire): string {
  return (response.candidates?.[0]?.content?.parts ?? [])
    .filter((part) => typeof part.text === 'string' && part.thought !== true)
    .map((part) => part.text as string)
    .join('');
}

function finishOf(response: ResponseWire): unknown {
  return (
    response.candidates?.[0]?.finishReason ?? (response.promptFeedback?.blockReason ? 'SAFETY' : undefined)
  );
}

/**
 * The Gemini generateContent protocol. A stream is a sequence of partial responses, each with its text and the
 * usage so far; the one with a finish reason closes it and carries the full counts.
 */
export function geminiGenerateWire(options: GeminiGenerateWireOptions): ChatWire {
  return {
    request: (request, stream) => ({
      url: stream ? options.streamUrl : options.url,
      headers: options.headers,
      body: body(request),
    }),
    reply(raw): WireReply {
      const response = raw as ResponseWire;
      if (!Array.isArray(response.candidates) && response.promptFeedback === undefined) {
        throw invalidResponseError(options.provider, 'no candidates', { body: raw });
      }
      return {
        text: textOf(response),
        usage: usageFromGemini(response.usageMetadata ?? {}),
        finishReason: geminiFinishReason(finishOf(response)),
        responseModel: typeof response.modelVersion === 'string' ? response.modelVersion : undefined,
      };
    },
    streamReader() {
      let text = '';
      let usage: GeminiUsageWire = {};
      let finish: unknown;
      let model: string | undefined;
      return {
        read(data) {
          const chunk = (typeof data === 'object' && data !== null ? data : {}) as ResponseWire;
          if (chunk.error !== undefined) return { error: true };
          if (typeof chunk.modelVersion === 'string') model = chunk.modelVersion;
          if (chunk.usageMetadata) usage = chunk.usageMetadata;
          finish = finishOf(chunk) ?? finish;
          const delta = textOf(chunk);
          if (delta === '') return {};
          text += delta;
          return { text: delta };
        },
        complete: () => finish !== undefined,
        reply: () => ({
          text,
          usage: usageFromGemini(usage),
          finishReason: geminiFinishReason(finish),
          responseModel: model,
        }),
      };
    },
  };
}
