import { UsageError } from '../../core/errors.js';
import { createOpenAICompatibleEmbeddingModel } from '../../providers/openai-compatible-embedding-model.js';
import type { Embedder } from '../embedder.js';
import { createLocalHashEmbedder } from './local-hash-embedder.js';
import { createModelEmbedder } from './model-embedder.js';

export type EmbedderSpecOptions = {
  /** Vector length: the local embedder's (default 384), or what the remote model returns (default 1536). */
  readonly dimensions?: number | undefined;
  /** Where the API key comes from, for remote embedders; never the key itself in a spec. */
  readonly apiKey?: string | undefined;
};

const specHelp =
  "'local', 'local:<dimensions>' or 'openai:<model>@<base-url>' (e.g. openai:text-embedding-3-small@https://api.openai.com/v1)";

/**
 * An embedder named by a one-line spec, as the CLI and config files give it:
 * - `local` or `local:<dimensions>`: the built-in hashing embedder (see local-hash-embedder.ts);
 * - `openai:<model>@<base-url>`: any OpenAI-compatible `/embeddings` endpoint (OpenAI, Azure, Ollama, vLLM,
 *   LM Studio...). `dimensions` is the length it returns; when given explicitly it is also sent in the request
 *   (text-embedding-3-* can shorten their vectors; other models refuse the field, so leave it out for them).
 * A malformed spec is a UsageError that shows the accepted forms.
 */
export function embedderFromSpec(spec: string, options: EmbedderSpecOptions = {}): Embedder {
  const local = /^local(?::(\d+))?$/.exec(spec);
  if (local) {
    const dimensions = local[1] === undefined ? options.dimensions : Number(local[1]);
    return createLocalHashEmbedder({ dimensions });
  }
  const remote = /^openai:([^@\s]+)@(https?:\/\/\S+)$/.exec(spec);
  if (!remote) throw new UsageError(`unknown embedder '${spec}': expected ${specHelp}`);
  const [, model, baseUrl] = remote as unknown as [string, string, string];
  return createModelEmbedder({
    // Provider 'openai-compatible' (no preset): a key is sent when given and required by none (local servers).
    model: createOpenAICompatibleEmbeddingModel({
      provider: 'openai-compatible',
      model,
      baseUrl,
      apiKey: options.apiKey,
    }),
    dimensions: options.dimensions ?? 1536,
    requestDimensions: options.dimensions !== undefined,
  });
}
