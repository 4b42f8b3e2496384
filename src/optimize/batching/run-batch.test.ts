import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/errors.js';
import { divideRoundHalfEven } from '../../core/money.js';
import { createOpenAIBatchClient } from '../../providers/openai-batch/openai-batch-client.js';
import { createOpenAICompatibleChatModel } from '../../providers/openai-compatible-chat-model.js';
import {
  closeFakeOpenAIBatchServers,
  type FakeOpenAIBatchServerOptions,
  startFakeOpenAIBatchServer,
} from '../../testing/fake-openai-batch-server.js';
import type { FakeReply, RecordedRequest } from '../../testing/fake-reply.js';
import type { BatchItem } from './batch-item.js';
import { runBatch } from './run-batch.js';

afterEach(closeFakeOpenAIBatchServers);

const items: BatchItem[] = ['alpha', 'beta', 'gamma', 'delta'].map((word, index) => ({
  id: `q${index + 1}`,
  prompt: `Define ${word}.`,
}));

/** Item qN is answered with input 1000 + N and output 200 + N tokens, batched or not. */
const scripted = (request: RecordedRequest): FakeReply => {
  const prompt = (request.body as { messages: { content: string }[] }).messages.at(-1)!.content;
  const n = items.findIndex((item) => item.prompt === prompt) + 1;
  return { text: `answer ${n}`, usage: { input: 1000 + n, output: 200 + n } };
};
const usageOf = (n: number) => ({ input: 1000 + n, output: 200 + n });

async function setUp(model: string, options: FakeOpenAIBatchServerOptions = {}, provider = 'openai') {
  const server = await startFakeOpenAIBatchServer({ reply: scripted, ...options });
  const common = { provider, model, baseUrl: server.baseURL, apiKey: 'sk-test', maxRetries: 0 };
  return {
    server,
    client: createOpenAIBatchClient(common),
    chat: createOpenAICompatibleChatModel(common),
    wait: { pollIntervalMs: 1 },
  };
}

/** gpt-4o-mini's catalog prices, pico-dollars per token: standard 0.15/0.60 $/M, batch 0.075/0.30 $/M. */
const miniStandard = ({ input, output }: { input: number; output: number }) =>
  BigInt(input) * 150_000n + BigInt(output) * 600_000n;
const miniBatch = ({ input, output }: { input: number; output: number }) =>
  BigInt(input) * 75_000n + BigInt(output) * 300_000n;

