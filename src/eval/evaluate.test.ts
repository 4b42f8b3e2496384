import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { cost } from '../core/cost/cost.js';
import { createOpenAICompatibleChatModel } from '../providers/openai-compatible-chat-model.js';
import { createSimulatorChatModel } from '../providers/simulator/index.js';
import { type RecordedRequest, startFakeOpenAIServer } from '../testing/index.js';
import { instrumentOpenAI } from '../tracing/instrument-openai.js';
import { createMemorySink } from '../tracing/memory-sink.js';
import type { EvalRow } from './eval-row.js';
import { evaluate } from './evaluate.js';
import { correctness } from './judges/judges.js';
import { createRateController } from './rate-controller.js';
import { fileResponseCache } from './response-cache.js';
import { contains } from './scorers/contains.js';

const rows: EvalRow[] = [
  {
    id: 'index',
    index: 0,
    inputs: { question: 'What is a database index?' },
    expectations: { expected_facts: ['data structure', 'read speed'] },
  },
  {
    id: 'cap',
    index: 1,
    inputs: { question: 'Explain the CAP theorem.' },
    expectations: { expected_facts: ['consistency', 'availability', 'partition tolerance'] },
  },
  {
    id: 'race',
    index: 2,
    inputs: { question: 'What is a race condition?' },
    expectations: { expected_facts: ['shared resource', 'timing'] },
  },
];

const answers: Record<string, string> = {
  'What is a database index?': 'An index is a data structure that improves read speed.',
  'Explain the CAP theorem.': 'CAP says you cannot have consistency and availability together.',
  'What is a race condition?': 'Two threads touch a shared resource and the outcome depends on timing.',
};

const lastUser = (request: RecordedRequest) => {
  const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
  return messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
};

/** The judge's verdict, computed the way a careful judge would: a fact is supported when the answer has it. */
function judgeReply(request: RecordedRequest): string {
  const block = /```frugal-judge\n([\s\S]*?)\n```/.exec(
    (request.body as { messages: { content: string }[] }).messages
      .map((message) => message.content)
      .join('\n'),
  );
  const judgeCase = JSON.parse(block?.[1] ?? '{}') as { answer: string; expected_facts: string[] };
  const facts = judgeCase.expected_facts.map((fact) => ({
    fact,
    supported: judgeCase.answer.toLowerCase().includes(fact),
    rationale: 'checked',
  }));
  return JSON.stringify({
    facts,
    rationale: 'compared each fact',
    verdict: facts.every((f) => f.supported) ? 'yes' : 'no',
  });
}

const server = await startFakeOpenAIServer({
  reply: (request) => {
    const user = lastUser(request);
    if (user.includes('frugal-judge'))
      return { text: judgeReply(request), usage: { input: 300, output: 60 } };
    return { text: answers[user] ?? 'I do not know.', usage: { input: 40, output: 20 } };
  },
});
afterAll(() => server.close());

const model = (name: string, options: { maxRetries?: number } = {}) =>
  createOpenAICompatibleChatModel({ model: name, baseUrl: server.baseURL, apiKey: 'test-key', ...options });
const price = (model: string, input: number, output: number) => {
  const result = cost({ input, output }, model);
  if (result.status !== 'priced') throw new Error(`no price for ${model}`);
  return result.total;
};

