import { afterAll, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../core/errors.js';
import { createOpenAICompatibleChatModel } from '../../providers/openai-compatible-chat-model.js';
import {
  createSimulatorChatModel,
  type SimulatorOptions,
} from '../../providers/simulator/create-simulator-chat-model.js';
import { startFakeOpenAIServer } from '../../testing/index.js';
import { createTracer } from '../../tracing/create-tracer.js';
import { createMemorySink } from '../../tracing/memory-sink.js';
import type { EvalRow, Expectations } from '../eval-row.js';
import { createRunBudget } from '../run-budget.js';
import type { Score, Scorer } from '../scorer.js';
import type { JudgeCase } from './judge-prompt.js';
import { readJudgeReply } from './judge-reply.js';
import { completeness, correctness, equivalence, guidelines, relevanceToQuery } from './judges.js';
import type { JudgeOptions } from './llm-judge.js';

const server = await startFakeOpenAIServer({
  reply: () => ({ error: { status: 500, message: 'judge down' } }),
});
afterAll(() => server.close());

const judge = (options: SimulatorOptions = {}) => createSimulatorChatModel('sim/judge', options);

const row = (question: string, expectations: Expectations = {}): EvalRow => ({
  id: 'r1',
  index: 0,
  inputs: { question },
  expectations,
});

const indexQuestion = 'What is a database index?';
const indexFacts = ['data structure', 'faster reads', 'slower writes'];
const goodIndexAnswer =
  'A database index is a data structure that gives faster reads at the price of slower writes.';
const partialIndexAnswer = 'A database index is a data structure kept beside a table.';

/** Scores one answer inside a tracer's step, returning the score and the judge calls it made. */
async function scoreWith(scorer: Scorer, input: EvalRow, answer: string) {
  const sink = createMemorySink();
  const tracer = createTracer({ sink });
  const score = await tracer.trace('row', () => scorer.score({ row: input, prediction: { text: answer } }));
  return { score, calls: sink.spans.filter((span) => span.kind === 'llm') };
}

type JudgeTable = {
  readonly name: string;
  readonly scorer: (options: JudgeOptions) => Scorer;
  readonly metric: string;
  readonly row: EvalRow;
  readonly answer: string;
  readonly value: boolean;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  readonly rationale: RegExp;
};

const table: JudgeTable[] = [
  {
    name: 'correctness, every fact stated',
    scorer: correctness,
    metric: 'correctness',
    row: row(indexQuestion, { expected_facts: indexFacts }),
    answer: goodIndexAnswer,
    value: true,
    details: {
      facts: indexFacts.map((fact) => ({
        fact,
        supported: true,
        rationale: expect.stringMatching(/^stated/),
      })),
    },
    rationale: /3 of 3 expected facts/,
  },
  {
    name: 'correctness, one fact of three stated',
    scorer: correctness,
    metric: 'correctness',
    row: row(indexQuestion, { expected_facts: indexFacts }),
    answer: partialIndexAnswer,
    value: false,
    details: {
      facts: [
        { fact: 'data structure', supported: true, rationale: expect.stringMatching(/^stated/) },
        { fact: 'faster reads', supported: false, rationale: expect.stringMatching(/^not stated/) },
        { fact: 'slower writes', supported: false, rationale: expect.stringMatching(/^not stated/) },
      ],
    },
    rationale: /1 of 3 expected facts/,
  },
  {
    name: 'correctness against an expected response',
    scorer: correctness,
    metric: 'correctness',
    row: row(indexQuestion, { expected_response: 'A data structure; it gives faster reads.' }),
    answer: goodIndexAnswer,
    value: true,
    rationale: /are stated/,
  },
  {
    name: 'completeness, both requests addressed',
    scorer: completeness,
    metric: 'completeness',
    row: row('What is a database index and how does it speed up queries?'),
    answer: 'A database index is a sorted lookup structure; it can speed up queries by avoiding full scans.',
    value: true,
    details: {
      requests: [
        { request: 'What is a database index', addressed: true },
        { request: 'how does it speed up queries?', addressed: true },
      ],
    },
    rationale: /all 2 request/,
  },
  {
    name: 'completeness, one request left open',
    scorer: completeness,
    metric: 'completeness',
    row: row('What is a database index and how does it speed up queries?'),
    answer: 'A database index is a sorted lookup structure.',
    value: false,
    details: {
      requests: [
        { request: 'What is a database index', addressed: true },
        { request: 'how does it speed up queries?', addressed: false },
      ],
    },
    rationale: /1 of 2 requests are addressed/,
  },
  {
    name: 'relevance, on topic',
    scorer: relevanceToQuery,
    metric: 'relevance_to_query',
    row: row(indexQuestion),
    answer: goodIndexAnswer,
    value: true,
    rationale: /100% of the question's key words/,
  },
  {
    name: 'relevance, off topic',
    scorer: relevanceToQuery,
    metric: 'relevance_to_query',
    row: row(indexQuestion),
    answer: 'Bananas are rich in potassium.',
    value: false,
    rationale: /0% of the question's key words/,
  },
  {
    name: 'equivalence, same points',
    scorer: equivalence,
    metric: 'equivalence',
    row: row(indexQuestion, { expected_response: 'A data structure, giving faster reads.' }),
    answer: goodIndexAnswer,
    value: true,
    rationale: /key phrases/,
  },
  {
    name: 'equivalence, a point missing',
    scorer: equivalence,
    metric: 'equivalence',
    row: row(indexQuestion, { expected_response: 'A data structure, giving faster reads.' }),
    answer: partialIndexAnswer,
    value: false,
    rationale: /not stated: 'giving faster reads'/,
  },
  {
    name: 'guidelines, all met',
    scorer: (options) =>
      guidelines({ ...options, guidelines: ['Answer in at most 30 words.', 'Include no code.'] }),
    metric: 'guidelines',
    row: row(indexQuestion),
    answer: goodIndexAnswer,
    value: true,
    rationale: /all 2 guideline/,
  },
  {
    name: "guidelines, the row's own guideline broken",
    scorer: (options) => guidelines({ ...options, guidelines: ['Include no code.'], name: 'style' }),
    metric: 'style',
    row: row(indexQuestion, { guidelines: ['Mention slower writes.'] }),
    answer: partialIndexAnswer,
    value: false,
    rationale: /1 of 2 guidelines are met; not met: 'Mention slower writes.'/,
  },
];

describe('the LLM judges with sim/judge', () => {
  it.each(table)(
    '$name: $value',
    async ({ scorer, metric, row: input, answer, value, details, rationale }) => {
      const made = scorer({ model: judge() });
      expect(made).toMatchObject({ name: metric, kind: 'pass-fail', usesJudge: true });
      const { score, calls } = await scoreWith(made, input, answer);
      expect(score.error).toBeUndefined();
      expect(score.value).toBe(value);
      expect(score.rationale).toMatch(rationale);
      if (details === undefined) expect(score.details).toBeUndefined();
      else expect(score.details).toEqual(details);
      // One judge call, at temperature 0, asking for JSON with an output cap, on the judge's bill.
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        requestModel: 'sim/judge',
        simulated: true,
        cost: { status: 'priced' },
        attributes: { 'gen_ai.request.temperature': 0, 'gen_ai.request.max_tokens': 1024 },
      });
    },
  );

  it.each<{ name: string; scorer: Scorer; input: EvalRow; error: RegExp }>([
    {
      name: 'correctness without facts or a response',
      scorer: correctness({ model: judge() }),
      input: row(indexQuestion),
      error: /correctness needs expected_facts or expected_response in row 'r1'/,
    },
    {
      name: 'correctness with an empty fact list',
      scorer: correctness({ model: judge() }),
      input: row(indexQuestion, { expected_facts: [] }),
      error: /correctness needs expected_facts or expected_response/,
    },
    {
      name: 'equivalence without a response',
      scorer: equivalence({ model: judge() }),
      input: row(indexQuestion, { expected_facts: indexFacts }),
      error: /equivalence needs expected_response in row 'r1'/,
    },
    {
      name: 'guidelines with none at all',
      scorer: guidelines({ model: judge(), guidelines: [] }),
      input: row(indexQuestion),
      error: /at least one guideline/,
    },
  ])('$name gives an error score, not false, and asks no judge', async ({ scorer, input, error }) => {
    const { score, calls } = await scoreWith(scorer, input, goodIndexAnswer);
    expect(score.value).toBeUndefined();
    expect(score.value).not.toBe(false);
    expect(score.error).toMatch(error);
    expect(calls).toHaveLength(0);
  });

  it.each<{
    name: string;
    malformed: readonly number[];
    attempts: number;
    calls: number;
    score: Partial<Score>;
  }>([
    {
      name: 'a malformed first reply is asked again',
      malformed: [1],
      attempts: 3,
      calls: 2,
      score: { value: true },
    },
    {
      name: 'two malformed replies, then a good one',
      malformed: [1, 2],
      attempts: 3,
      calls: 3,
      score: { value: true },
    },
    {
      name: 'every reply malformed',
      malformed: [1, 2, 3],
      attempts: 3,
      calls: 3,
      score: { value: undefined, error: expect.stringMatching(/malformed 3 times/) },
    },
    {
      name: 'every reply malformed, four kinds',
      malformed: [1, 2, 3, 4],
      attempts: 4,
      calls: 4,
      score: {
        value: undefined,
        error: expect.stringMatching(/malformed 4 times \(.+ \| .+ \| .+ \| .+\)$/),
      },
    },
    {
      name: 'one attempt only',
      malformed: [1],
      attempts: 1,
      calls: 1,
      score: { value: undefined, error: expect.stringMatching(/malformed 1 times/) },
    },
  ])('$name: $calls judge calls', async ({ malformed, attempts, calls, score }) => {
    const scorer = correctness({ model: judge({ malformed: { calls: malformed } }), attempts });
    const result = await scoreWith(
      scorer,
      row(indexQuestion, { expected_facts: indexFacts }),
      goodIndexAnswer,
    );
    expect(result.score).toMatchObject(score);
    expect(result.calls).toHaveLength(calls);
    if (score.value === true) {
      expect(result.score.error).toBeUndefined();
      expect(result.score.details?.['facts']).toHaveLength(3);
    }
    // Every call, the malformed ones too, is a priced judge span: retries are paid for.
    for (const call of result.calls) expect(call.cost?.status).toBe('priced');
    // Each retry carries the conversation so far, so it is a different request.
    expect(new Set(result.calls.map((call) => call.requestHash)).size).toBe(calls);
  });

  it('gives an error score, not false, after one failed judge call', async () => {
    const model = createOpenAICompatibleChatModel({
      model: 'gpt-4o',
      baseUrl: server.baseURL,
      apiKey: 'k',
      maxRetries: 0,
    });
    const { score, calls } = await scoreWith(
      correctness({ model }),
      row(indexQuestion, { expected_facts: indexFacts }),
      goodIndexAnswer,
    );
    expect(score.value).toBeUndefined();
    expect(score.error).toMatch(/^the judge call failed: .*judge down/);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.status).toBe('error');
  });

  it('throws a budget refusal instead of scoring, so the run stops', async () => {
    const tracer = createTracer({ sink: createMemorySink(), admission: createRunBudget(1n, 0) });
    const scorer = correctness({ model: judge() });
    const error = await tracer
      .trace('row', () =>
        scorer.score({ row: row(indexQuestion, { expected_facts: indexFacts }), prediction: { text: 'x' } }),
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExceededError);
  });
});

