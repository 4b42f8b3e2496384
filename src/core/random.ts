/** A seeded source of uniform numbers in [0, 1). Statistics take one in, so results are reproducible. */
export type Random = () => number;

/**
 * mulberry32: a small, fast 32-bit PRNG (Tommy Ettinger), plenty for resampling. The same seed always gives the
 * same sequence; seeds are taken modulo 2^32.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, size). */
export function randomIndex(random: Random, size: number): number {
  return Math.min(size - 1, Math.floor(random() * size));
}
