import { afterAll, describe, expect, it } from 'vitest';
import { createOpenAICompatibleChatModel } from '../../providers/openai-compatible-chat-model.js';
import { startFakeOpenAIServer } from '../../testing/index.js';
import type { EvalRow } from '../eval-row.js';
import { evaluate } from '../evaluate.js';
import { customScorer } from '../scorers/custom-scorer.js';
import { correctness } from './judges.js';
import { repeatedJudge, unanimous } from './repeated-judge.js';

// A judge that flips: for the first question it says yes, no, yes (votes disagree); for the second, always yes.
let calls = 0;
const server = await startFakeOpenAIServer({
  reply: (request) => {
    const prompt = (request.body as { messages: { content: string }[] }).messages
      .map((m) => m.content)
      .join('\n');
    if (!prompt.includes('frugal-judge')) return { text: 'an answer' };
    const first = prompt.includes('first question');
    const yes = first ? calls++ % 2 === 0 : true;
    return {
      text: JSON.stringify({
        facts: [{ fact: 'f', supported: yes }],
        rationale: 'r',
        verdict: yes ? 'yes' : 'no',
      }),
    };
  },
});
afterAll(() => server.close());

const rows: EvalRow[] = ['first question', 'second question'].map((question, index) => ({
  id: `q${index + 1}`,
  index,
  inputs: { question },
  expectations: { expected_facts: ['f'] },
}));
const model = (name: string) =>
  createOpenAICompatibleChatModel({ model: name, baseUrl: server.baseURL, apiKey: 'k' });

describe('repeatedJudge', () => {
  it('takes the majority of its votes, keeps them, and the run reports how often the judge agreed with itself', async () => {
    const result = await evaluate({
      data: rows,
      candidate: { name: 'mini', model: model('gpt-4o-mini') },
      scorers: [repeatedJudge(correctness({ model: model('gpt-4o') }), 3)],
      concurrency: 1,
    });
    const [first, second] = result.rows;
    expect(first?.scores['correctness']?.value).toBe(true);
    expect(first?.scores['correctness']?.details?.['votes']).toEqual([true, false, true]);
    expect(second?.scores['correctness']?.details?.['votes']).toEqual([true, true, true]);
    expect(result.metrics['correctness/agreement']).toBe(0.5);
    expect(result.metrics['correctness/mean']).toBe(1);
    // Every vote is a judge call, costed: 3 per answer.
    expect(result.judgeCost).toBeGreaterThan(0n);
  });

  it.each([
    [[true, false, false], false],
    [[true, false], false],
    [[true, true, false], true],
  ])('a pass-fail majority of %j is %s (a tie fails)', async (votes, expected) => {
    let vote = 0;
    const scorer = repeatedJudge(
      customScorer('v', 'pass-fail', () => votes[vote++ % votes.length] as boolean),
      votes.length,
    );
    const score = await scorer.score({ row: rows[0] as EvalRow, prediction: { text: '' } });
    expect(score.value).toBe(expected);
  });

  it('averages numeric votes, leaves error votes out, and is one error only when every vote is', async () => {
    let vote = 0;
    const values = [0.5, undefined, 1];
    const scorer = repeatedJudge(
      customScorer('n', 'numeric', () => {
        const value = values[vote++ % 3];
        if (value === undefined) throw new Error('judge timed out');
        return value;
      }),
      3,
    );
    const score = await scorer.score({ row: rows[0] as EvalRow, prediction: { text: '' } });
    expect(score.value).toBe(0.75);
    expect(score.details).toMatchObject({ votes: [0.5, 1], failedVotes: 1 });
    const failing = repeatedJudge(
      customScorer('e', 'numeric', () => {
        throw new Error('down');
      }),
      2,
    );
    expect((await failing.score({ row: rows[0] as EvalRow, prediction: { text: '' } })).error).toMatch(
      /down/,
    );
    expect(unanimous({ votes: [true] })).toBeUndefined();
    expect(() => repeatedJudge(failing, 0)).toThrow(RangeError);
  });
});
