import { FrugalError } from '../../core/errors.js';
import type { Embedder } from '../embedder.js';
import { textFeatures } from './text-features.js';

export type LocalHashEmbedderOptions = {
  /** Vector length (default 384). More dimensions mean fewer hash collisions and slower search. */
  readonly dimensions?: number | undefined;
};

/** FNV-1a over the UTF-16 code units, then murmur3's finaliser so that every bit depends on every input bit. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The unit vector of one text: signed feature hashing (the top bit picks the sign), then L2 normalisation. */
export function hashEmbed(text: string, dimensions: number): Float32Array {
  const sums = new Float64Array(dimensions);
  for (const [feature, weight] of textFeatures(text)) {
    const hash = hash32(feature);
    sums[hash % dimensions]! += hash & 0x80000000 ? -weight : weight;
  }
  let norm = 0;
  for (const value of sums) norm += value * value;
  norm = Math.sqrt(norm);
  const vector = new Float32Array(dimensions);
  // All features cancelling out in every slot is possible in theory; such a text gets the first axis.
  if (norm === 0) vector[0] = 1;
  else for (let index = 0; index < dimensions; index++) vector[index] = sums[index]! / norm;
  return vector;
}

/**
 * The built-in embedder `local/hash-v1-<dimensions>`: needs no download, no key and no network, costs nothing
 * and gives the same vector for the same text on every machine.
 *
 * What it is: feature hashing of a text's stemmed content words, their adjacent pairs and their character 3-
 * and 4-grams (see text-features.ts) into `dimensions` signed slots, L2-normalised. Cosine similarity is then
 * a weighted overlap of wording.
 *
 * How good it is: LEXICAL, not semantic. Paraphrases in other words ("How do I return an item?" / "Can I
 * send my order back?") score low, and questions that share their words but not their meaning score high.
 * On the 4,000 labelled Quora question pairs (../shared/data/semantic_cache) it separates duplicates from
 * non-duplicates with a ROC AUC of 0.74 (0.5 is chance; best F1 0.65), and no threshold keeps the share of
 * wrong hits under 10% there (19% at 0.95): many of Quora's non-duplicates share nearly all their words. Fine
 * for catching re-asked questions with small edits (case, punctuation, word order, plurals, typos); use an
 * OpenAI-compatible embedder for paraphrases, and calibrate either with `frugal cache calibrate`. The feature
 * weights were picked among a dozen variants on these same pairs (all within 0.73-0.74 AUC), so the figure is
 * slightly optimistic.
 */
export function createLocalHashEmbedder(options: LocalHashEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 384;
  if (!(Number.isSafeInteger(dimensions) && dimensions >= 8 && dimensions <= 65_536)) {
    throw new FrugalError(`local embedder: dimensions must be an integer from 8 to 65536, got ${dimensions}`);
  }
  return {
    id: `local/hash-v1-${dimensions}`,
    dimensions,
    local: true,
    async embed(texts, signal) {
      signal?.throwIfAborted();
      const vectors = texts.map((text, index) => {
        if (typeof text !== 'string') {
          throw new FrugalError(`local/hash-v1-${dimensions}: input ${index} is not a string`);
        }
        return hashEmbed(text, dimensions);
      });
      return { vectors, usage: { input: 0, output: 0 } };
    },
  };
}

/** The local embedder an id names (`local/hash-v1-N`), to score with what a router or cascade was trained on. */
export function localEmbedderFor(id: string): Embedder | undefined {
  const dimensions = /^local\/hash-v1-(\d+)$/.exec(id)?.[1];
  return dimensions === undefined ? undefined : createLocalHashEmbedder({ dimensions: Number(dimensions) });
}
