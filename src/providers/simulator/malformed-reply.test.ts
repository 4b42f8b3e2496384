import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../chat-model.js';
import { createSimulatorChatModel } from './create-simulator-chat-model.js';

const request: GenerateRequest = {
  messages: [
    {
      role: 'user',
      content: `\`\`\`frugal-judge\n${JSON.stringify({ scorer: 'relevance_to_query', question: 'What is UDP?', answer: 'UDP is fast.' })}\n\`\`\``,
    },
  ],
};

const parses = (text: string) => {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    return value['verdict'] === 'yes' || value['verdict'] === 'no';
  } catch {
    return false;
  }
};

describe('malformed judge replies (for testing retries)', () => {
  it('spoils the replies of the listed calls, and a rate of them, deterministically', async () => {
    const judge = createSimulatorChatModel('sim/judge', { malformed: { calls: [1, 2, 3, 4] } });
    const replies: string[] = [];
    for (let call = 1; call <= 5; call += 1) replies.push((await judge.generate(request)).text);
    expect(replies.map(parses)).toEqual([false, false, false, false, true]);
    expect(new Set(replies.slice(0, 4)).size).toBe(4);

    const rated = async () => {
      const model = createSimulatorChatModel('sim/judge', { seed: 5, malformed: { rate: 0.3 } });
      const results = [];
      for (let call = 1; call <= 40; call += 1) results.push(await model.generate(request));
      return results;
    };
    const first = await rated();
    const spoiled = first.filter((result) => !parses(result.text)).length;
    expect(spoiled).toBeGreaterThan(4);
    expect(spoiled).toBeLessThan(24);
    expect(first.map((result) => (result.raw as { malformed: boolean }).malformed)).toEqual(
      first.map((result) => !parses(result.text)),
    );
    expect((await rated()).map((result) => result.text)).toEqual(first.map((result) => result.text));
  });
});
