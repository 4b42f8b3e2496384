import type { Embedder } from '../embedder.js';
import { type LearnedRouter, scorePrompts } from './learned-router.js';

/** Where a prompt goes and why: the router's number against its threshold. */
export type PromptRoute = { readonly model: string; readonly score: number; readonly reason: string };

/** Routes one prompt with a learned router: strong when its number is at or above the threshold. */
export function createPromptRouter(
  router: LearnedRouter,
  embedder: Embedder,
): (prompt: string, signal?: AbortSignal) => Promise<PromptRoute> {
  return async (prompt, signal) => {
    const [score] = await scorePrompts(router, embedder, [prompt], signal);
    const strong = score! >= router.threshold;
    const comparison = strong ? '≥' : '<';
    return {
      model: strong ? router.strong : router.weak,
      score: score!,
      reason: `learned ${router.kind} router: ${score!.toFixed(4)} ${comparison} threshold ${router.threshold.toFixed(4)}`,
    };
  };
}

/** One tier of a complexity rule table: its model, and the most a prompt may be to stay in it. */
export type ComplexityTier = {
  readonly model: string;
  /** Prompts with more estimated tokens (characters / 4) skip this tier. */
  readonly maxPromptTokens?: number | undefined;
  /** Prompts matching this (case-insensitive) skip this tier: words that mark harder work ("prove", "refactor"). */
  readonly skipIf?: RegExp | undefined;
};

/**
 * The seed's three-tier complexity router as a rule table: the first tier whose limits the prompt fits
 * answers it (simple → cheap model, medium → mid model, complex → the strongest); the last tier takes the
 * rest. Rules, not learning: cheap and transparent, to be checked against an evaluation like any router.
 */
export function routeByTiers(tiers: readonly ComplexityTier[], prompt: string): PromptRoute {
  if (tiers.length === 0) throw new RangeError('a tier table needs at least one tier');
  const tokens = Math.ceil(prompt.length / 4);
  for (const [index, tier] of tiers.entries()) {
    const tooLong = tier.maxPromptTokens !== undefined && tokens > tier.maxPromptTokens;
    const matched = tier.skipIf?.test(prompt) ?? false;
    if (index < tiers.length - 1 && (tooLong || matched)) continue;
    return {
      model: tier.model,
      score: index,
      reason: `tier ${index + 1} of ${tiers.length} (~${tokens} prompt tokens)`,
    };
  }
  throw new Error('unreachable: the last tier takes every prompt');
}
