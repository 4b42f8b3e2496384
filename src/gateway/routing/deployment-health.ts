/**
 * Which deployments are cooling down, per replica: a deployment that failed `allowedFails` times within
 * `cooldownMs` (429, 5xx, timeouts, dropped connections) is skipped for `cooldownMs`, or for as long as the
 * upstream's Retry-After asked when it asked for longer. A success clears its failures. Kept in memory: each
 * replica learns from its own traffic, which is what it routes.
 */
export type DeploymentHealth = {
  failed(id: string, now: number, retryAfterMs?: number | undefined): void;
  succeeded(id: string): void;
  /** Epoch ms until which `id` is cooling down, or undefined when it is available. */
  coolingUntil(id: string, now: number): number | undefined;
};

export function createDeploymentHealth(options: {
  readonly allowedFails: number;
  readonly cooldownMs: number;
}): DeploymentHealth {
  const failures = new Map<string, number[]>();
  const cooling = new Map<string, number>();
  return {
    failed(id, now, retryAfterMs) {
      const recent = (failures.get(id) ?? []).filter((at) => now - at < options.cooldownMs);
      recent.push(now);
      failures.set(id, recent);
      // An upstream that says when to come back is believed at once.
      if (retryAfterMs !== undefined && retryAfterMs > 0) {
        cooling.set(id, Math.max(cooling.get(id) ?? 0, now + retryAfterMs));
      }
      if (recent.length >= options.allowedFails) {
        cooling.set(id, Math.max(cooling.get(id) ?? 0, now + options.cooldownMs));
        failures.delete(id);
      }
    },
    succeeded(id) {
      failures.delete(id);
    },
    coolingUntil(id, now) {
      const until = cooling.get(id);
      if (until === undefined) return undefined;
      if (until <= now) {
        cooling.delete(id);
        return undefined;
      }
      return until;
    },
  };
}