describe('evaluate', () => {
  it('answers, judges and costs every row from its spans, candidate and judge apart', async () => {
    const sink = createMemorySink();
    const result = await evaluate({
      data: rows,
      candidate: { name: 'mini', model: model('gpt-4o-mini'), systemPrompt: 'Be brief.' },
      scorers: [
        correctness({ model: model('gpt-4o') }),
        contains({ expectation: 'expected_facts' }, { name: 'facts' }),
      ],
      experiment: 'e2e',
      sink,
    });
    expect(result.status).toBe('completed');
    expect(result.rows.map((row) => [row.rowId, row.scores['correctness']?.value])).toEqual([
      ['index', true],
      ['cap', false],
      ['race', true],
    ]);
    expect(result.metrics['correctness/mean']).toBeCloseTo(2 / 3, 12);
    expect(result.metrics['correctness/n']).toBe(3);
    expect(result.metrics['facts/mean']).toBeCloseTo(2 / 3, 12);
    const cap = result.rows[1]?.scores['correctness']?.details?.['facts'];
    expect(cap).toEqual([
      { fact: 'consistency', supported: true, rationale: 'checked' },
      { fact: 'availability', supported: true, rationale: 'checked' },
      { fact: 'partition tolerance', supported: false, rationale: 'checked' },
    ]);
    // Exact money: 3 candidate calls of 40 + 20 tokens at gpt-4o-mini's price, 3 judge calls at gpt-4o's.
    expect(result.cost).toBe(3n * price('gpt-4o-mini', 40, 20));
    expect(result.judgeCost).toBe(3n * price('gpt-4o', 300, 60));
    expect(result.usage).toMatchObject({ input: 120, output: 60 });
    // Every call is a span in its row's trace, attributed to the run and tagged by role.
    const llm = sink.spans.filter((span) => span.kind === 'llm');
    expect(llm).toHaveLength(6);
    expect(new Set(llm.map((span) => span.attribution.runId))).toEqual(new Set([result.runId]));
    expect(llm.filter((span) => span.attribution.tags?.includes('eval:judge'))).toHaveLength(3);
    for (const row of result.rows) {
      expect(sink.spans.filter((span) => span.traceId === row.traceId)).toHaveLength(3);
    }
    const sent = server.requests.find((request) => lastUser(request) === 'What is a database index?');
    expect((sent as RecordedRequest).body).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is a database index?' },
      ],
    });
  });

  it('drives the real OpenAI SDK through instrument() in a predict function, costed from its spans', async () => {
    const client = instrumentOpenAI(new OpenAI({ apiKey: 'test-key', baseURL: server.baseURL }));
    const result = await evaluate({
      data: rows,
      predict: async (inputs) => {
        const response = await client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: String(inputs['question']) }],
        });
        return response.choices[0]?.message.content ?? '';
      },
      scorers: [contains({ expectation: 'expected_facts' })],
    });
    expect(result.candidate).toBe('predict');
    expect(result.rows.map((row) => row.output)).toEqual(
      rows.map((row) => answers[row.inputs['question'] as string]),
    );
    expect(result.cost).toBe(3n * price('gpt-4o-mini', 40, 20));
    expect(result.rows.every((row) => row.latencyMs !== undefined && row.latencyMs > 0)).toBe(true);
  });

  it('retries a malformed judge reply and records an error, never a 0, when it stays malformed', async () => {
    let calls = 0;
    const flaky = await startFakeOpenAIServer({
      reply: (request) => {
        calls++;
        return {
          text: lastUser(request).includes('frugal-judge')
            ? 'Sure! The answer looks fine.'
            : 'a data structure',
        };
      },
    });
    try {
      const result = await evaluate({
        data: rows.slice(0, 1),
        candidate: { name: 'mini', model: model('gpt-4o-mini') },
        scorers: [
          correctness({
            model: createOpenAICompatibleChatModel({ model: 'gpt-4o', baseUrl: flaky.baseURL, apiKey: 'k' }),
            attempts: 2,
          }),
        ],
      });
      const score = result.rows[0]?.scores['correctness'];
      expect(score?.value).toBeUndefined();
      expect(score?.error).toMatch(/malformed 2 times/);
      expect(calls).toBe(2);
      expect(result.metrics['correctness/errors']).toBe(1);
      expect(result.metrics['correctness/mean']).toBeUndefined();
    } finally {
      await flaky.close();
    }
  });

  it('backs off on 429s, honouring Retry-After, and still answers every row', async () => {
    let seen = 0;
    const limited = await startFakeOpenAIServer({
      reply: (request) =>
        ++seen <= 3
          ? { error: { status: 429, retryAfterMs: 40 } }
          : { text: answers[lastUser(request)] ?? '?', usage: { input: 40, output: 20 } },
    });
    try {
      const controller = createRateController({ maxConcurrency: 4 });
      const began = performance.now();
      const result = await evaluate({
        data: rows,
        candidate: {
          name: 'mini',
          model: createOpenAICompatibleChatModel({
            model: 'gpt-4o-mini',
            baseUrl: limited.baseURL,
            apiKey: 'k',
            maxRetries: 0,
          }),
        },
        scorers: [contains({ expectation: 'expected_facts' })],
        rateController: controller,
      });
      expect(result.status).toBe('completed');
      expect(result.rows.filter((row) => row.error === undefined)).toHaveLength(3);
      expect(controller.stats().rateLimited).toBe(3);
      expect(controller.concurrency()).toBeLessThan(4);
      expect(performance.now() - began).toBeGreaterThanOrEqual(40);
      expect(result.cost).toBe(3n * price('gpt-4o-mini', 40, 20));
    } finally {
      await limited.close();
    }
  });

  it('stops cleanly at its budget cap, never above it, keeping what is done', async () => {
    const onePrice = price('gpt-4o-mini', 40, 20);
    const result = await evaluate({
      data: [...rows, ...rows.map((row, index) => ({ ...row, id: `${row.id}-2`, index: index + 3 }))],
      candidate: { name: 'mini', model: model('gpt-4o-mini'), parameters: { maxOutputTokens: 50 } },
      scorers: [contains({ expectation: 'expected_facts' })],
      concurrency: 1,
      // Room for a few calls at their reserved maximum (prompt + 50 output tokens), not for six.
      budget: 3n * price('gpt-4o-mini', 60, 50),
    });
    expect(result.status).toBe('stopped');
    expect(result.stopReason).toMatch(/budget cap/);
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.length).toBeLessThan(6);
    expect(result.cost).toBe(BigInt(result.rows.length) * onePrice);
    expect(result.cost).toBeLessThanOrEqual(3n * price('gpt-4o-mini', 60, 50));
  });

  it('serves re-runs from its response cache: marked cached, no fresh latency, the original cost', async () => {
    const cache = fileResponseCache(mkdtempSync(join(tmpdir(), 'frugal-eval-cache-')));
    const options = {
      data: rows,
      candidate: { name: 'mini', model: model('gpt-4o-mini') },
      scorers: [contains({ expectation: 'expected_facts' })],
      cache,
    };
    const first = await evaluate(options);
    const before = server.requests.length;
    const second = await evaluate(options);
    expect(server.requests.length).toBe(before);
    expect(second.rows.every((row) => row.cached && row.latencyMs === undefined)).toBe(true);
    expect(first.rows.every((row) => !row.cached && row.latencyMs !== undefined)).toBe(true);
    expect(second.cost).toBe(first.cost);
    expect(second.metrics).toEqual(first.metrics);
  });

  it('marks a run simulated when only its judge is the simulator, and its real answers not', async () => {
    const result = await evaluate({
      data: rows,
      candidate: { name: 'mini', model: model('gpt-4o-mini') },
      scorers: [correctness({ model: createSimulatorChatModel('sim/judge') })],
    });
    expect(result.simulated).toBe(true);
    expect(result.rows.every((row) => !row.simulated)).toBe(true);
    expect(result.judgeCost).toBeGreaterThan(0n);
  });
});
