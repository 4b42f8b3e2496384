import { createRandom } from '../../core/random.js';

/** A deterministic source of numbers in [0, 1), with the helpers the simulator draws with. */
export type SeededRandom = {
  /** The next number in [0, 1). */
  readonly next: () => number;
  /** An integer in [min, max], both included. */
  readonly int: (min: number, max: number) => number;
  /** One element of a non-empty list. */
  readonly pick: <T>(items: readonly T[]) => T;
};

/** FNV-1a over the parts joined with a separator that text rarely contains: a 32-bit unsigned hash. */
export function hashParts(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  const text = parts.join('\u241f');
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A mulberry32 generator seeded by the hash of `parts` (e.g. seed, model, prompt): the same parts always give
 * the same sequence, on every platform, and unrelated parts give unrelated sequences.
 */
export function createSeededRandom(...parts: readonly (string | number)[]): SeededRandom {
  const next = createRandom(hashParts(...parts));
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(next() * items.length)]!;
  };
  return { next, int, pick };
}
