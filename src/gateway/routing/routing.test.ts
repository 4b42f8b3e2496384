import { describe, expect, it } from 'vitest';
import type { Deployment } from './deployment.js';
import { createDeploymentHealth } from './deployment-health.js';
import { selectDeployment } from './select-deployment.js';

const deployment = (id: string, weight: number, inFlight = 0): Deployment =>
  ({ id, weight, inFlight }) as Partial<Deployment> as Deployment;

/** A seeded generator (mulberry32), so the draws are the same every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('selectDeployment', () => {
  it('draws in proportion to the weights', () => {
    const all = [deployment('a', 1), deployment('b', 3)];
    const random = seeded(7);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++) counts[selectDeployment(all, 'weighted', random)!.id as 'a' | 'b']++;
    expect(counts.b / 10_000).toBeGreaterThan(0.73);
    expect(counts.b / 10_000).toBeLessThan(0.77);
  });

  it('least-busy takes the deployment with the fewest requests in flight, whatever the weights', () => {
    const all = [deployment('a', 100, 5), deployment('b', 1, 2), deployment('c', 1, 3)];
    for (let i = 0; i < 50; i++) expect(selectDeployment(all, 'least-busy', seeded(i))!.id).toBe('b');
  });

  it('least-busy breaks ties by weight', () => {
    const all = [deployment('a', 1, 0), deployment('b', 1, 0), deployment('c', 1, 4)];
    const seen = new Set<string>();
    const random = seeded(3);
    for (let i = 0; i < 100; i++) seen.add(selectDeployment(all, 'least-busy', random)!.id);
    expect([...seen].sort()).toEqual(['a', 'b']);
  });

  it('has nothing to pick from an empty list', () => {
    expect(selectDeployment([], 'weighted')).toBeUndefined();
  });
});

describe('deployment health', () => {
  it('cools a deployment down after allowed_fails failures within the window, then lets it back', () => {
    const health = createDeploymentHealth({ allowedFails: 2, cooldownMs: 1000 });
    health.failed('a', 0);
    expect(health.coolingUntil('a', 10)).toBeUndefined();
    health.failed('a', 20);
    expect(health.coolingUntil('a', 30)).toBe(1020);
    expect(health.coolingUntil('a', 1020)).toBeUndefined();
  });

  it('forgets failures older than the window and after a success', () => {
    const health = createDeploymentHealth({ allowedFails: 2, cooldownMs: 1000 });
    health.failed('a', 0);
    health.failed('a', 1500);
    expect(health.coolingUntil('a', 1500)).toBeUndefined();
    health.succeeded('a');
    health.failed('a', 1600);
    expect(health.coolingUntil('a', 1600)).toBeUndefined();
  });

  it("believes an upstream's Retry-After at once", () => {
    const health = createDeploymentHealth({ allowedFails: 3, cooldownMs: 1000 });
    health.failed('a', 0, 5000);
    expect(health.coolingUntil('a', 100)).toBe(5000);
  });
});
