import { describe, expect, it } from 'vitest';
import { FrugalError } from '../../core/errors.js';
import type { ChatModel, GenerateResult } from '../../providers/chat-model.js';
import { createKnnTable } from '../routing/knn-scorer.js';
import { createLocalHashEmbedder } from '../semantic-cache/local-hash-embedder.js';
import { type CascadeRecord, createCascadeChatModel } from './cascade-chat-model.js';
import { readCascade, type TrainedCascade, writeCascade } from './trained-cascade.js';

const embedder = createLocalHashEmbedder({ dimensions: 64 });

/** A cascade whose acceptance table has seen two answers: one right ("4"), one wrong ("5"). */
async function tinyCascade(): Promise<TrainedCascade> {
  const { vectors } = await embedder.embed(['What is 2 + 2?\n\n4', 'What is 2 + 2?\n\n5']);
  return {
    embedder: embedder.id,
    stages: ['cheap', 'dear'],
    thresholds: [0.5],
    acceptance: [createKnnTable(vectors, [1, 0], 1)],
    seesAnswers: true,
    goal: { kind: 'budget', perQueryAtMost: 2_000_000_000n },
    trainedOn: { outcomes: 'tiny', queries: 2 },
  };
}

/** A model that always answers `text`, counting its calls. */
function fixedModel(id: string, text: string): ChatModel & { calls: number } {
  const result: GenerateResult = {
    text,
    usage: { input: 10, output: 1 },
    finishReason: 'stop',
    responseModel: id,
    latencyMs: 0,
    simulated: true,
    raw: { id },
  };
  const model = {
    id: `test/${id}`,
    provider: 'test',
    model: id,
    simulated: true,
    calls: 0,
    async generate() {
      model.calls++;
      return result;
    },
    async *stream() {
      model.calls++;
      yield { type: 'text-delta' as const, text };
      yield { type: 'finish' as const, result };
    },
  };
  return model;
}

const ask = { messages: [{ role: 'user' as const, content: 'What is 2 + 2?' }] };

describe('a trained cascade', () => {
  it('round-trips through its file, tables and infinite thresholds included', async () => {
    const cascade = { ...(await tinyCascade()), thresholds: [Number.POSITIVE_INFINITY] };
    const read = readCascade(writeCascade(cascade), 'c.json');
    expect(read).toEqual(cascade);
    expect(read.goal).toEqual({ kind: 'budget', perQueryAtMost: 2_000_000_000n });
  });

  it('names the file and the field that is wrong', async () => {
    const good = JSON.parse(writeCascade(await tinyCascade()));
    const cases: [unknown, RegExp][] = [
      ['{', /c\.json: malformed JSON/],
      [{ ...good, frugal_cascade: 2 }, /c\.json at frugal_cascade: not a frugal cascade file/],
      [{ ...good, stages: ['one'] }, /at stages: expected at least two model names/],
      [{ ...good, thresholds: [] }, /at thresholds: expected 1 numbers/],
      [{ ...good, thresholds: ['high'] }, /at thresholds\[0\]: expected a number/],
      [
        { ...good, acceptance: [{ ...good.acceptance[0], k: 9 }] },
        /at acceptance\[0\]\.k: expected a whole number from 1 to 2/,
      ],
      [
        { ...good, acceptance: [{ ...good.acceptance[0], dimensions: 7 }] },
        /at acceptance\[0\]: the vectors \(128 bytes\) do not match 2 targets of 7/,
      ],
      [{ ...good, goal: { kind: 'vibes' } }, /at goal: expected/],
    ];
    for (const [value, message] of cases) {
      expect(() => readCascade(typeof value === 'string' ? value : JSON.stringify(value), 'c.json')).toThrow(
        message,
      );
    }
  });

  it('as a ChatModel: keeps the cheap answer it trusts, escalates the one it does not, streamed or not', async () => {
    const cascade = await tinyCascade();
    for (const [cheapText, escalates] of [
      ['4', false],
      ['5', true],
    ] as const) {
      const cheap = fixedModel('cheap', cheapText);
      const dear = fixedModel('dear', '4');
      const model = createCascadeChatModel({ cascade, models: [cheap, dear], embedder });
      const result = await model.generate(ask);
      expect(result.text).toBe(escalates ? '4' : cheapText);
      expect([cheap.calls, dear.calls]).toEqual([1, escalates ? 1 : 0]);
      const record = result.raw as CascadeRecord;
      expect(record.cascade.answeredAt).toBe(escalates ? 1 : 0);
      expect(record.cascade.stages.map((stage) => stage.model)).toEqual(
        escalates ? ['test/cheap', 'test/dear'] : ['test/cheap'],
      );
      let streamed = '';
      for await (const part of model.stream(ask)) if (part.type === 'text-delta') streamed += part.text;
      expect(streamed).toBe(result.text);
    }
  });

  it('wraps each stage through mapInner, so tracing sees every stage call', async () => {
    const cascade = await tinyCascade();
    const seen: string[] = [];
    const model = createCascadeChatModel({
      cascade,
      models: [fixedModel('cheap', '5'), fixedModel('dear', '4')],
      embedder,
    }).mapInner!((inner) => ({
      ...inner,
      async generate(request) {
        seen.push(inner.id);
        return inner.generate(request);
      },
    }));
    await model.generate(ask);
    expect(seen).toEqual(['test/cheap', 'test/dear']);
  });

  it('refuses a model count or an embedder that does not match the file', async () => {
    const cascade = await tinyCascade();
    expect(() => createCascadeChatModel({ cascade, models: [fixedModel('cheap', '4')], embedder })).toThrow(
      /the cascade has 2 stages \(cheap → dear\) but 1 models were given/,
    );
    expect(() =>
      createCascadeChatModel({
        cascade,
        models: [fixedModel('cheap', '4'), fixedModel('dear', '4')],
        embedder: createLocalHashEmbedder({ dimensions: 128 }),
      }),
    ).toThrow(FrugalError);
    // A file whose id says one embedder but whose tables were made by another (edited by hand, say).
    const widened = { ...cascade, acceptance: [createKnnTable([new Float32Array(32).fill(0.1)], [1], 1)] };
    expect(() =>
      createCascadeChatModel({
        cascade: widened,
        models: [fixedModel('cheap', '4'), fixedModel('dear', '4')],
        embedder,
      }),
    ).toThrow(/stage 1 table has 32-dimensional vectors, but 'local\/hash-v1-64' makes 64/);
  });
});
