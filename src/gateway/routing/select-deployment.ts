import type { Deployment } from './deployment.js';

/** How one deployment is picked among the available ones of a public name. */
export type BalancingStrategy = 'weighted' | 'least-busy';

/**
 * Picks a deployment: `weighted` draws one at random in proportion to the weights; `least-busy` takes the one
 * with the fewest requests in flight on this replica (ties drawn by weight). `random` returns [0, 1).
 */
export function selectDeployment(
  candidates: readonly Deployment[],
  strategy: BalancingStrategy,
  random: () => number = Math.random,
): Deployment | undefined {
  if (candidates.length <= 1) return candidates[0];
  let pool = candidates;
  if (strategy === 'least-busy') {
    const fewest = Math.min(...candidates.map((deployment) => deployment.inFlight));
    pool = candidates.filter((deployment) => deployment.inFlight === fewest);
    if (pool.length === 1) return pool[0];
  }
  const total = pool.reduce((sum, deployment) => sum + deployment.weight, 0);
  let draw = random() * total;
  for (const deployment of pool) {
    draw -= deployment.weight;
    if (draw < 0) return deployment;
  }
  return pool[pool.length - 1];
}
