import { availableParallelism } from 'node:os';
import { FrugalError } from '../../core/errors.js';
import { checkDimensions, type VectorIndex, type VectorMatch } from './vector-index.js';

/*
 * The approximate index is USearch (npm `usearch`, Apache-2.0): an HNSW graph in C++ with prebuilt N-API
 * binaries for linux x64/arm64, macOS and Windows x64, so `npm ci` compiles nothing. Pinned to 2.26.2: 2.25.3
 * (the last release whose package.json says Node ≥ 20) loses keys after a few add/remove cycles (`remove`
 * returns 0 for a key `contains` still reports; measured here: USearch #697, fixed by PR #727), which would
 * break eviction. 2.26 fixes it; its JavaScript is unchanged, its package.json now says `node >= 22`, and its
 * binary is N-API and runs on Node 20 (checked on 20.20 through thousands of add/remove cycles). hnswlib-node 3.0 was the other
 * candidate: it compiles from source (~11 s) and reusing a deleted slot costs ~6 ms per insert (12x an append).
 */

export type HnswOptions = {
  /** Graph degree M (default 16). */
  readonly connectivity?: number | undefined;
  /** Candidates kept while inserting, efConstruction (default 64: twice as fast to build as 128, same recall here). */
  readonly expansionAdd?: number | undefined;
  /** Candidates kept while searching, ef (default 64). Higher is slower and more exact. */
  readonly expansionSearch?: number | undefined;
};

type UsearchModule = typeof import('usearch');

let loading: Promise<UsearchModule> | undefined;

/** Loads the native module once; a FrugalError saying why when it cannot be loaded on this platform. */
export function loadUsearch(): Promise<UsearchModule> {
  loading ??= import('usearch').catch((error: unknown) => {
    loading = undefined;
    throw new FrugalError(
      `cannot load the HNSW index (npm 'usearch'): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  });
  return loading;
}

/**
 * Approximate nearest neighbours by HNSW (USearch), inner product on unit vectors (= cosine). Ids map to
 * increasing integer keys that are never reused, so a removed id's stale graph node can never answer for a
 * new one; `remove` deletes the key from the graph (USearch reuses the freed slot on a later add). Every call
 * runs on one thread: USearch's automatic thread count spins up a pool per call, far slower for one vector.
 */
export async function createHnswVectorIndex(
  dimensions: number,
  options: HnswOptions = {},
): Promise<VectorIndex> {
  return (await loadHnswFactory(options))(dimensions);
}

/** Loads USearch, then makes HNSW indexes synchronously (the size-based index switches to one mid-stream). */
export async function loadHnswFactory(
  options: HnswOptions = {},
): Promise<(dimensions: number) => VectorIndex> {
  const usearch = await loadUsearch();
  return (dimensions) => hnswIndex(usearch, dimensions, options);
}

function hnswIndex(
  { Index, MetricKind, ScalarKind }: UsearchModule,
  dimensions: number,
  options: HnswOptions,
): VectorIndex {
  const index = new Index({
    dimensions,
    metric: MetricKind.IP,
    quantization: ScalarKind.F32,
    connectivity: options.connectivity ?? 16,
    expansion_add: options.expansionAdd ?? 64,
    expansion_search: options.expansionSearch ?? 64,
    multi: false,
  });
  const keys = new Map<string, number>();
  const ids = new Map<number, string>();
  let nextKey = 0;

  function assign(id: string): number {
    const key = nextKey++;
    keys.set(id, key);
    ids.set(key, id);
    return key;
  }

  function remove(id: string): boolean {
    const key = keys.get(id);
    if (key === undefined) return false;
    index.remove(BigInt(key));
    keys.delete(id);
    ids.delete(key);
    return true;
  }

  return {
    dimensions,
    // The graph's own count, not the id map's, so that a key the graph failed to remove shows.
    get size() {
      return Number(index.size());
    },
    add(id, vector) {
      checkDimensions(vector, dimensions);
      remove(id);
      index.add(BigInt(assign(id)), vector, 1);
    },
    addAll(entries) {
      if (entries.length === 0) return;
      const matrix = new Float32Array(entries.length * dimensions);
      const batch = new BigUint64Array(entries.length);
      entries.forEach(([id, vector], at) => {
        checkDimensions(vector, dimensions);
        remove(id);
        matrix.set(vector, at * dimensions);
        batch[at] = BigInt(assign(id));
      });
      index.add(batch, matrix, availableParallelism());
    },
    remove,
    search(vector, k) {
      checkDimensions(vector, dimensions);
      const count = Math.min(k, keys.size);
      if (count < 1) return [];
      const found = index.search(vector, count, 1);
      const matches: VectorMatch[] = [];
      for (let rank = 0; rank < found.keys.length && matches.length < count; rank++) {
        const id = ids.get(Number(found.keys[rank]));
        // USearch pads a short result with unused slots; distance = 1 - dot for the inner-product metric.
        if (id !== undefined) matches.push({ id, score: 1 - found.distances[rank]! });
      }
      return matches;
    },
  };
}
