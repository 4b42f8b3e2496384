import type { Usage } from '../core/usage.js';

/** What one call to an embedder produced. */
export type Embedding = {
  /** One vector per input, in input order, each of length `Embedder.dimensions` and L2-normalised. */
  readonly vectors: readonly Float32Array[];
  /** Tokens the provider billed (input only); zero for the local embedder, which costs nothing. */
  readonly usage: Usage;
};

/**
 * Turns texts into unit vectors whose cosine similarity (a dot product) stands for closeness of meaning.
 * The port the semantic cache and the learned router share; implementations: the built-in local embedder
 * (no download, no cost) and any OpenAI-compatible embeddings endpoint.
 */
export interface Embedder {
  /** Names the model and its settings (e.g. `local/hash-v1-384`); vectors from different ids never mix. */
  readonly id: string;
  readonly dimensions: number;
  /** True for embedders that are stand-ins computed locally rather than a learned model's output. */
  readonly local: boolean;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Embedding>;
}
