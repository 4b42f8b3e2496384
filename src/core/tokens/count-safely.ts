import type { CountText } from './load-tokenizer.js';
import { longRuns } from './long-runs.js';

/**
 * Default guard for untrusted text: the longest run of letters, of symbols or of white space that is
 * tokenized whole. Every BPE here merges one pre-token in time that grows with the square of its length
 * (100,000 'a' in one word takes gpt-tokenizer ~10 s), and a pre-token is at most one such run. Real text
 * rarely has runs this long (the longest in the 1,222-text sample the tests read is 22), so ordinary counts
 * stay exact. The worst text for this limit, 200,000 characters of distinct 500-letter runs, counts exactly
 * in 0.2 s (gpt-tokenizer) to 0.8 s (transformers.js, DeepSeek-V3) on the 2-core machine of MEASUREMENTS.md.
 */
export const defaultMaxRunLength = 500;

/** A count, and how many runs had to be cut to get it (0 means the count is the tokenizer's own). */
export type GuardedCount = { readonly tokens: number; readonly cutRuns: number };

/**
 * Length of the pieces a long run is cut into. Shorter than the limit because a piece's cost grows with the
 * square of its length: 100 keeps 200,000 characters under a second in the slowest tokenizer here
 * (transformers.js), at a cost of about one token per piece in accuracy.
 */
const pieceLength = 100;

/** Counts a long run in pieces of at most `length` code units, never splitting a surrogate pair. */
function countRun(run: string, count: CountText, length: number): number {
  let tokens = 0;
  for (let start = 0; start < run.length; ) {
    let end = Math.min(start + length, run.length);
    const code = run.charCodeAt(end);
    if (end < run.length && code >= 0xdc00 && code <= 0xdfff) end -= 1;
    tokens += count(run.slice(start, end));
    start = end;
  }
  return tokens;
}

/**
 * Counts `text` with `count`, cutting every run longer than `maxRunLength` into pieces first so that the
 * time stays linear in the length of the text whatever it holds. With no such run (the usual case) this is
 * exactly `count(text)`; otherwise it is an estimate (about one token per 100-character piece too many:
 * within 5% on the runs tested) and `cutRuns` says how many runs were cut.
 */
export function countSafely(
  text: string,
  count: CountText,
  maxRunLength = defaultMaxRunLength,
): GuardedCount {
  if (!Number.isSafeInteger(maxRunLength) || maxRunLength < 1) {
    throw new RangeError(`maxRunLength must be a positive integer, got ${maxRunLength}`);
  }
  if (text.length <= maxRunLength) return { tokens: count(text), cutRuns: 0 };
  const runs = longRuns(text, maxRunLength);
  if (runs.length === 0) return { tokens: count(text), cutRuns: 0 };
  const piece = Math.min(pieceLength, maxRunLength);
  let tokens = 0;
  let start = 0;
  for (const [runStart, runEnd] of runs) {
    if (runStart > start) tokens += count(text.slice(start, runStart));
    tokens += countRun(text.slice(runStart, runEnd), count, piece);
    start = runEnd;
  }
  if (start < text.length) tokens += count(text.slice(start));
  return { tokens, cutRuns: runs.length };
}
