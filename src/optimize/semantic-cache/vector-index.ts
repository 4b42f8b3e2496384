/** One search result: the id given to `add`, and the cosine similarity (dot product of unit vectors). */
export type VectorMatch = { readonly id: string; readonly score: number };

/**
 * Nearest-neighbour search over unit vectors by cosine similarity. Implementations: exact (a scan, for small
 * sets and as the reference) and HNSW (approximate, for large ones); `createVectorIndex` picks by size.
 */
export interface VectorIndex {
  readonly dimensions: number;
  /** Vectors currently held. */
  readonly size: number;
  /** Adds a unit vector under `id`, replacing any vector the id had. */
  add(id: string, vector: Float32Array): void;
  /** Adds many at once (HNSW builds them on every core: a replica's cold start, the switch to HNSW). */
  addAll(entries: readonly (readonly [id: string, vector: Float32Array])[]): void;
  /** Removes the id's vector; false when it had none. */
  remove(id: string): boolean;
  /** Up to `k` ids, most similar first. */
  search(vector: Float32Array, k: number): VectorMatch[];
}

/** Throws a RangeError unless `vector` has the index's length. */
export function checkDimensions(vector: Float32Array, dimensions: number): void {
  if (vector.length !== dimensions) {
    throw new RangeError(`vector has ${vector.length} dimensions, the index holds ${dimensions}`);
  }
}
