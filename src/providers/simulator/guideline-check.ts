import { contentWords, plainWords } from '../../core/text/content-words.js';
import { checkFact } from '../../core/text/fact-coverage.js';

/** Whether an answer meets one guideline, and why. */
export type GuidelineCheck = {
  readonly guideline: string;
  readonly met: boolean;
  readonly rationale: string;
};

/** Longest answer, in words, that counts as "concise", "brief", "short" or "succinct". */
export const conciseWordLimit = 120;

const metaWords = new Set(
  contentWords(
    'answer answers response responses respond reply write written use include should must always never ' +
      'tone style make sure ensure keep user question',
  ),
);

const sentencesOf = (text: string) => text.split(/[.!?]+(?:\s+|$)/).filter((part) => /[a-z0-9]/i.test(part));

/**
 * A heuristic stand-in for an LLM judging a guideline, NOT a real judge. It checks, in this order:
 * - "N-M sentences" / "N to M sentences": the answer's sentence count is in range;
 * - "at most / no more than / under / fewer than / less than N words|sentences": the count is within it;
 * - "concise", "brief", "short", "succinct": at most `conciseWordLimit` words;
 * - "no code" / "without code" / "avoid code" / "do not include code": no ``` fence and no `inline code`;
 * - "no bullet points" / "without lists": no line starting with -, *, • or "1." / "1)";
 * - "mention X" / "refer to X" / "cite X": X is supported as a fact (see `checkFact`);
 * - anything else: at least half of the guideline's content words (minus words such as "answer", "should")
 *   appear in the answer; a guideline with no such words is met.
 */
export function checkGuideline(guideline: string, answer: string): GuidelineCheck {
  const text = guideline.toLowerCase();
  const words = plainWords(answer).length;
  const sentences = sentencesOf(answer).length;
  const result = (met: boolean, rationale: string): GuidelineCheck => ({ guideline, met, rationale });

  const range = /(\d+)\s*(?:-|–|to)\s*(\d+)\s+sentences?/.exec(text);
  if (range) {
    const [low, high] = [Number(range[1]), Number(range[2])];
    return result(
      sentences >= low && sentences <= high,
      `${sentences} sentence(s); asked for ${low}-${high}`,
    );
  }
  const limit =
    /(at most|no more than|maximum of|under|fewer than|less than)\s+(\d+)\s+(word|sentence)s?/.exec(text);
  if (limit) {
    const count = limit[3] === 'word' ? words : sentences;
    const bound = Number(limit[2]);
    const strict = ['under', 'fewer than', 'less than'].includes(limit[1]!);
    const met = strict ? count < bound : count <= bound;
    return result(met, `${count} ${limit[3]}(s); asked for ${limit[1]} ${bound}`);
  }
  if (/\b(no|without|avoid|not include|never include)\b.*\bcode\b/.test(text)) {
    const hasCode = /```|`[^`\n]+`/.test(answer);
    return result(!hasCode, hasCode ? 'the answer contains code' : 'the answer contains no code');
  }
  if (/\b(no|without|avoid)\b.*\b(bullet|bullets|list|lists)\b/.test(text)) {
    const hasList = /^\s*(?:[-*•]|\d+[.)])\s+/m.test(answer);
    return result(!hasList, hasList ? 'the answer contains a list' : 'the answer contains no list');
  }
  if (/\b(concise|brief|short|succinct)\b/.test(text)) {
    return result(words <= conciseWordLimit, `${words} words; concise means at most ${conciseWordLimit}`);
  }
  const mention = /\b(?:mention|refer to|cite)\s+(.+)$/.exec(text);
  if (mention) {
    const check = checkFact(mention[1]!, answer);
    return result(
      check.supported,
      `mentions ${check.matched.length} of ${check.matched.length + check.missing.length} key words`,
    );
  }
  const keys = [...new Set(contentWords(guideline))].filter((word) => !metaWords.has(word));
  if (keys.length === 0) return result(true, 'nothing in the guideline can be checked offline');
  const answerWords = new Set(contentWords(answer));
  const found = keys.filter((word) => answerWords.has(word)).length;
  return result(
    found * 2 >= keys.length,
    `${found} of ${keys.length} guideline key words appear (keyword heuristic)`,
  );
}
