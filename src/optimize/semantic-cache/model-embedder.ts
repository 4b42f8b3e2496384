import { FrugalError } from '../../core/errors.js';
import type { EmbeddingModel } from '../../providers/chat-model.js';
import type { Embedder } from '../embedder.js';

export type ModelEmbedderOptions = {
  /** The provider's embedding model, e.g. `createOpenAICompatibleEmbeddingModel(...)`. */
  readonly model: EmbeddingModel;
  /** The vector length the model returns; a reply of another length is an error that says both. */
  readonly dimensions: number;
  /**
   * Send `dimensions` with each request, for models that can shorten their vectors (OpenAI's
   * text-embedding-3-*); models that cannot (ada-002, most self-hosted ones) refuse it. Default false.
   */
  readonly requestDimensions?: boolean | undefined;
  /** Inputs per request (default 256; OpenAI accepts up to 2,048). */
  readonly batchSize?: number | undefined;
};

/** An error from the embedder, naming it, keeping the provider's error as `cause`. */
function embedderError(id: string, problem: string, cause?: unknown): FrugalError {
  return new FrugalError(`embedder ${id}: ${problem}`, cause === undefined ? undefined : { cause });
}

function describeFailure(error: unknown): string {
  return `the embeddings call failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** Copies a vector into a Float32Array of unit length; undefined for a zero or non-finite vector. */
function unitVector(values: readonly number[]): Float32Array | undefined {
  let norm = 0;
  for (const value of values) norm += value * value;
  norm = Math.sqrt(norm);
  if (!(Number.isFinite(norm) && norm > 0)) return undefined;
  const vector = new Float32Array(values.length);
  for (let index = 0; index < values.length; index++) vector[index] = values[index]! / norm;
  return vector;
}

/**
 * An `Embedder` over any provider `EmbeddingModel` (OpenAI, Azure, Ollama, vLLM... through
 * createOpenAICompatibleEmbeddingModel): batches the texts, normalises every vector to unit length (some
 * servers do not) and sums the billed usage. Any failure (the provider's error after its retries, a vector of
 * the wrong length, a zero vector) rejects with a FrugalError that names the embedder and keeps the cause.
 */
export function createModelEmbedder(options: ModelEmbedderOptions): Embedder {
  const { model, dimensions } = options;
  const batchSize = options.batchSize ?? 256;
  if (!(Number.isSafeInteger(dimensions) && dimensions > 0)) {
    throw new FrugalError(`embedder ${model.id}: dimensions must be a positive integer, got ${dimensions}`);
  }
  if (!(Number.isSafeInteger(batchSize) && batchSize > 0)) {
    throw new FrugalError(`embedder ${model.id}: batchSize must be a positive integer, got ${batchSize}`);
  }
  const id = options.requestDimensions ? `${model.id}@${dimensions}` : model.id;
  return {
    id,
    dimensions,
    local: false,
    async embed(texts, signal) {
      const vectors: Float32Array[] = [];
      let input: number | undefined = 0;
      for (let start = 0; start < texts.length; start += batchSize) {
        const inputs = texts.slice(start, start + batchSize);
        let result: Awaited<ReturnType<EmbeddingModel['embed']>>;
        try {
          result = await model.embed({
            inputs,
            signal,
            ...(options.requestDimensions ? { dimensions } : {}),
          });
        } catch (error) {
          if (signal?.aborted) throw error;
          throw embedderError(id, describeFailure(error), error);
        }
        result.vectors.forEach((values, offset) => {
          const index = start + offset;
          if (values.length !== dimensions) {
            throw embedderError(
              id,
              `vector ${index} has ${values.length} dimensions, expected ${dimensions} (set dimensions to ${values.length})`,
            );
          }
          const vector = unitVector(values);
          if (vector === undefined) throw embedderError(id, `vector ${index} is zero or not finite`);
          vectors.push(vector);
        });
        input =
          input === undefined || result.usage.input === undefined ? undefined : input + result.usage.input;
      }
      return { vectors, usage: { input, output: 0 } };
    },
  };
}
