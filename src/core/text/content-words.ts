/**
 * The words of a text that carry its meaning, in a form that survives inflection: the shared basis of the
 * lexical checks that stand in for an LLM (fact coverage, request overlap, relevance).
 *
 * Steps: lower case; contractions expanded (`can't`, `cannot` → `can not`; `n't` → ` not`); hyphens, slashes
 * and every other non-alphanumeric character split words (`connection-oriented` → `connection oriented`,
 * `TLS/SSL` → `tls ssl`); stopwords dropped (negations are kept: `not` changes what a fact says); each word
 * stemmed by `stemWord`.
 */

const stopwords = new Set(
  (
    'a an the and or but nor of to in on at by for with from as into onto over under about above below ' +
    'is are was were be been being am it its itself this that these those which who whom whose what when ' +
    'where why how there here their theirs they them then than so such can could will would shall should ' +
    'may might must do does did done doing has have had having also just only very really quite more most ' +
    'some any all each every both either neither other another same own i you he she we us our ours your ' +
    'yours my me mine him her hers his if while because up out off down again further once s t etc eg ie ' +
    'via per between through during before after within upon let lets'
  ).split(' '),
);

const consonantDoubles = /([bcdfghjkmnpqrtvwx])\1$/;
const hasVowel = /[aeiouy]/;

/** The plural (or third-person) ending removed: `queries` → `query`, `processes` → `process`, `objects` → `object`. */
function singular(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (/(ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** One derivational or tense ending removed: -ied, -ing, -ed (-eed keeps its `ee`), -ly, -ment. */
function withoutEnding(word: string): string {
  const undouble = (stem: string) => (consonantDoubles.test(stem) ? stem.slice(0, -1) : stem);
  if (word.endsWith('ied') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing')) {
    const stem = word.slice(0, -3);
    if (stem.length >= 3 && hasVowel.test(stem)) return undouble(stem);
  }
  if (word.endsWith('eed')) return word.length > 5 ? word.slice(0, -1) : word;
  if (word.endsWith('ed')) {
    const stem = word.slice(0, -2);
    if (stem.length >= 3 && hasVowel.test(stem)) return undouble(stem);
  }
  if (word.endsWith('ly') && word.length >= 6) return word.slice(0, -2);
  if (word.endsWith('ment') && word.length >= 8) return word.slice(0, -4);
  return word;
}

/**
 * A light stemmer (not Porter's; deliberately small): plural, then one of -ied/-ing/-ed/-ly/-ment, then a final
 * `e` (not `ee`). It only has to map the forms of one word to one key, so `improve`, `improves`, `improved` and
 * `improving` all become `improv`; the keys are not meant to be read.
 */
export function stemWord(word: string): string {
  const stem = withoutEnding(singular(word));
  return stem.length >= 4 && stem.endsWith('e') && !stem.endsWith('ee') ? stem.slice(0, -1) : stem;
}

/** Lower-case words with contractions expanded and every non-alphanumeric character a separator. */
export function plainWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\bcan(?:'t|not)\b/g, 'can not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/n't\b/g, ' not')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Whether a lower-case word is a stopword (negations such as `not`, `no`, `never` are not). */
export function isStopword(word: string): boolean {
  return stopwords.has(word);
}

/** The stemmed content words of `text`, in order, duplicates kept. */
export function contentWords(text: string): string[] {
  return plainWords(text)
    .filter((word) => !stopwords.has(word))
    .map(stemWord);
}
