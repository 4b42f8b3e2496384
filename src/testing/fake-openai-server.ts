import { idSource } from './fake-reply.js';
import { type FakeServer, type FakeServerOptions, startFakeServer } from './fake-server.js';
import { openAIChatRoute } from './openai-chat-route.js';
import { openAIEmbeddingsRoute, openAIModelsRoutes } from './openai-embeddings-route.js';
import { openAIResponsesRoute } from './openai-responses-route.js';
import { renderOpenAIError } from './openai-wire.js';

/** Options of the fake OpenAI-compatible server. */
export type FakeOpenAIServerOptions = FakeServerOptions & {
  /** When set, `Authorization: Bearer <apiKey>` must match it exactly; otherwise any bearer token passes. */
  readonly apiKey?: string | undefined;
  /** What `GET /v1/models` lists (default gpt-4o, gpt-4o-mini, text-embedding-3-small). */
  readonly models?: readonly string[] | undefined;
  /** Default embedding size when the request sets no `dimensions` (default 8). */
  readonly embeddingDimensions?: number | undefined;
};

/** A running fake OpenAI server. `baseURL` (`<url>/v1`) is what the `openai` SDK's `baseURL` takes. */
export type FakeOpenAIServer = FakeServer & { readonly baseURL: string };

/**
 * Starts a fake OpenAI-compatible API on 127.0.0.1: `POST /v1/chat/completions` (JSON, or SSE chunks ending
 * `data: [DONE]`, with a usage chunk only under `stream_options.include_usage`), `POST /v1/responses` (JSON, or
 * the semantic event stream ending in `response.completed`), `POST /v1/embeddings`, `GET /v1/models`, and Azure
 * OpenAI's `POST /openai/deployments/{deployment}/chat/completions`. Every request needs a bearer token (Azure
 * paths: or an `api-key` header); errors come in OpenAI's `{ error: { message, type, param, code } }` body.
 */
export async function startFakeOpenAIServer(
  options: FakeOpenAIServerOptions = {},
): Promise<FakeOpenAIServer> {
  const id = idSource();
  const server = await startFakeServer(
    {
      routes: [
        openAIChatRoute(id),
        openAIResponsesRoute(id),
        openAIEmbeddingsRoute({ dimensions: options.embeddingDimensions ?? 8 }),
        ...openAIModelsRoutes(options.models ?? ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small']),
      ],
      renderError: renderOpenAIError,
      check(request) {
        const token =
          /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1] ??
          (request.path.startsWith('/openai/') ? request.headers['api-key'] : undefined);
        if (token === undefined) {
          return {
            status: 401,
            message:
              "You didn't provide an API key. You need to provide your API key in an Authorization header.",
            code: 'missing_api_key',
          };
        }
        if (options.apiKey !== undefined && token !== options.apiKey) {
          return { status: 401, message: 'Incorrect API key provided.', code: 'invalid_api_key' };
        }
        return undefined;
      },
    },
    options,
  );
  return { ...server, baseURL: `${server.url}/v1` };
}
