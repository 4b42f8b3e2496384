import { describe, expect, it } from 'vitest';
import { seed000Questions, seed000SystemPrompt } from '../../../test/fixtures/seed-000-questions.js';
import { cost } from '../../core/cost/cost.js';
import { defaultPriceBook } from '../../core/prices/default-price-book.js';
import { factCoverage } from '../../core/text/fact-coverage.js';
import { countChatTokens, countTokens } from '../../core/tokens/count-tokens.js';
import type { ChatModel, GenerateRequest, GenerateResult, StreamPart } from '../chat-model.js';
import { createSimulatorChatModel } from './create-simulator-chat-model.js';
import { simulatorModels, simulatorProfiles } from './simulator-profiles.js';

const ask = (question: string, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  messages: [
    { role: 'system', content: seed000SystemPrompt },
    { role: 'user', content: question },
  ],
  ...extra,
});
const index = seed000Questions[0]!;
const model = (name: string, seed = 1) =>
  createSimulatorChatModel(name, { seed, knowledge: seed000Questions });

async function collect(stream: AsyncIterable<StreamPart>) {
  const deltas: string[] = [];
  let finish: GenerateResult | undefined;
  for await (const part of stream) {
    if (part.type === 'text-delta') deltas.push(part.text);
    else finish = part.result;
  }
  return { deltas, finish: finish! };
}

async function meanCoverage(name: string, seeds: readonly number[]): Promise<number> {
  let supported = 0;
  let total = 0;
  for (const seed of seeds) {
    const chat = model(name, seed);
    for (const { question, facts } of seed000Questions) {
      const coverage = factCoverage(facts, (await chat.generate(ask(question))).text);
      supported += coverage.supported;
      total += coverage.total;
    }
  }
  return supported / total;
}