describe('runBatch against the fake Batch API', () => {
  it('answers every item through the slow states and prices them exactly at the explicit batch rates', async () => {
    const { client, wait } = await setUp('gpt-4o-mini', { linesPerPoll: 1, pollsPerStatus: 2 });
    const statuses: string[] = [];
    const report = await runBatch({
      items,
      client,
      system: 'Answer in one line.',
      maxOutputTokens: 300,
      wait: { ...wait, onProgress: (state) => statuses.push(state.status) },
    });
    expect([...new Set(statuses)]).toEqual(['validating', 'in_progress', 'finalizing', 'completed']);
    expect(statuses.filter((status) => status === 'in_progress')).toHaveLength(4);
    expect(report.status).toBe('completed');
    expect(report.items.map((item) => [item.id, item.via, item.text])).toEqual([
      ['q1', 'batch', 'answer 1'],
      ['q2', 'batch', 'answer 2'],
      ['q3', 'batch', 'answer 3'],
      ['q4', 'batch', 'answer 4'],
    ]);
    const batchCost = [1, 2, 3, 4].reduce((sum, n) => sum + miniBatch(usageOf(n)), 0n);
    const standardCost = [1, 2, 3, 4].reduce((sum, n) => sum + miniStandard(usageOf(n)), 0n);
    expect(report.batch).toMatchObject({
      calls: 4,
      cost: batchCost,
      unpriced: [],
      usage: { input: 4010, output: 810 },
    });
    expect(report.batchAtStandard.cost).toBe(standardCost);
    expect(report.saving).toBe(standardCost - batchCost);
    expect(report.saving! * 2n).toBe(standardCost);
    expect(report.retries.calls).toBe(0);
  });

  it('prices a model without batch rates at half its standard price, halved once per request', async () => {
    const { client, wait } = await setUp('gpt-3.5-turbo');
    const report = await runBatch({ items, client, wait });
    const standard = (n: number) => BigInt(1000 + n) * 500_000n + BigInt(200 + n) * 1_500_000n;
    const expected = [1, 2, 3, 4].reduce((sum, n) => sum + divideRoundHalfEven(standard(n), 2n), 0n);
    expect(report.batch.cost).toBe(expected);
    expect(report.batchAtStandard.cost).toBe([1, 2, 3, 4].reduce((sum, n) => sum + standard(n), 0n));
  });

  it('lists failed lines and retries exactly those as individual calls at standard prices', async () => {
    const { server, client, chat, wait } = await setUp('gpt-4o-mini', {
      failLines: { q2: { status: 500, message: 'The server had an error' } },
    });
    const report = await runBatch({ items, client, retryWith: chat, wait });
    expect(report.items.map((item) => item.via)).toEqual(['batch', 'retry', 'batch', 'batch']);
    expect(report.items[1]).toMatchObject({
      text: 'answer 2',
      batchError: { statusCode: 500, code: 'server_error', message: 'The server had an error' },
      retryError: undefined,
    });
    const direct = server.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(
      direct.map((request) => (request.body as { messages: { content: string }[] }).messages[0]!.content),
    ).toEqual(['Define beta.']);
    expect(report.retries).toMatchObject({ calls: 1, cost: miniStandard(usageOf(2)) });
    const answered = [1, 3, 4];
    expect(report.saving).toBe(
      answered.reduce((sum, n) => sum + miniStandard(usageOf(n)) - miniBatch(usageOf(n)), 0n),
    );
    expect(report.spent.cost).toBe(report.batch.cost + report.retries.cost);
    expect(report.oneCallPerItem.cost - report.spent.cost).toBe(report.saving);
  });

  it('reports the items an expired batch never ran, with the answers it did give', async () => {
    const { client, wait } = await setUp('gpt-4o-mini', { linesPerPoll: 1, expireAfterLines: 2 });
    const report = await runBatch({ items, client, wait });
    expect(report.status).toBe('expired');
    expect(report.items.map((item) => [item.via, item.batchError?.code])).toEqual([
      ['batch', undefined],
      ['batch', undefined],
      ['failed', 'batch_expired'],
      ['failed', 'batch_expired'],
    ]);
    expect(report.batch.calls).toBe(2);
    expect(report.saving).toBe(
      miniStandard(usageOf(1)) - miniBatch(usageOf(1)) + miniStandard(usageOf(2)) - miniBatch(usageOf(2)),
    );
  });

  it('cancels the batch on the server when the caller aborts, and when waiting times out', async () => {
    const { server, client } = await setUp('gpt-4o-mini', { pollsPerStatus: 1000 });
    const submitted: string[] = [];
    const onSubmitted = (batch: { id: string }) => submitted.push(batch.id);
    const controller = new AbortController();
    const aborted = runBatch({
      items,
      client,
      signal: controller.signal,
      onSubmitted,
      wait: { pollIntervalMs: 1, onProgress: () => controller.abort(new Error('user stopped')) },
    });
    await expect(aborted).rejects.toThrow('user stopped');
    const timedOut = await runBatch({
      items,
      client,
      onSubmitted,
      wait: { pollIntervalMs: 1, timeoutMs: 10 },
    }).catch((error: unknown) => error);
    expect(timedOut).toMatchObject({ name: 'ProviderError', details: { code: 'batch_wait_timeout' } });
    const cancels = server.requests.filter((request) => request.path.endsWith('/cancel'));
    expect(submitted).toHaveLength(2);
    expect(cancels.map((request) => request.path)).toEqual(submitted.map((id) => `/v1/batches/${id}/cancel`));
  });

  it('reads a batch cancelled elsewhere: done items answered, the rest not run and retried', async () => {
    const { client, chat, wait } = await setUp('gpt-4o-mini', { linesPerPoll: 1 });
    const report = await runBatch({
      items,
      client,
      retryWith: chat,
      wait: {
        ...wait,
        onProgress: (state) => {
          if (state.status === 'in_progress' && state.requestCounts?.completed === 1)
            void client.cancelBatch(state.id);
        },
      },
    });
    expect(report.status).toBe('cancelled');
    expect(report.items.map((item) => [item.via, item.batchError?.code])).toEqual([
      ['batch', undefined],
      ['retry', 'batch_cancelled'],
      ['retry', 'batch_cancelled'],
      ['retry', 'batch_cancelled'],
    ]);
    expect(report.retries.calls).toBe(3);
  });

  it('fails with a clear error on a malformed output line, a server error, or a refused key', async () => {
    const { server, client, wait } = await setUp('gpt-4o-mini', { corruptOutputLine: 3 });
    await expect(runBatch({ items, client, wait })).rejects.toThrow(
      /output file file-fake\d+ line 3: not JSON/,
    );
    server.failNext({ status: 500 });
    const failure = await runBatch({ items, client, wait }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ status: 500, retryable: true });
    const other = await startFakeOpenAIBatchServer({ apiKey: 'sk-right' });
    const refused = createOpenAIBatchClient({
      model: 'gpt-4o-mini',
      baseUrl: other.baseURL,
      apiKey: 'sk-wrong',
    });
    await expect(runBatch({ items, client: refused, wait })).rejects.toMatchObject({
      status: 401,
      retryable: false,
    });
    await other.close();
  });

  it('reports an unknown model as unpriced and claims no saving', async () => {
    const { client, wait } = await setUp('our-private-model', {}, 'vllm');
    const report = await runBatch({ items: items.slice(0, 2), client, wait });
    expect(report.batch.cost).toBe(0n);
    expect(report.batch.unpriced.map((entry) => entry.itemIds)).toEqual([['q1'], ['q2']]);
    expect(report.batch.unpriced[0]!.message).toMatch(/our-private-model/);
    expect(report.saving).toBeUndefined();
  });

  it('refuses bad items before sending anything', async () => {
    const { server, client } = await setUp('gpt-4o-mini');
    await expect(runBatch({ items: [], client })).rejects.toThrow('no items to run');
    await expect(runBatch({ items: [items[0]!, items[0]!], client })).rejects.toThrow(
      "item 2 ('q1'): the id 'q1' is used twice",
    );
    await expect(runBatch({ items: [{ id: 'x', prompt: ' ' }], client })).rejects.toThrow(
      "item 1 ('x'): the prompt is empty",
    );
    expect(server.requests).toHaveLength(0);
  });
});
