import type { JudgeCase } from '../../core/evals/judge-protocol.js';
import { contentWords } from '../../core/text/content-words.js';
import { factCoverage } from '../../core/text/fact-coverage.js';
import { checkGuideline } from './guideline-check.js';
import { splitRequests } from './split-requests.js';

/** The JSON object the simulated judge replies with: always `verdict` and `rationale`, plus per-scorer detail. */
export type JudgeVerdict = {
  readonly verdict: 'yes' | 'no';
  readonly rationale: string;
  readonly facts?: readonly { fact: string; supported: boolean; rationale: string }[];
  readonly requests?: readonly { request: string; addressed: boolean }[];
  readonly guidelines?: readonly { guideline: string; met: boolean; rationale: string }[];
};

/** Share of a request's (or question's) content words an answer must contain to address it. */
export const addressedShare = 0.5;

const yesNo = (value: boolean) => (value ? 'yes' : 'no');
const quoteList = (items: readonly string[]) => items.map((item) => `'${item}'`).join(', ');

/** Share of `text`'s distinct content words found in `answerWords` (1 when it has none). */
function shareIn(text: string, answerWords: ReadonlySet<string>): number {
  const words = [...new Set(contentWords(text))];
  return words.length === 0 ? 1 : words.filter((word) => answerWords.has(word)).length / words.length;
}

/** Key phrases of an expected response: its sentences and clauses (split at . ; : ! ? and commas). */
function keyPhrases(text: string): string[] {
  return text
    .split(/[.;:!?\n]+|,\s*/)
    .map((phrase) => phrase.trim())
    .filter((phrase) => contentWords(phrase).length > 0);
}

function factsVerdict(facts: readonly string[], answer: string, what: string): JudgeVerdict {
  const coverage = factCoverage(facts, answer);
  const perFact = coverage.perFact.map((check) => ({
    fact: check.fact,
    supported: check.supported,
    rationale: check.supported
      ? `stated (${check.matched.length} of ${check.matched.length + check.missing.length} key words found)`
      : `not stated (missing: ${check.missing.join(', ') || 'no checkable words'})`,
  }));
  const missing = perFact.filter((fact) => !fact.supported).map((fact) => fact.fact);
  const verdict = coverage.total > 0 && missing.length === 0;
  const rationale =
    coverage.total === 0
      ? `there are no ${what} to check the answer against`
      : `${coverage.supported} of ${coverage.total} ${what} are stated in the answer${missing.length ? `; not stated: ${quoteList(missing)}` : ''}.`;
  return { verdict: yesNo(verdict), rationale, facts: perFact };
}

/**
 * The simulated judge's verdict, computed offline by lexical heuristics (see `checkFact`, `splitRequests`,
 * `checkGuideline`). It is a stand-in for an LLM judge so that evaluations run offline, not a real judge:
 * - correctness: each expected fact (or key phrase of the expected response) checked by fact coverage;
 *   yes iff every one is supported;
 * - completeness: each explicit request of the question addressed when `addressedShare` of its content
 *   words appear in the answer; yes iff all are;
 * - relevance_to_query: yes when `addressedShare` of the question's content words appear in the answer;
 * - equivalence: yes iff every key phrase of the expected response is supported by the answer;
 * - guidelines: yes iff every guideline passes `checkGuideline`.
 */
export function judgeVerdict(request: JudgeCase): JudgeVerdict {
  const answerWords = new Set(contentWords(request.answer));
  switch (request.scorer) {
    case 'correctness': {
      const facts = request.expected_facts ?? keyPhrases(request.expected_response ?? '');
      return factsVerdict(facts, request.answer, 'expected facts');
    }
    case 'equivalence': {
      const { facts: _facts, ...verdict } = factsVerdict(
        keyPhrases(request.expected_response ?? ''),
        request.answer,
        'key phrases of the expected response',
      );
      return verdict;
    }
    case 'completeness': {
      const requests = splitRequests(request.question).map((text) => ({
        request: text,
        addressed: request.answer.trim() !== '' && shareIn(text, answerWords) >= addressedShare,
      }));
      const open = requests.filter((item) => !item.addressed).map((item) => item.request);
      const rationale = open.length
        ? `${requests.length - open.length} of ${requests.length} requests are addressed; not addressed: ${quoteList(open)}.`
        : `all ${requests.length} request(s) of the question are addressed.`;
      return { verdict: yesNo(requests.length > 0 && open.length === 0), rationale, requests };
    }
    case 'relevance_to_query': {
      const share = request.answer.trim() === '' ? 0 : shareIn(request.question, answerWords);
      const percent = Math.round(share * 100);
      return {
        verdict: yesNo(share >= addressedShare),
        rationale: `${percent}% of the question's key words appear in the answer (relevant from ${addressedShare * 100}%).`,
      };
    }
    case 'guidelines': {
      const guidelines = (request.guidelines ?? []).map((guideline) =>
        checkGuideline(guideline, request.answer),
      );
      const unmet = guidelines.filter((check) => !check.met).map((check) => check.guideline);
      const rationale = unmet.length
        ? `${guidelines.length - unmet.length} of ${guidelines.length} guidelines are met; not met: ${quoteList(unmet)}.`
        : `all ${guidelines.length} guideline(s) are met.`;
      return { verdict: yesNo(unmet.length === 0), rationale, guidelines };
    }
  }
}
