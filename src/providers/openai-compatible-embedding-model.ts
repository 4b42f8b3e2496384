import { type OpenAIChatUsageWire, usageFromOpenAIChat } from '../core/usage-from-wire.js';
import type { EmbeddingModel, EmbedResult } from './chat-model.js';
import { endpointUrl } from './endpoint-url.js';
import { createHttpClient, openExchange } from './http-exchange.js';
import { type OpenAICompatibleOptions, settleOpenAICompatibleOptions } from './openai-compatible-options.js';
import { invalidResponseError } from './provider-error-mapping.js';
import { withRetries } from './retry-policy.js';

type EmbeddingsWire = {
  data?: { index?: unknown; embedding?: unknown }[];
  model?: unknown;
  usage?: OpenAIChatUsageWire | null;
};

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

/** An embedding model on any OpenAI-compatible API: `POST {baseUrl}/embeddings`, float vectors. */
export function createOpenAICompatibleEmbeddingModel(options: OpenAICompatibleOptions): EmbeddingModel {
  const settled = settleOpenAICompatibleOptions(options);
  const client = createHttpClient(settled.provider, options, [options.apiKey]);
  const url = endpointUrl(settled.baseUrl, '/embeddings', settled.query);
  const { provider, model } = settled;

  const read = (body: EmbeddingsWire, count: number, requestId: string | undefined) => {
    const vectors: number[][] = [];
    for (const item of body.data ?? []) {
      if (typeof item.index !== 'number' || !isVector(item.embedding)) continue;
      vectors[item.index] = item.embedding;
    }
    if (vectors.length !== count || vectors.some((vector) => vector === undefined)) {
      throw invalidResponseError(provider, `expected ${count} vectors`, { requestId, body });
    }
    return vectors;
  };

  return {
    id: `${provider}/${model}`,
    provider,
    model,
    simulated: false,
    embed: (request) =>
      withRetries(
        client.retry,
        async (): Promise<EmbedResult> => {
          const exchange = await openExchange(
            client,
            {
              url,
              headers: settled.authHeaders,
              body: {
                model,
                input: [...request.inputs],
                encoding_format: 'float',
                ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
              },
            },
            request.signal,
          );
          let body: EmbeddingsWire;
          try {
            body = (await exchange.response.json()) as EmbeddingsWire;
          } catch (error) {
            if (error instanceof SyntaxError && !request.signal?.aborted) {
              throw invalidResponseError(provider, 'the body is not JSON', { requestId: exchange.requestId });
            }
            throw exchange.failure(error);
          } finally {
            exchange.close();
          }
          const latencyMs = performance.now() - exchange.startedAt;
          return {
            vectors: read(body, request.inputs.length, exchange.requestId),
            // Embeddings report prompt tokens only: output is left as the wire has it (unreported).
            usage: usageFromOpenAIChat(body.usage ?? {}),
            responseModel: typeof body.model === 'string' ? body.model : model,
            latencyMs,
            requestId: exchange.requestId,
            simulated: false,
            raw: body,
          };
        },
        request.signal,
      ),
  };
}
