import { z } from 'zod';
import type { JudgeCase } from './judge-prompt.js';

const verdict = z.enum(['yes', 'no']);
const base = z.looseObject({ rationale: z.string(), verdict });
const correctnessReply = base.extend({
  facts: z.array(
    z.looseObject({ fact: z.string(), supported: z.boolean(), rationale: z.string().optional() }),
  ),
});
const completenessReply = base.extend({
  requests: z.array(z.looseObject({ request: z.string(), addressed: z.boolean() })),
});

/** A judge's verdict once read: pass or fail, why, and the per-fact or per-request detail. */
export type JudgeVerdict = {
  readonly pass: boolean;
  readonly rationale: string;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
};

/** The JSON object in a reply: the whole reply, or inside a code fence, or from its first `{` to its last `}`. */
function jsonIn(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n?```/.exec(trimmed);
  const candidates = [
    trimmed,
    fenced?.[1],
    trimmed.slice(trimmed.indexOf('{'), trimmed.lastIndexOf('}') + 1),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate);
    } catch {}
  }
  throw new Error('the reply holds no JSON object');
}

const issues = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.join('.') || 'reply'}: ${issue.message}`).join('; ');

/**
 * Reads a judge's reply, or throws saying what is wrong with it (the caller asks again, then records an error).
 * Correctness must give one verdict per expected fact, in order: its verdict is "every fact supported", whatever
 * the overall word says.
 */
export function readJudgeReply(judgeCase: JudgeCase, text: string): JudgeVerdict {
  const value = jsonIn(text);
  if (judgeCase.scorer === 'correctness' && judgeCase.expected_facts !== undefined) {
    const parsed = correctnessReply.safeParse(value);
    if (!parsed.success) throw new Error(issues(parsed.error));
    const expected = judgeCase.expected_facts;
    if (parsed.data.facts.length !== expected.length) {
      throw new Error(`expected ${expected.length} fact verdicts, got ${parsed.data.facts.length}`);
    }
    const facts = expected.map((fact, index) => {
      const given = parsed.data.facts[index] as { supported: boolean; rationale?: string | undefined };
      return { fact, supported: given.supported, ...(given.rationale ? { rationale: given.rationale } : {}) };
    });
    return {
      pass: facts.every((fact) => fact.supported),
      rationale: parsed.data.rationale,
      details: { facts },
    };
  }
  if (judgeCase.scorer === 'completeness') {
    const parsed = completenessReply.safeParse(value);
    if (!parsed.success) throw new Error(issues(parsed.error));
    const { requests } = parsed.data;
    const pass =
      requests.length > 0 ? requests.every((request) => request.addressed) : parsed.data.verdict === 'yes';
    return {
      pass,
      rationale: parsed.data.rationale,
      details: { requests: requests.map(({ request, addressed }) => ({ request, addressed })) },
    };
  }
  const parsed = base.safeParse(value);
  if (!parsed.success) throw new Error(issues(parsed.error));
  return { pass: parsed.data.verdict === 'yes', rationale: parsed.data.rationale };
}
