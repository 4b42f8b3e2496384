import { nameTokens, splitRegionPrefix, splitSnapshot, squashedBase } from './model-name.js';

/** A model id with how well it matches a query, from 0 (nothing in common) to 1 (the same id). */
export type RankedName = { readonly id: string; readonly score: number };

/**
 * Ranks ids by closeness to a query, best first: the same id, then the same name once separators and
 * provider prefixes are ignored (`gpt4o` ~ `gpt-4o`), then ids containing the query, then a blend of edit
 * distance (Damerau, on separator-free names, also against the id without its snapshot date) and word
 * overlap. Ties go to the shorter id, so first-party ids come before gateway copies of them.
 */
export function rankModelNames(query: string, ids: readonly string[], limit: number): RankedName[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const squashedQuery = squashedBase(needle);
  const queryTokens = new Set(nameTokens(needle));
  const ranked: RankedName[] = [];
  for (const id of ids) {
    const score = scoreName(needle, squashedQuery, queryTokens, id);
    if (score > 0) ranked.push({ id, score });
  }
  ranked.sort((a, b) => b.score - a.score || a.id.length - b.id.length || (a.id < b.id ? -1 : 1));
  return ranked.slice(0, limit);
}

function scoreName(
  needle: string,
  squashedQuery: string,
  queryTokens: ReadonlySet<string>,
  id: string,
): number {
  const lower = id.toLowerCase();
  if (lower === needle) return 1;
  const variants = new Set([squashedBase(lower)]);
  const region = splitRegionPrefix(lower.slice(lower.lastIndexOf('/') + 1));
  if (region) variants.add(squashedBase(region.rest));
  const snapshot = splitSnapshot(lower);
  if (snapshot) variants.add(squashedBase(snapshot.base));
  if (variants.has(squashedQuery)) return 0.95 - 0.001 * segments(lower);
  if (lower.includes(needle)) return 0.7 + 0.2 * (needle.length / lower.length);
  let similarity = 0;
  for (const variant of variants) {
    const longest = Math.max(variant.length, squashedQuery.length);
    if (longest === 0) continue;
    similarity = Math.max(similarity, 1 - editDistance(squashedQuery, variant) / longest);
  }
  const idTokens = new Set(nameTokens(lower));
  const shared = [...idTokens].filter((token) => queryTokens.has(token)).length;
  const overlap = shared / Math.max(queryTokens.size, 1);
  return Math.max(0, 0.6 * similarity + 0.3 * overlap - 0.001 * segments(lower));
}

function segments(id: string): number {
  return id.split('/').length - 1;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let beforePrevious = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      }
      current[j] = best;
    }
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length]!;
}
