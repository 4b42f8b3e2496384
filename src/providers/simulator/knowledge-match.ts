import { contentWords } from '../../core/text/content-words.js';

/** What the simulator "knows" about a question: the facts a good answer states. */
export type KnowledgeEntry = { readonly question: string; readonly facts: readonly string[] };

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?.!]+$/, '')
    .trim();

/** Jaccard overlap of two texts' content words, 0..1. */
function overlap(a: string, b: string): number {
  const left = new Set(contentWords(a));
  const right = new Set(contentWords(b));
  if (left.size === 0 || right.size === 0) return 0;
  const shared = [...left].filter((word) => right.has(word)).length;
  return shared / (left.size + right.size - shared);
}

/**
 * The entry a prompt asks about: one whose question the prompt contains verbatim (case and spacing aside;
 * the longest such), else the one with the highest content-word overlap, if that reaches `minimumOverlap`.
 */
export function findKnowledge(
  prompt: string,
  knowledge: readonly KnowledgeEntry[],
  minimumOverlap = 0.6,
): KnowledgeEntry | undefined {
  const text = normalise(prompt);
  const contained = knowledge
    .filter((entry) => normalise(entry.question) !== '' && text.includes(normalise(entry.question)))
    .sort((a, b) => b.question.length - a.question.length);
  if (contained[0]) return contained[0];
  let best: KnowledgeEntry | undefined;
  let bestScore = minimumOverlap;
  for (const entry of knowledge) {
    const score = overlap(prompt, entry.question);
    if (score >= bestScore && (best === undefined || score > bestScore)) {
      best = entry;
      bestScore = score;
    }
  }
  return best;
}
