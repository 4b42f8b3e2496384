import { createExactVectorIndex, type ExactVectorIndex } from './exact-vector-index.js';
import { type HnswOptions, loadHnswFactory } from './hnsw-vector-index.js';
import type { VectorIndex } from './vector-index.js';

export type VectorIndexOptions = {
  readonly dimensions: number;
  /**
   * `auto` (default): exact search until `exactLimit` vectors, then HNSW; `exact` always scans; `hnsw` always
   * uses the graph.
   */
  readonly kind?: 'auto' | 'exact' | 'hnsw' | undefined;
  /** Vectors an `auto` index holds before it becomes an HNSW index (default 1,000). */
  readonly exactLimit?: number | undefined;
  readonly hnsw?: HnswOptions | undefined;
  /** Told once when HNSW was wanted but cannot load here: the index then stays exact. */
  readonly onWarning?: ((message: string) => void) | undefined;
};

/** Makes empty vector indexes of one configuration (one per cache namespace). */
export type VectorIndexFactory = () => VectorIndex;

/**
 * A factory of indexes that stay fast as they grow: a scan of 1,000 384-dimension vectors takes about 0.5 ms
 * here (and needs no graph build), so an `auto` index is exact until then and moves its vectors into an HNSW
 * graph when the next one arrives. It never moves back: a cache that was large once is likely to be again.
 * When the native HNSW module cannot load (an unsupported platform), `auto` stays exact and warns, and `hnsw`
 * rejects. Async only to load that module before the first index is made.
 */
export async function vectorIndexFactory(options: VectorIndexOptions): Promise<VectorIndexFactory> {
  const { dimensions } = options;
  const kind = options.kind ?? 'auto';
  const exactLimit = options.exactLimit ?? 1_000;
  if (kind === 'exact') return () => createExactVectorIndex(dimensions);
  if (kind === 'hnsw') {
    const hnsw = await loadHnswFactory(options.hnsw);
    return () => hnsw(dimensions);
  }
  let hnsw: ((dimensions: number) => VectorIndex) | undefined;
  try {
    hnsw = await loadHnswFactory(options.hnsw);
  } catch (error) {
    options.onWarning?.(
      `${(error as Error).message}; vector search stays exact (slower past ~10,000 entries)`,
    );
    return () => createExactVectorIndex(dimensions);
  }
  const makeHnsw = hnsw;
  return () => growingIndex(dimensions, exactLimit, () => makeHnsw(dimensions));
}

function growingIndex(dimensions: number, exactLimit: number, makeHnsw: () => VectorIndex): VectorIndex {
  let exact: ExactVectorIndex | undefined = createExactVectorIndex(dimensions);
  let current: VectorIndex = exact;
  /** Moves to HNSW when `adding` more would take the exact index past its limit. */
  function grow(adding: number): void {
    if (exact === undefined || exact.size + adding <= exactLimit) return;
    const graph = makeHnsw();
    graph.addAll([...exact.entries()]);
    current = graph;
    exact = undefined;
  }
  return {
    dimensions,
    get size() {
      return current.size;
    },
    add(id, vector) {
      grow(1);
      current.add(id, vector);
    },
    addAll(entries) {
      grow(entries.length);
      current.addAll(entries);
    },
    remove: (id) => current.remove(id),
    search: (vector, k) => current.search(vector, k),
  };
}
