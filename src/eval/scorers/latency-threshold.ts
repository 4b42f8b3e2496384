import type { Scorer } from '../scorer.js';
import type { ScorerOptions } from './scorer-options.js';

/**
 * Passes when the candidate answered within `limitMs` milliseconds. A response without a fresh latency (served
 * from the run cache, or never timed) is an error: a cache hit says nothing about the model's speed.
 */
export function latencyThreshold(limitMs: number, options: ScorerOptions = {}): Scorer {
  if (!(Number.isFinite(limitMs) && limitMs >= 0))
    throw new RangeError(`limitMs must be a number ≥ 0, got ${limitMs}`);
  return {
    name: options.name ?? 'latency_threshold',
    kind: 'pass-fail',
    usesJudge: false,
    async score({ prediction }) {
      const latency = prediction.latencyMs;
      if (latency === undefined) {
        return {
          value: undefined,
          error: prediction.cached
            ? 'served from the run cache: no fresh latency to judge'
            : 'no latency was recorded',
        };
      }
      const details = { latencyMs: latency, limitMs };
      return latency <= limitMs
        ? { value: true, details }
        : { value: false, rationale: `took ${latency} ms, over the limit of ${limitMs} ms`, details };
    },
  };
}
