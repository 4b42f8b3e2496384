import { describe, expect, it } from 'vitest';
import { seed000Questions } from '../../../test/fixtures/seed-000-questions.js';
import type { JudgeCase } from '../../core/evals/judge-protocol.js';
import { factCoverage } from '../../core/text/fact-coverage.js';
import type { GenerateRequest } from '../chat-model.js';
import { createSimulatorChatModel } from './create-simulator-chat-model.js';

const judgePrompt = (request: Record<string, unknown>): GenerateRequest => ({
  messages: [
    { role: 'system', content: 'You are a strict grader. Reply with one JSON object.' },
    {
      role: 'user',
      content: `Grade this answer.\n\n\`\`\`frugal-judge\n${JSON.stringify(request, null, 2)}\n\`\`\`\n`,
    },
  ],
  responseFormat: 'json',
});

async function verdictOf(request: JudgeCase, options = {}): Promise<Record<string, unknown>> {
  const result = await createSimulatorChatModel('sim/judge', options).generate(judgePrompt(request));
  expect(result.simulated).toBe(true);
  return JSON.parse(result.text) as Record<string, unknown>;
}

const expectCommonShape = (verdict: Record<string, unknown>) => {
  expect(['yes', 'no']).toContain(verdict['verdict']);
  expect(typeof verdict['rationale']).toBe('string');
};

describe('the simulated judge', () => {
  it('correctness: per-fact verdicts that agree with fact coverage, yes iff every fact is supported', async () => {
    const answerers = ['sim/small', 'sim/medium', 'sim/large'];
    let yes = 0;
    let no = 0;
    for (const name of answerers) {
      const answerer = createSimulatorChatModel(name, { seed: 3, knowledge: seed000Questions });
      for (const { question, facts } of seed000Questions) {
        const answer = (await answerer.generate({ messages: [{ role: 'user', content: question }] })).text;
        const verdict = await verdictOf({
          scorer: 'correctness',
          question,
          answer,
          expected_facts: [...facts],
        });
        expectCommonShape(verdict);
        const coverage = factCoverage(facts, answer);
        expect(verdict['facts']).toEqual(
          coverage.perFact.map((check) => ({
            fact: check.fact,
            supported: check.supported,
            rationale: expect.any(String),
          })),
        );
        expect(verdict['verdict']).toBe(coverage.supported === coverage.total ? 'yes' : 'no');
        if (verdict['verdict'] === 'yes') yes += 1;
        else no += 1;
      }
    }
    expect(yes).toBeGreaterThan(0);
    expect(no).toBeGreaterThan(0);
  });

  it('correctness falls back to the key phrases of expected_response, and says no with nothing to check', async () => {
    const verdict = await verdictOf({
      scorer: 'correctness',
      question: 'What is TCP?',
      answer: 'TCP is connection-oriented and guarantees delivery.',
      expected_response: 'TCP is connection-oriented; TCP guarantees delivery.',
    });
    expect(verdict['verdict']).toBe('yes');
    const empty = await verdictOf({ scorer: 'correctness', question: 'q', answer: 'a' });
    expect(empty).toMatchObject({ verdict: 'no', facts: [] });
  });

  it('completeness: one entry per explicit request, addressed by content-word overlap', async () => {
    const question = 'What is a race condition and how can it be prevented?';
    const partial = await verdictOf({
      scorer: 'completeness',
      question,
      answer: 'A race condition is when the outcome depends on timing.',
    });
    expect(partial).toEqual({
      verdict: 'no',
      rationale: expect.stringContaining('not addressed'),
      requests: [
        { request: 'What is a race condition', addressed: true },
        { request: 'how can it be prevented?', addressed: false },
      ],
    });
    const full = await verdictOf({
      scorer: 'completeness',
      question,
      answer: 'A race condition is when the outcome depends on timing. Locks prevent it.',
    });
    expect(full['verdict']).toBe('yes');
  });

  it('relevance_to_query: overlap of the question key words with the answer', async () => {
    const question = 'How does garbage collection work in Java?';
    const relevant = await verdictOf({
      scorer: 'relevance_to_query',
      question,
      answer: 'Java garbage collection reclaims memory.',
    });
    const off = await verdictOf({
      scorer: 'relevance_to_query',
      question,
      answer: 'Paris is the capital of France.',
    });
    expect(relevant).toEqual({ verdict: 'yes', rationale: expect.stringContaining('%') });
    expect(off['verdict']).toBe('no');
  });

  it('equivalence: every key phrase of the expected response is supported', async () => {
    const expected_response = 'UDP is connectionless, TCP guarantees delivery.';
    const same = await verdictOf({
      scorer: 'equivalence',
      question: 'TCP vs UDP?',
      answer: 'TCP guarantees delivery while UDP is connectionless.',
      expected_response,
    });
    const different = await verdictOf({
      scorer: 'equivalence',
      question: 'TCP vs UDP?',
      answer: 'UDP guarantees delivery.',
      expected_response,
    });
    expect(same).toEqual({ verdict: 'yes', rationale: expect.any(String) });
    expect(different['verdict']).toBe('no');
  });

  it('guidelines: each checked, yes iff all are met', async () => {
    const verdict = await verdictOf({
      scorer: 'guidelines',
      question: 'q',
      answer: 'Use `git rebase`. It rewrites history.',
      guidelines: ['Answer in 1-3 sentences', 'Do not include code'],
    });
    expect(verdict).toEqual({
      verdict: 'no',
      rationale: expect.stringContaining("not met: 'Do not include code'"),
      guidelines: [
        { guideline: 'Answer in 1-3 sentences', met: true, rationale: expect.any(String) },
        { guideline: 'Do not include code', met: false, rationale: 'the answer contains code' },
      ],
    });
  });

  it('is deterministic, and a prompt without a judge block gets a normal answer', async () => {
    const request = {
      scorer: 'relevance_to_query',
      question: 'What is UDP?',
      answer: 'UDP is a protocol.',
    } as const;
    expect(await verdictOf(request)).toEqual(await verdictOf(request));
    const plain = await createSimulatorChatModel('sim/judge').generate({
      messages: [{ role: 'user', content: 'What is UDP?' }],
    });
    expect(() => JSON.parse(plain.text)).toThrow();
  });

  it('refuses a judge block that is not the documented JSON', async () => {
    const judge = createSimulatorChatModel('sim/judge');
    const bad = (block: string) =>
      judge.generate({ messages: [{ role: 'user', content: `\`\`\`frugal-judge\n${block}\n\`\`\`` }] });
    await expect(bad('{not json')).rejects.toThrow(/not JSON/);
    await expect(bad('{"scorer": "taste", "question": "q", "answer": "a"}')).rejects.toThrow(/"scorer"/);
    await expect(bad('{"scorer": "correctness", "question": "q"}')).rejects.toThrow(/"answer"/);
    await expect(
      bad('{"scorer": "guidelines", "question": "q", "answer": "a", "guidelines": "short"}'),
    ).rejects.toThrow(/"guidelines"/);
  });
});
