import { FrugalError } from '../../core/errors.js';
import type { Embedder } from '../embedder.js';
import type { LabelledPair } from './labelled-pairs.js';

/** Cosine similarity of two unit vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += a[index]! * b[index]!;
  return sum;
}

/**
 * The similarity of each pair under `embedder`, in pair order. Each distinct text is embedded once, in
 * batches of `batchSize`; `onProgress` hears how many texts are done. Also returns the embedder's token usage.
 */
export async function pairSimilarities(
  embedder: Embedder,
  pairs: readonly LabelledPair[],
  options: {
    batchSize?: number;
    signal?: AbortSignal;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<{ similarities: number[]; inputTokens: number | undefined }> {
  const texts = [...new Set(pairs.flatMap((pair) => [pair.a, pair.b]))];
  const batchSize = options.batchSize ?? 512;
  const vectors = new Map<string, Float32Array>();
  let inputTokens: number | undefined = 0;
  for (let start = 0; start < texts.length; start += batchSize) {
    const batch = texts.slice(start, start + batchSize);
    const embedding = await embedder.embed(batch, options.signal);
    if (embedding.vectors.length !== batch.length) {
      throw new FrugalError(
        `embedder ${embedder.id}: ${embedding.vectors.length} vectors for ${batch.length} texts`,
      );
    }
    batch.forEach((text, index) => {
      vectors.set(text, embedding.vectors[index]!);
    });
    const used = embedding.usage.input;
    inputTokens = inputTokens === undefined || used === undefined ? undefined : inputTokens + used;
    options.onProgress?.(Math.min(start + batchSize, texts.length), texts.length);
  }
  const similarities = pairs.map((pair) => cosine(vectors.get(pair.a)!, vectors.get(pair.b)!));
  return { similarities, inputTokens };
}
