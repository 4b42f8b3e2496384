import { checkDimensions, type VectorIndex, type VectorMatch } from './vector-index.js';

/** Inserts `match` into `top` (most similar first), keeping at most `k`. */
function keepTop(top: VectorMatch[], match: VectorMatch, k: number): void {
  let at = top.length;
  while (at > 0 && top[at - 1]!.score < match.score) at--;
  if (at >= k) return;
  top.splice(at, 0, match);
  if (top.length > k) top.pop();
}

/** The exact index also lists what it holds, so that a larger index can be built from it. */
export interface ExactVectorIndex extends VectorIndex {
  /** Every id with a copy of its vector. */
  entries(): IterableIterator<[string, Float32Array]>;
}

/**
 * Exact search: every vector in one contiguous Float32Array slab, a query is a dot product with each. The
 * reference the HNSW index is measured against, and the faster choice for small sets (no graph to build):
 * about 0.55 µs per 384-dimension vector here (0.5 ms at 1,000 vectors, 5.5 ms at 10,000). Removal moves the last vector into the
 * freed slot, so the slab never has holes.
 */
export function createExactVectorIndex(dimensions: number, initialCapacity = 256): ExactVectorIndex {
  let slab = new Float32Array(dimensions * initialCapacity);
  const ids: string[] = [];
  const slots = new Map<string, number>();

  function grow(): void {
    const larger = new Float32Array(slab.length * 2 || dimensions);
    larger.set(slab);
    slab = larger;
  }

  function dot(vector: Float32Array, slot: number): number {
    let offset = slot * dimensions;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let index = 0;
    for (; index + 4 <= dimensions; index += 4, offset += 4) {
      a += vector[index]! * slab[offset]!;
      b += vector[index + 1]! * slab[offset + 1]!;
      c += vector[index + 2]! * slab[offset + 2]!;
      d += vector[index + 3]! * slab[offset + 3]!;
    }
    for (; index < dimensions; index++, offset++) a += vector[index]! * slab[offset]!;
    return a + b + c + d;
  }

  function add(id: string, vector: Float32Array): void {
    checkDimensions(vector, dimensions);
    let slot = slots.get(id);
    if (slot === undefined) {
      slot = ids.length;
      if ((slot + 1) * dimensions > slab.length) grow();
      ids.push(id);
      slots.set(id, slot);
    }
    slab.set(vector, slot * dimensions);
  }

  return {
    dimensions,
    get size() {
      return ids.length;
    },
    add,
    addAll(entries) {
      for (const [id, vector] of entries) add(id, vector);
    },
    remove(id) {
      const slot = slots.get(id);
      if (slot === undefined) return false;
      const last = ids.length - 1;
      if (slot !== last) {
        const moved = ids[last]!;
        slab.copyWithin(slot * dimensions, last * dimensions, (last + 1) * dimensions);
        ids[slot] = moved;
        slots.set(moved, slot);
      }
      ids.pop();
      slots.delete(id);
      return true;
    },
    *entries() {
      for (let slot = 0; slot < ids.length; slot++) {
        yield [ids[slot]!, slab.slice(slot * dimensions, (slot + 1) * dimensions)];
      }
    },
    search(vector, k) {
      checkDimensions(vector, dimensions);
      const top: VectorMatch[] = [];
      if (k < 1) return top;
      let floor = Number.NEGATIVE_INFINITY;
      for (let slot = 0; slot < ids.length; slot++) {
        const score = dot(vector, slot);
        if (score <= floor) continue;
        keepTop(top, { id: ids[slot]!, score }, k);
        if (top.length === k) floor = top[k - 1]!.score;
      }
      return top;
    },
  };
}
