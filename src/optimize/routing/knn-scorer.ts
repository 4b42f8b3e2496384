import { Buffer } from 'node:buffer';

/**
 * k nearest neighbours over unit vectors kept as int8 (each component × 127, rounded): a quarter of the size of
 * float32, cosine similarities within about 1% of the exact ones. A query's number is the similarity-weighted
 * mean of its k nearest training queries' targets.
 */
export type KnnTable = {
  readonly dimensions: number;
  readonly k: number;
  /** Row-major, `targets.length` rows of `dimensions` int8 components. */
  readonly vectors: Int8Array;
  readonly targets: Float64Array;
};

export function createKnnTable(
  vectors: readonly Float32Array[],
  targets: ArrayLike<number>,
  k: number,
): KnnTable {
  if (vectors.length === 0) throw new RangeError('no training vectors');
  const dimensions = vectors[0]!.length;
  const packed = new Int8Array(vectors.length * dimensions);
  vectors.forEach((vector, row) => {
    for (let j = 0; j < dimensions; j++) packed[row * dimensions + j] = Math.round(vector[j]! * 127);
  });
  return { dimensions, k: Math.min(k, vectors.length), vectors: packed, targets: Float64Array.from(targets) };
}

/** The weighted mean target of the k training vectors most similar to `vector` (weights: similarity, ≥ 0). */
export function knnScore(table: KnnTable, vector: Float32Array): number {
  const { dimensions, k, vectors, targets } = table;
  const rows = targets.length;
  const similarities = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    const offset = row * dimensions;
    let a = 0;
    let b = 0;
    let j = 0;
    for (; j + 1 < dimensions; j += 2) {
      a += vector[j]! * vectors[offset + j]!;
      b += vector[j + 1]! * vectors[offset + j + 1]!;
    }
    if (j < dimensions) a += vector[j]! * vectors[offset + j]!;
    similarities[row] = (a + b) / 127;
  }
  // The k-th largest similarity (quickselect on a copy), then every row above it and enough rows equal to it.
  const kth = selectLargest(Float64Array.from(similarities), k);
  let above = 0;
  for (let row = 0; row < rows; row++) if (similarities[row]! > kth) above += 1;
  let equalLeft = k - above;
  let weighted = 0;
  let total = 0;
  for (let row = 0; row < rows; row++) {
    const similarity = similarities[row]!;
    if (similarity < kth || (similarity === kth && equalLeft-- <= 0)) continue;
    const weight = Math.max(similarity, 0) + 1e-6;
    weighted += weight * targets[row]!;
    total += weight;
  }
  return weighted / total;
}

/** The k-th largest value of `values` (1-based), by quickselect; reorders `values`. */
function selectLargest(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  const target = k - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! > pivot) i += 1;
      while (values[j]! < pivot) j -= 1;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else return values[target]!;
  }
  return values[target]!;
}

/** A k-NN table as JSON: its int8 vectors and float64 targets as base64 (router and cascade files). */
export function encodeKnnTable(table: KnnTable): Record<string, unknown> {
  const base64 = (array: Int8Array | Float64Array) =>
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
  return {
    dimensions: table.dimensions,
    k: table.k,
    vectors: base64(table.vectors),
    targets: base64(table.targets),
  };
}

/** Reads what `encodeKnnTable` wrote; `fail(path, problem)` reports a malformed table (it must throw). */
export function decodeKnnTable(
  value: unknown,
  path: string,
  fail: (path: string, problem: string) => never,
): KnnTable {
  const json = value as Record<string, unknown> | null;
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json['vectors'] !== 'string' ||
    typeof json['targets'] !== 'string'
  ) {
    return fail(path, 'expected dimensions, k, vectors and targets');
  }
  const vectors = Buffer.from(json['vectors'], 'base64');
  const targets = Buffer.from(json['targets'], 'base64');
  const dimensions = Number(json['dimensions']);
  const k = Number(json['k']);
  const rows = targets.byteLength / 8;
  if (!Number.isInteger(rows) || rows === 0 || vectors.byteLength !== rows * dimensions) {
    fail(
      path,
      `the vectors (${vectors.byteLength} bytes) do not match ${rows} targets of ${dimensions} dimensions`,
    );
  }
  if (!Number.isInteger(k) || k < 1 || k > rows)
    fail(`${path}.k`, `expected a whole number from 1 to ${rows}`);
  return {
    dimensions,
    k,
    vectors: new Int8Array(vectors.buffer.slice(vectors.byteOffset, vectors.byteOffset + vectors.byteLength)),
    targets: new Float64Array(
      targets.buffer.slice(targets.byteOffset, targets.byteOffset + targets.byteLength),
    ),
  };
}