describe('createSimulatorChatModel', () => {
  it('is a ChatModel labelled simulated, with sim/ ids, and refuses unknown models', () => {
    const chat: ChatModel = createSimulatorChatModel('small');
    expect(chat).toMatchObject({ id: 'sim/small', provider: 'sim', model: 'sim/small', simulated: true });
    expect(() => createSimulatorChatModel('sim/gpt-4o')).toThrow(/no simulated model 'sim\/gpt-4o'/);
    expect(() => createSimulatorChatModel('sim/small', { profile: { skill: 2 } })).toThrow(RangeError);
  });

  it('labels every result simulated, with the sim model and a raw { simulated, profile }', async () => {
    const result = await model('sim/medium').generate(ask(index.question));
    expect(result.simulated).toBe(true);
    expect(result.responseModel).toBe('sim/medium');
    expect(result.finishReason).toBe('stop');
    expect(result.raw).toMatchObject({ simulated: true, profile: { model: 'sim/medium', skill: 0.9 } });
  });

  it('is deterministic for a seed, and a different seed gives a different answer', async () => {
    const first = await model('sim/large', 7).generate(ask(index.question));
    const again = await model('sim/large', 7).generate(ask(index.question));
    const other = await model('sim/large', 8).generate(ask(index.question));
    expect(again.text).toBe(first.text);
    expect(again.usage).toEqual(first.usage);
    expect(again.latencyMs).toBe(first.latencyMs);
    expect(other.text).not.toBe(first.text);
    const seeded = await model('sim/large', 7).generate(ask(index.question, { seed: 8 }));
    expect(seeded.text).toBe(other.text);
  });

  it('states more expected facts of the seed-000 questions the larger the model, by a clear margin', async () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const [small, medium, large] = await Promise.all(
      ['sim/small', 'sim/medium', 'sim/large'].map((name) => meanCoverage(name, seeds)),
    );
    expect(large! - medium!).toBeGreaterThan(0.03);
    expect(medium! - small!).toBeGreaterThan(0.08);
    expect(small).toBeGreaterThan(0.45);
    expect(large).toBeGreaterThan(0.88);
  });

  it('states every expected fact at skill 1 and none at skill 0 (profile overrides)', async () => {
    for (const [skill, expected] of [
      [1, 1],
      [0, 0],
    ] as const) {
      const chat = createSimulatorChatModel('sim/small', { knowledge: seed000Questions, profile: { skill } });
      for (const { question, facts } of seed000Questions) {
        const coverage = factCoverage(facts, (await chat.generate(ask(question))).text);
        expect(coverage.supported / coverage.total).toBe(expected);
      }
    }
  });

  it('answers an unknown question on topic, from its key terms', async () => {
    const result = await model('sim/small').generate(ask('What is a bloom filter?'));
    expect(result.text.toLowerCase()).toContain('bloom filter');
  });

  it('reports usage that equals a recount of the prompt and the answer with the o200k tokenizer', async () => {
    for (const name of simulatorModels) {
      const request = ask(seed000Questions[2]!.question);
      const result = await model(name).generate(request);
      const input = await countChatTokens(request.messages.map((turn) => ({ ...turn })));
      expect(result.usage).toEqual({ input: input.tokens, output: (await countTokens(result.text)).tokens });
      expect(result.usage.output).toBeGreaterThan(15);
    }
  });

  it('streams deltas that join to the generated text, then a finish with the same result plus time to first token', async () => {
    const request = ask(seed000Questions[1]!.question);
    const generated = await model('sim/large').generate(request);
    const { deltas, finish } = await collect(model('sim/large').stream(request));
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(generated.text);
    const { timeToFirstTokenMs, ...rest } = finish;
    expect(rest).toEqual(generated);
    expect(timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('reports the declared latency: first token + per token × output tokens, within the jitter', async () => {
    for (const name of simulatorModels) {
      const profile = simulatorProfiles[name];
      const { finish } = await collect(model(name).stream(ask(index.question)));
      const declared = profile.timeToFirstTokenMs + profile.msPerOutputToken * finish.usage.output!;
      expect(finish.latencyMs).toBeGreaterThanOrEqual(Math.floor(declared * (1 - profile.jitter)));
      expect(finish.latencyMs).toBeLessThanOrEqual(Math.ceil(declared * (1 + profile.jitter)));
      const ratio = finish.latencyMs / declared;
      expect(finish.timeToFirstTokenMs! / profile.timeToFirstTokenMs).toBeCloseTo(ratio, 2);
    }
  });

  it('waits the declared latency times timeScale, and not at all at timeScale 0', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const scaled = createSimulatorChatModel('sim/small', { timeScale: 0.5, sleep });
    const result = await scaled.generate(ask(index.question));
    expect(waits).toEqual([result.latencyMs * 0.5]);
    waits.length = 0;
    const { finish } = await collect(scaled.stream(ask(index.question)));
    expect(waits[0]).toBe(finish.timeToFirstTokenMs! * 0.5);
    expect(waits.reduce((sum, ms) => sum + ms, 0)).toBeCloseTo(finish.latencyMs * 0.5, 6);
    waits.length = 0;
    await createSimulatorChatModel('sim/small', { sleep }).generate(ask(index.question));
    expect(waits).toEqual([]);
  });

  it('waits for real at timeScale 1 and rejects with the reason of an abort', async () => {
    const chat = createSimulatorChatModel('sim/small', {
      timeScale: 1,
      profile: { timeToFirstTokenMs: 5_000 },
    });
    const controller = new AbortController();
    const pending = chat.generate(ask(index.question, { signal: controller.signal }));
    controller.abort(new Error('stop now'));
    await expect(pending).rejects.toThrow('stop now');
    await expect(chat.generate(ask(index.question, { signal: AbortSignal.abort('gone') }))).rejects.toBe(
      'gone',
    );
  });

  it('truncates at maxOutputTokens with finishReason length, and cuts at a stop sequence', async () => {
    const full = await model('sim/large').generate(ask(index.question));
    const cut = await model('sim/large').generate(ask(index.question, { maxOutputTokens: 10 }));
    expect(cut.finishReason).toBe('length');
    expect(cut.usage.output).toBeLessThanOrEqual(10);
    expect(cut.usage.output).toBeGreaterThanOrEqual(9);
    expect(full.text.startsWith(cut.text)).toBe(true);
    expect(cut.usage.output).toBe((await countTokens(cut.text)).tokens);
    const stopped = await model('sim/large').generate(ask(index.question, { stop: ['.'] }));
    expect(stopped.text).toBe(full.text.slice(0, full.text.indexOf('.')));
    expect(stopped.finishReason).toBe('stop');
    await expect(model('sim/large').generate(ask(index.question, { maxOutputTokens: 0 }))).rejects.toThrow(
      /maxOutputTokens/,
    );
  });

  it.each(simulatorModels)(
    '%s has a price in the default book, and a call costs more than zero',
    async (name) => {
      const resolution = defaultPriceBook().resolve(name);
      expect(resolution.status === 'found' && resolution.entry.source).toBe(`simulator:${name}`);
      const result = await model(name).generate(ask(index.question));
      const priced = cost(result.usage, result.responseModel);
      expect(priced.status === 'priced' && priced.total > 0n).toBe(true);
    },
  );
});
