import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError, UsageError } from '../../core/errors.js';
import type { FakeOpenAIBatchServerOptions } from '../../testing/fake-openai-batch-server.js';
import {
  closeFakeOpenAIBatchServers,
  startFakeOpenAIBatchServer,
} from '../../testing/fake-openai-batch-server.js';
import type { BatchState } from './batch-state.js';
import { createOpenAIBatchClient } from './openai-batch-client.js';

afterEach(closeFakeOpenAIBatchServers);

const noWait = async () => undefined;

async function start(options: FakeOpenAIBatchServerOptions = {}, maxRetries = 0) {
  const server = await startFakeOpenAIBatchServer({ apiKey: 'sk-batch', ...options });
  const client = createOpenAIBatchClient({
    model: 'gpt-4o-mini',
    baseUrl: server.baseURL,
    apiKey: 'sk-batch',
    maxRetries,
    retry: { sleep: noWait },
  });
  return { server, client };
}

const items = (...prompts: string[]) =>
  prompts.map((prompt, index) => ({
    customId: `item-${index + 1}`,
    request: { messages: [{ role: 'user' as const, content: prompt }], maxOutputTokens: 50 },
  }));

describe('createOpenAIBatchClient against the fake Batch API', () => {
  it('uploads the JSONL the chat adapter would send, creates a 24h batch, polls it to the end and reads the answers', async () => {
    const { server, client } = await start({
      reply: (request) => ({
        text: `answer to ${(request.body as { messages: { content: string }[] }).messages[0]!.content}`,
        usage: { input: 20, cachedInput: 4, output: 7, reasoning: 2 },
      }),
      failLines: { 'item-2': { status: 400, message: 'Invalid max_tokens' } },
      linesPerPoll: 1,
    });
    const submitted = await client.submit(items('one', 'two', 'three'));
    expect(submitted.status).toBe('validating');
    const uploaded = [...server.files.values()][0]!;
    expect(uploaded.purpose).toBe('batch');
    expect(
      uploaded.content
        .split('\n')
        .slice(0, 1)
        .map((line) => JSON.parse(line)),
    ).toEqual([
      {
        custom_id: 'item-1',
        method: 'POST',
        url: '/v1/chat/completions',
        body: {
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'one' }],
          max_completion_tokens: 50,
        },
      },
    ]);
    const create = server.requests.find((request) => request.path === '/v1/batches')!;
    expect(create.body).toEqual({
      input_file_id: submitted.inputFileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { created_by: 'frugal' },
    });
    expect(create.headers['authorization']).toBe('Bearer sk-batch');

    const progress: string[] = [];
    const done = await client.waitForBatch(submitted.id, {
      pollIntervalMs: 1,
      onProgress: (state) => progress.push(`${state.status} ${state.requestCounts?.completed ?? '-'}`),
    });
    expect(progress).toEqual([
      'in_progress 0',
      'in_progress 1',
      'in_progress 1',
      'finalizing 2',
      'completed 2',
    ]);
    expect(done).toMatchObject({ status: 'completed', requestCounts: { total: 3, completed: 2, failed: 1 } });
    const results = await client.results(done);
    expect(results).toMatchObject([
      {
        customId: 'item-1',
        status: 'succeeded',
        reply: {
          text: 'answer to one',
          usage: { input: 20, cachedInput: 4, output: 7, reasoning: 2 },
          finishReason: 'stop',
          responseModel: 'gpt-4o-mini',
        },
      },
      { customId: 'item-3', status: 'succeeded', reply: { text: 'answer to three' } },
      {
        customId: 'item-2',
        status: 'failed',
        error: { statusCode: 400, code: 'invalid_request_error', message: 'Invalid max_tokens' },
      },
    ]);
  });

  it('reports the problems of a batch that failed validation', async () => {
    const { client } = await start();
    const file = await client.uploadFile('{"custom_id":"a","method":"GET"}\n', 'bad.jsonl');
    const batch = await client.createBatch(file.id);
    const done = await client.waitForBatch(batch.id, { pollIntervalMs: 1 });
    expect(done.status).toBe('failed');
    expect(done.problems).toEqual([{ code: 'invalid_method', message: 'The method must be POST.', line: 1 }]);
  });

  it('names the file and the line of a malformed output line', async () => {
    const { client } = await start({ corruptOutputLine: 2 });
    const done = await client.waitForBatch((await client.submit(items('a', 'b', 'c'))).id, {
      pollIntervalMs: 1,
    });
    const failure = await client.results(done).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).details.code).toBe('invalid_response');
    expect((failure as ProviderError).message).toMatch(
      new RegExp(`^openai sent an unreadable answer: output file ${done.outputFileId} line 2: not JSON \\(`),
    );
  });

  it('turns 4xx and 5xx answers into provider errors, retrying only the retryable ones with one idempotency key', async () => {
    const { server, client } = await start({}, 2);
    await expect(client.retrieveBatch('batch_missing')).rejects.toMatchObject({
      name: 'ProviderError',
      status: 404,
      retryable: false,
      message: expect.stringContaining('openai answered HTTP 404 (not_found): No such batch: batch_missing'),
    });
    expect(server.requests).toHaveLength(1);

    server.failNext({ status: 500 }, { status: 503 });
    const file = await client.uploadFile('{}\n', 'x.jsonl');
    const uploads = server.requests.filter((request) => request.path === '/v1/files');
    expect(uploads).toHaveLength(3);
    expect(new Set(uploads.map((request) => request.headers['idempotency-key'])).size).toBe(1);
    expect(file.id).toMatch(/^file-/);

    server.failNext({ status: 502 }, { status: 502 }, { status: 502 });
    await expect(client.retrieveBatch('batch_missing')).rejects.toMatchObject({
      status: 502,
      retryable: true,
    });
  });

  it('gives up waiting after the timeout, and stops at once when aborted', async () => {
    const { client } = await start({ pollsPerStatus: 1000 });
    const batch = await client.submit(items('a'));
    const late = await client
      .waitForBatch(batch.id, { pollIntervalMs: 1, timeoutMs: 20 })
      .catch((error: unknown) => error);
    expect(late).toBeInstanceOf(ProviderError);
    expect((late as ProviderError).details).toMatchObject({ code: 'batch_wait_timeout', retryable: false });
    expect((late as ProviderError).message).toMatch(
      new RegExp(`^batch ${batch.id} is still validating after 20 ms; it keeps running`),
    );
    const controller = new AbortController();
    const seen: BatchState[] = [];
    const waiting = client.waitForBatch(batch.id, {
      pollIntervalMs: 50,
      signal: controller.signal,
      onProgress: (state) => {
        seen.push(state);
        controller.abort(new Error('stop'));
      },
    });
    await expect(waiting).rejects.toThrow('stop');
    expect(seen).toHaveLength(1);
  });

  it('refuses an input it cannot send, before any request', async () => {
    const { server, client } = await start();
    expect(() => client.inputFile([])).toThrow(UsageError);
    const twice = [...items('a'), ...items('b')];
    expect(() => client.inputFile(twice)).toThrow("request 2: custom id 'item-1' is repeated");
    expect(() => client.inputFile([{ ...items('a')[0]!, customId: 'x'.repeat(65) }])).toThrow(
      'custom id must be 1 to 64 characters',
    );
    expect(server.requests).toHaveLength(0);
  });
});
