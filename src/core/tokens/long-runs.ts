/** Character classes whose runs a tokenizer's pre-tokenizer keeps together: letters (with marks), symbols, space. */
const other = 0;
const letter = 1;
const symbol = 2;
const space = 3;

const letterPattern = /^[\p{L}\p{M}]$/u;
const numberPattern = /^\p{N}$/u;
const spacePattern = /^\s$/u;

function classOf(character: string): number {
  if (letterPattern.test(character)) return letter;
  if (numberPattern.test(character)) return other;
  return spacePattern.test(character) ? space : symbol;
}

let basicPlane: Uint8Array | undefined;

/** The class of every UTF-16 code unit, computed once (about 15 ms) the first time a long text is scanned. */
function basicPlaneClasses(): Uint8Array {
  if (basicPlane === undefined) {
    basicPlane = new Uint8Array(0x10000);
    for (let code = 0; code < 0x10000; code++) basicPlane[code] = classOf(String.fromCharCode(code));
  }
  return basicPlane;
}

/** Classes of characters beyond the basic plane seen so far (emoji, rare CJK): kept small. */
const astralClasses = new Map<number, number>();

function astralClass(codePoint: number): number {
  let found = astralClasses.get(codePoint);
  if (found === undefined) {
    found = classOf(String.fromCodePoint(codePoint));
    if (astralClasses.size < 4096) astralClasses.set(codePoint, found);
  }
  return found;
}

/** The class of the character at `index` (both halves of a surrogate pair get the pair's class). */
function classAt(text: string, index: number, classes: Uint8Array): number {
  const code = text.charCodeAt(index);
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    if (next >= 0xdc00 && next <= 0xdfff)
      return astralClass((code - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000);
  } else if (code >= 0xdc00 && code <= 0xdfff) {
    const previous = text.charCodeAt(index - 1);
    if (previous >= 0xd800 && previous <= 0xdbff) return classAt(text, index - 1, classes);
  }
  return classes[code]!;
}

/**
 * Where `text` has a run of more than `maxRunLength` code units of letters (and marks), of symbols or of
 * white space: `[start, end)` pairs in order. Digits break runs (every tokenizer here splits them into
 * groups of at most three).
 *
 * It reads one character in `step` = (maxRunLength + 1) / 2, not all of them: a run longer than
 * `maxRunLength` covers two consecutive sample points and everything between them, so only where two
 * samples share a class is the stretch between them checked (usually a few characters, since real runs are
 * short), and only a stretch that is one class throughout is widened to its whole run. On ordinary text
 * this costs next to nothing beside tokenizing; on a hostile text it stays linear.
 */
export function longRuns(text: string, maxRunLength: number): [number, number][] {
  const classes = basicPlaneClasses();
  const step = Math.max(1, Math.floor((maxRunLength + 1) / 2));
  const runs: [number, number][] = [];
  let sample = 0;
  while (sample + step < text.length) {
    const next = sample + step;
    const runClass = classAt(text, sample, classes);
    if (runClass === other || classAt(text, next, classes) !== runClass) {
      sample = next;
      continue;
    }
    let probe = sample + 1;
    while (probe < next && classAt(text, probe, classes) === runClass) probe++;
    if (probe < next) {
      sample = next;
      continue;
    }
    let start = sample;
    while (start > 0 && classAt(text, start - 1, classes) === runClass) start--;
    let end = next + 1;
    while (end < text.length && classAt(text, end, classes) === runClass) end++;
    if (end - start > maxRunLength) runs.push([start, end]);
    sample = Math.ceil(end / step) * step;
  }
  return runs;
}
