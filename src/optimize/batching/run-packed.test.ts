import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Usage } from '../../core/usage.js';
import { createOpenAICompatibleChatModel } from '../../providers/openai-compatible-chat-model.js';
import { createSimulatorChatModel } from '../../providers/simulator/create-simulator-chat-model.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../../testing/fake-openai-server.js';
import type { FakeReply, RecordedRequest } from '../../testing/fake-reply.js';
import type { BatchItem } from './batch-item.js';
import { runPacked } from './run-packed.js';

/** Ten arithmetic questions; the model below leaves out of a packed reply every item that says "(hard)". */
const items: BatchItem[] = Array.from({ length: 10 }, (_, index) => ({
  id: `n${index + 1}`,
  prompt: `What is ${index + 1} squared?${index === 2 || index === 6 ? ' (hard)' : ''}`,
}));
const expected = (item: BatchItem) => String(Number(/What is (\d+)/.exec(item.prompt)![1]) ** 2);
const answerTo = (prompt: string) => String(Number(/What is (\d+)/.exec(prompt)![1]) ** 2);

/** Every call the fake model answered, in order, with the usage it reported. */
let ledger: { packed: boolean; prompts: string[]; usage: Usage }[] = [];

/** A fake model that follows the packed format: usage is 1 token per 4 characters in and out. */
function fakeModel(request: RecordedRequest): FakeReply {
  const messages = (request.body as { messages: { content: string }[] }).messages;
  const prompt = messages.at(-1)!.content;
  const packedItems = [...prompt.matchAll(/<item id="(\d+)">\n([\s\S]*?)\n<\/item>/g)];
  const text =
    packedItems.length > 0
      ? JSON.stringify(
          packedItems
            .filter((match) => !match[2]!.includes('(hard)'))
            .map((match) => ({ item: Number(match[1]), answer: answerTo(match[2]!) })),
        )
      : answerTo(prompt);
  const chars = messages.reduce((sum, message) => sum + message.content.length, 0);
  const usage = { input: Math.ceil(chars / 4), output: Math.ceil(text.length / 4) };
  ledger.push({ packed: packedItems.length > 0, prompts: packedItems.length > 0 ? [] : [prompt], usage });
  return { text, usage };
}

/** gpt-4o-mini's standard prices, pico-dollars per token (0.15 / 0.60 $ per 1M). */
const miniCost = (calls: readonly { usage: Usage }[]) =>
  calls.reduce(
    (sum, { usage }) => sum + BigInt(usage.input!) * 150_000n + BigInt(usage.output!) * 600_000n,
    0n,
  );

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.setReply(fakeModel);
  ledger = [];
});

/** Shared instructions sent with every call: what packing sends once per pack instead of once per item. */
const instructions = [
  'You are a careful arithmetic assistant working for a school exercise checker.',
  'Read the question, work it out step by step in your head, and double-check the result.',
  'Answer with the number only: no words, no units, no punctuation, no explanation.',
  'If a question is ambiguous, answer the most common reading of it.',
  'Never refuse; every question has a single whole-number answer.',
].join(' ');

const mini = () =>
  createOpenAICompatibleChatModel({
    model: 'gpt-4o-mini',
    baseUrl: server.baseURL,
    apiKey: 'sk-test',
    maxRetries: 0,
  });

describe('runPacked', () => {
  it('packs 10 items into ceil(10/4) calls, retries alone exactly the items left out, and measures the saving', async () => {
    const report = await runPacked({
      items,
      model: mini(),
      packSize: 4,
      system: instructions,
      compare: true,
      score: (item, answer) => (answer.trim() === expected(item) ? 1 : 0),
    });
    expect(report.packed.calls).toBe(3);
    expect(ledger.slice(0, 3).every((call) => call.packed)).toBe(true);
    expect(report.retriedIds).toEqual(['n3', 'n7']);
    expect(ledger.slice(3, 5).map((call) => call.prompts[0])).toEqual([items[2]!.prompt, items[6]!.prompt]);
    expect(report.items.map((item) => item.via)).toEqual([
      ...['packed', 'packed', 'retry', 'packed', 'packed', 'packed', 'retry'],
      ...['packed', 'packed', 'packed'],
    ]);
    expect(report.items.map((item) => item.text)).toEqual(items.map(expected));
    expect(report.retries.calls).toBe(2);

    expect(report.spent.calls).toBe(5);
    expect(report.spent.cost).toBe(miniCost(ledger.slice(0, 5)));
    expect(report.oneCallPerItem?.calls).toBe(10);
    expect(report.oneCallPerItem?.cost).toBe(miniCost(ledger.slice(5)));
    expect(report.saving).toBe(miniCost(ledger.slice(5)) - miniCost(ledger.slice(0, 5)));
    expect(report.saving! > 0n).toBe(true);
    expect(report.spent.usage.input! < report.oneCallPerItem!.usage.input!).toBe(true);
    expect(report.quality).toEqual({ packed: 1, alone: 1 });
  });

  it('costs more than one call per item when the items share no instructions (measured)', async () => {
    const report = await runPacked({ items, model: mini(), packSize: 4, compare: true });
    expect(report.saving).toBe(report.oneCallPerItem!.cost - report.spent.cost);
    expect(report.saving! < 0n).toBe(true);
  });

  it('asks alone every item of a packed call that failed, and reports an item that fails alone too', async () => {
    server.enqueue({ error: { status: 400, message: 'context too long' } }, fakeModel, {
      error: { status: 503, message: 'overloaded' },
    });
    const report = await runPacked({ items: items.slice(0, 6), model: mini(), packSize: 3, concurrency: 1 });
    expect(report.packed.calls).toBe(1);
    expect(report.retriedIds).toEqual(['n1', 'n2', 'n3']);
    expect(report.items.map((item) => item.via)).toEqual([
      'failed',
      'retry',
      'retry',
      'packed',
      'packed',
      'packed',
    ]);
    expect(report.items[0]!.error).toMatch(
      /^packed call failed: .*context too long; asked alone: .*overloaded/,
    );
    expect(report.spent.calls).toBe(3);
  });

  it('shows, measured, that packing costs more with a model that ignores the format (the simulator)', async () => {
    const model = createSimulatorChatModel('sim/small');
    const report = await runPacked({ items, model, packSize: 5, compare: true });
    expect(report.simulated).toBe(true);
    expect(report.packed.calls).toBe(2);
    expect(report.retriedIds).toEqual(items.map((item) => item.id));
    expect(report.items.every((item) => item.via === 'retry')).toBe(true);
    // Asked alone twice, the simulator answers the same: the retries cost exactly one call per item.
    expect(report.retries.cost).toBe(report.oneCallPerItem!.cost);
    expect(report.saving).toBe(-report.packed.cost);
    expect(report.packed.cost > 0n).toBe(true);
  });

  it('refuses a pack size below 1 and bad items', async () => {
    await expect(runPacked({ items, model: mini(), packSize: 0 })).rejects.toThrow(
      'packSize must be an integer ≥ 1, got 0',
    );
    await expect(runPacked({ items: [], model: mini(), packSize: 2 })).rejects.toThrow('no items to run');
    expect(server.requests).toHaveLength(0);
  });
});