const factsCase: JudgeCase = {
  scorer: 'correctness',
  question: indexQuestion,
  answer: partialIndexAnswer,
  expected_facts: ['data structure', 'faster reads'],
};
const factsReply = JSON.stringify({
  facts: [
    { fact: 'data structure', supported: true, rationale: 'said' },
    { fact: 'faster reads', supported: false },
  ],
  rationale: 'one of two',
  verdict: 'no',
});
const factsVerdict = {
  pass: false,
  rationale: 'one of two',
  details: {
    facts: [
      { fact: 'data structure', supported: true, rationale: 'said' },
      { fact: 'faster reads', supported: false },
    ],
  },
};
const plainCase: JudgeCase = { scorer: 'relevance_to_query', question: indexQuestion, answer: 'x' };
const plainReply = '{"rationale": "on topic", "verdict": "yes"}';

describe('readJudgeReply', () => {
  it.each<{ name: string; judgeCase: JudgeCase; text: string; verdict: unknown }>([
    { name: 'bare JSON', judgeCase: factsCase, text: factsReply, verdict: factsVerdict },
    {
      name: 'JSON in a json code fence inside prose',
      judgeCase: factsCase,
      text: `Here is my verdict.\n\n\`\`\`json\n${factsReply}\n\`\`\`\n\nLet me know if you need more.`,
      verdict: factsVerdict,
    },
    {
      name: 'JSON in a bare code fence',
      judgeCase: plainCase,
      text: `\`\`\`\n${plainReply}\n\`\`\``,
      verdict: { pass: true, rationale: 'on topic' },
    },
    {
      name: 'JSON inside prose, no fence',
      judgeCase: plainCase,
      text: `Sure. My verdict is ${plainReply} and that is final.`,
      verdict: { pass: true, rationale: 'on topic' },
    },
    {
      name: 'a pretty-printed reply with surrounding whitespace',
      judgeCase: plainCase,
      text: `\n\n${JSON.stringify({ verdict: 'no', rationale: 'off topic' }, null, 2)}\n  `,
      verdict: { pass: false, rationale: 'off topic' },
    },
    {
      name: 'correctness whose overall word says yes though a fact is unsupported: fail',
      judgeCase: factsCase,
      text: factsReply.replace('"verdict":"no"', '"verdict":"yes"'),
      verdict: factsVerdict,
    },
    {
      name: 'correctness facts named differently: the expected facts, in order, are kept',
      judgeCase: factsCase,
      text: JSON.stringify({
        facts: [
          { fact: 'DATA STRUCTURE', supported: true },
          { fact: 'reads are faster', supported: true },
        ],
        rationale: 'both',
        verdict: 'yes',
      }),
      verdict: {
        pass: true,
        rationale: 'both',
        details: {
          facts: [
            { fact: 'data structure', supported: true },
            { fact: 'faster reads', supported: true },
          ],
        },
      },
    },
    {
      name: 'correctness against an expected response: the overall word',
      judgeCase: { scorer: 'correctness', question: indexQuestion, answer: 'x', expected_response: 'y' },
      text: plainReply,
      verdict: { pass: true, rationale: 'on topic' },
    },
    {
      name: 'completeness: the per-request verdicts decide, extra fields dropped',
      judgeCase: { scorer: 'completeness', question: indexQuestion, answer: 'x' },
      text: JSON.stringify({
        requests: [{ request: 'what is it', addressed: false, note: 'extra' }],
        rationale: 'missed',
        verdict: 'yes',
      }),
      verdict: {
        pass: false,
        rationale: 'missed',
        details: { requests: [{ request: 'what is it', addressed: false }] },
      },
    },
    {
      name: 'completeness with no requests listed: the overall word',
      judgeCase: { scorer: 'completeness', question: indexQuestion, answer: 'x' },
      text: JSON.stringify({ requests: [], rationale: 'fine', verdict: 'yes' }),
      verdict: { pass: true, rationale: 'fine', details: { requests: [] } },
    },
  ])('reads $name', ({ judgeCase, text, verdict }) => {
    expect(readJudgeReply(judgeCase, text)).toEqual(verdict);
  });

  it.each<{ name: string; judgeCase: JudgeCase; text: string; error: RegExp }>([
    {
      name: 'too few fact verdicts',
      judgeCase: factsCase,
      text: JSON.stringify({
        facts: [{ fact: 'data structure', supported: true }],
        rationale: 'r',
        verdict: 'no',
      }),
      error: /expected 2 fact verdicts, got 1/,
    },
    {
      name: 'too many fact verdicts',
      judgeCase: factsCase,
      text: JSON.stringify({
        facts: [1, 2, 3].map((n) => ({ fact: `f${n}`, supported: true })),
        rationale: 'r',
        verdict: 'yes',
      }),
      error: /expected 2 fact verdicts, got 3/,
    },
    {
      name: 'correctness without facts',
      judgeCase: factsCase,
      text: plainReply,
      error: /facts/,
    },
    {
      name: 'prose only',
      judgeCase: plainCase,
      text: 'I think it is mostly right.',
      error: /no JSON object/,
    },
    { name: 'JSON cut off', judgeCase: plainCase, text: plainReply.slice(0, 20), error: /no JSON object/ },
    {
      name: 'a trailing comma',
      judgeCase: plainCase,
      text: '{"rationale": "r", "verdict": "yes",}',
      error: /no JSON object/,
    },
    { name: 'no verdict', judgeCase: plainCase, text: '{"rationale": "r"}', error: /verdict/ },
    {
      name: 'a verdict that is not yes or no',
      judgeCase: plainCase,
      text: '{"rationale": "r", "verdict": "maybe"}',
      error: /verdict/,
    },
    { name: 'no rationale', judgeCase: plainCase, text: '{"verdict": "yes"}', error: /rationale/ },
    {
      name: 'completeness without requests',
      judgeCase: { scorer: 'completeness', question: indexQuestion, answer: 'x' },
      text: plainReply,
      error: /requests/,
    },
  ])('rejects $name', ({ judgeCase, text, error }) => {
    expect(() => readJudgeReply(judgeCase, text)).toThrow(error);
  });
});
