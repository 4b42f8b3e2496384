import { contentWords } from './content-words.js';

/**
 * Whether an answer states an expected fact, decided without an LLM: the fact's content words (see
 * `contentWords`: case and punctuation normalised, stopwords dropped, light stemming, hyphens split) are
 * looked up among the answer's, and the fact is supported when the share found reaches the threshold.
 *
 * The default threshold, 0.75, means: a fact of one, two or three content words needs all of them; four
 * words need three; five need four. So "UDP is connectionless" is not supported by "UDP is
 * connection-oriented", and "TCP guarantees delivery" is not supported by "UDP guarantees delivery".
 *
 * Known limits, stated once: it is lexical (a synonym such as "ensures" for "guarantees" is a miss), and it
 * looks at the whole answer, not sentence by sentence (words of a fact spread over unrelated sentences count).
 */
export const factSupportThreshold = 0.75;

/** The verdict on one fact, with what a rationale needs. */
export type FactCheck = {
  readonly fact: string;
  readonly supported: boolean;
  /** Share of the fact's distinct content words found in the answer, 0..1 (0 for a fact with none). */
  readonly share: number;
  /** Stemmed content words found, and those missing (stems such as `guarante`, meant for rationales). */
  readonly matched: readonly string[];
  readonly missing: readonly string[];
};

export type FactCoverage = {
  readonly supported: number;
  readonly total: number;
  readonly perFact: readonly FactCheck[];
};

export type FactCoverageOptions = { readonly threshold?: number | undefined };

/** Checks one fact against the set of an answer's content words. */
function checkAgainst(fact: string, answerWords: ReadonlySet<string>, threshold: number): FactCheck {
  const words = [...new Set(contentWords(fact))];
  const matched = words.filter((word) => answerWords.has(word));
  const missing = words.filter((word) => !answerWords.has(word));
  const share = words.length === 0 ? 0 : matched.length / words.length;
  // A fact with no content words ("it is") cannot be checked, so it is never supported.
  const supported = words.length > 0 && share >= threshold - 1e-9;
  return { fact, supported, share, matched, missing };
}

function thresholdOf(options: FactCoverageOptions): number {
  const threshold = options.threshold ?? factSupportThreshold;
  if (!(threshold > 0 && threshold <= 1))
    throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  return threshold;
}

/** Whether `answer` supports one expected `fact`, with the share and the matched and missing words. */
export function checkFact(fact: string, answer: string, options: FactCoverageOptions = {}): FactCheck {
  return checkAgainst(fact, new Set(contentWords(answer)), thresholdOf(options));
}

/** How many of `facts` `answer` supports, and the verdict on each, in order. */
export function factCoverage(
  facts: readonly string[],
  answer: string,
  options: FactCoverageOptions = {},
): FactCoverage {
  const threshold = thresholdOf(options);
  const answerWords = new Set(contentWords(answer));
  const perFact = facts.map((fact) => checkAgainst(fact, answerWords, threshold));
  return { supported: perFact.filter((check) => check.supported).length, total: facts.length, perFact };
}
