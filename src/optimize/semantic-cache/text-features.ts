import { isStopword, stemWord } from '../../core/text/content-words.js';

/** A weighted feature of a text: its name (hashed into a vector slot) and how much it counts. */
export type TextFeatures = ReadonlyMap<string, number>;

/** Weights of the three kinds of feature, chosen on the Quora pairs (see local-hash-embedder.ts). */
const wordWeight = 1;
const bigramWeight = 0.5;
const gramWeight = 0.5;
const gramLengths = [3, 4] as const;

/**
 * Lower-case words in any script: NFKC (so full-width letters and ligatures fold), curly apostrophes made
 * straight, `can't`/`won't`/`n't` expanded to keep negations, and every character that is not a letter or a
 * digit a separator.
 */
export function unicodeWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\bcan(?:'t|not)\b/g, 'can not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/n't\b/g, ' not')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/**
 * The features the local embedder hashes, with their summed weights:
 * - `w:` each content word (stopwords dropped, negations kept), stemmed: `improves` and `improving` match;
 * - `b:` each pair of adjacent content words: word order counts a little;
 * - `c3:`/`c4:` the character 3- and 4-grams of each content word framed as `<word>`: misspellings,
 *   compounds and scripts written without spaces still share most of their grams.
 * A text with no content word at all (only stopwords or punctuation) gets one feature, its trimmed text, so
 * that its vector is still a unit vector that matches only the same text.
 */
export function textFeatures(text: string): TextFeatures {
  const features = new Map<string, number>();
  const add = (name: string, weight: number) => features.set(name, (features.get(name) ?? 0) + weight);
  const words = unicodeWords(text).filter((word) => !isStopword(word));
  const stems = words.map(stemWord);
  stems.forEach((stem, index) => {
    add(`w:${stem}`, wordWeight);
    if (index > 0) add(`b:${stems[index - 1]} ${stem}`, bigramWeight);
  });
  for (const word of words) {
    const framed = `<${word}>`;
    for (const length of gramLengths) {
      for (let start = 0; start + length <= framed.length; start++) {
        add(`c${length}:${framed.slice(start, start + length)}`, gramWeight);
      }
    }
  }
  if (features.size === 0) add(`t:${text.trim()}`, 1);
  return features;
}
