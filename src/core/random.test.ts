import { describe, expect, it } from 'vitest';
import { createRandom, randomIndex } from './random.js';

describe('createRandom', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 5 }, () => random());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(2 ** 32 + 1)).toEqual(draw(1));
  });

  it('draws uniformly in [0, 1)', () => {
    const random = createRandom(123);
    const buckets = new Array<number>(10).fill(0);
    for (let draw = 0; draw < 100_000; draw++) {
      const value = random();
      expect(value >= 0 && value < 1).toBe(true);
      buckets[Math.floor(value * 10)]!++;
    }
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });

  it('gives indexes inside the range', () => {
    const random = createRandom(5);
    const seen = new Set(Array.from({ length: 200 }, () => randomIndex(random, 3)));
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });
});
