import { approximateTokens } from './fake-reply.js';
import type { FakeRoute } from './fake-server.js';

type EmbeddingsBody = { model?: unknown; input?: unknown; encoding_format?: unknown; dimensions?: unknown };

/** A unit vector determined by the text alone (FNV-1a seed, xorshift32 stream): same text, same vector. */
export function deterministicVector(text: string, dimensions: number): number[] {
  let seed = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    seed ^= text.charCodeAt(index);
    seed = Math.imul(seed, 0x01000193) >>> 0;
  }
  const values: number[] = [];
  for (let index = 0; index < dimensions; index += 1) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    values.push((seed / 0xffffffff) * 2 - 1);
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => Math.fround(value / norm));
}

/** Inputs as texts: a string, strings, or token arrays (rendered as their numbers). */
function inputTexts(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === 'number')) return [input.join(' ')];
  if (input.every((item) => typeof item === 'string')) return input;
  if (input.every((item) => Array.isArray(item))) return input.map((item: unknown[]) => item.join(' '));
  return undefined;
}

/** Little-endian float32 bytes in base64, as OpenAI sends with `encoding_format: "base64"`. */
function base64Vector(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/** `POST /v1/embeddings`: one vector per input (scripted `vectors`, else deterministic), float or base64. */
export function openAIEmbeddingsRoute(options: { readonly dimensions: number }): FakeRoute {
  return {
    method: 'POST',
    path: /^\/v1\/embeddings$/,
    handle(exchange) {
      const body = exchange.request.body as EmbeddingsBody;
      const texts = inputTexts(body?.input);
      if (typeof body?.model !== 'string' || texts === undefined) {
        return exchange.fail({ status: 400, message: "'input' and 'model' are required." });
      }
      const dimensions = typeof body.dimensions === 'number' ? body.dimensions : options.dimensions;
      const { reply } = exchange;
      const usage = reply.usage === null ? undefined : reply.usage;
      const input = usage?.input ?? texts.reduce((sum, text) => sum + approximateTokens(text), 0);
      exchange.json({
        object: 'list',
        data: texts.map((text, index) => {
          const vector = reply.vectors?.[index] ?? deterministicVector(text, dimensions);
          return {
            object: 'embedding',
            index,
            embedding: body.encoding_format === 'base64' ? base64Vector(vector) : vector,
          };
        }),
        model: reply.model ?? body.model,
        ...(reply.usage === null
          ? {}
          : { usage: reply.rawUsage ?? { prompt_tokens: input, total_tokens: input } }),
      });
    },
  };
}

/** `GET /v1/models` and `GET /v1/models/{id}`. */
export function openAIModelsRoutes(models: readonly string[]): FakeRoute[] {
  const model = (id: string) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' });
  return [
    {
      method: 'GET',
      path: /^\/v1\/models$/,
      handle: (exchange) => exchange.json({ object: 'list', data: models.map(model) }),
    },
    {
      method: 'GET',
      path: /^\/v1\/models\/(.+)$/,
      handle(exchange) {
        const id = decodeURIComponent(exchange.params[0] ?? '');
        if (!models.includes(id)) {
          return exchange.fail({
            status: 404,
            message: `The model '${id}' does not exist`,
            code: 'model_not_found',
          });
        }
        exchange.json(model(id));
      },
    },
  ];
}
