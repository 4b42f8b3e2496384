import { AuthenticationError, InternalServerError, NotFoundError, OpenAI, toFile } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { closeFakeOpenAIBatchServers, startFakeOpenAIBatchServer } from './fake-openai-batch-server.js';

afterEach(closeFakeOpenAIBatchServers);

async function start(options: Parameters<typeof startFakeOpenAIBatchServer>[0] = {}) {
  const server = await startFakeOpenAIBatchServer(options);
  return {
    server,
    client: new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 }),
  };
}

const line = (customId: string, content: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] },
    ...extra,
  });
const jsonl = (...lines: string[]) => lines.map((text) => `${text}\n`).join('');

async function submit(client: OpenAI, content: string) {
  const file = await client.files.create({
    file: await toFile(Buffer.from(content), 'input.jsonl'),
    purpose: 'batch',
  });
  return client.batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
}

async function pollToEnd(client: OpenAI, batchId: string) {
  const seen: string[] = [];
  for (let poll = 0; poll < 20; poll++) {
    const batch = await client.batches.retrieve(batchId);
    seen.push(`${batch.status}:${batch.request_counts?.completed}/${batch.request_counts?.failed}`);
    if (['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) return { batch, seen };
  }
  throw new Error(`batch never finished: ${seen.join(' ')}`);
}

type OutputLine = {
  custom_id: string;
  response: { status_code: number; body: unknown } | null;
  error: { code: string; message: string } | null;
};

const linesOf = async (client: OpenAI, fileId: string | null | undefined) =>
  (await (await client.files.content(fileId!)).text())
    .split('\n')
    .filter((text) => text !== '')
    .map((text) => JSON.parse(text) as OutputLine);

describe('fake OpenAI Batch API, driven by the openai SDK', () => {
  it('stores the multipart upload, walks the statuses and answers every line like the chat route', async () => {
    const { server, client } = await start({
      reply: (request) => ({
        text: `echo: ${(request.body as { messages: { content: string }[] }).messages[0]!.content}`,
        usage: { input: 11, output: 3 },
      }),
      linesPerPoll: 1,
      pollsPerStatus: 2,
    });
    const content = jsonl(line('a', 'first'), line('b', 'second'));
    const created = await submit(client, content);
    expect(created).toMatchObject({ object: 'batch', status: 'validating', completion_window: '24h' });
    const upload = server.requests.find((request) => request.path === '/v1/files')!;
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect([...server.files.values()][0]).toMatchObject({
      filename: 'input.jsonl',
      purpose: 'batch',
      content,
    });

    const { batch, seen } = await pollToEnd(client, created.id);
    expect(seen).toEqual([
      'validating:0/0',
      'in_progress:0/0',
      'in_progress:1/0',
      'finalizing:2/0',
      'finalizing:2/0',
      'completed:2/0',
    ]);
    expect(batch.error_file_id).toBeNull();
    const output = await linesOf(client, batch.output_file_id);
    expect(output.map((entry) => entry.custom_id)).toEqual(['a', 'b']);
    expect(output[1]).toMatchObject({
      error: null,
      response: {
        status_code: 200,
        body: {
          object: 'chat.completion',
          model: 'gpt-4o-mini',
          choices: [{ message: { content: 'echo: second' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
        },
      },
    });
  });

  it('puts scripted failures in the error file and counts them', async () => {
    const { client } = await start({ failLines: { b: { status: 429, message: 'Too many tokens' } } });
    const created = await submit(client, jsonl(line('a', 'x'), line('b', 'y'), line('c', 'z')));
    const { batch } = await pollToEnd(client, created.id);
    expect(batch.status).toBe('completed');
    expect(batch.request_counts).toEqual({ total: 3, completed: 2, failed: 1 });
    expect((await linesOf(client, batch.output_file_id)).map((entry) => entry.custom_id)).toEqual(['a', 'c']);
    expect(await linesOf(client, batch.error_file_id)).toMatchObject([
      {
        custom_id: 'b',
        response: {
          status_code: 429,
          body: { error: { message: 'Too many tokens', code: 'rate_limit_exceeded' } },
        },
      },
    ]);
  });

  it('fails validation with the problem and the line number of each bad line', async () => {
    const { client } = await start();
    const bad = jsonl(
      line('a', 'ok'),
      '{not json',
      line('a', 'again'),
      line('c', 'wrong url', { url: '/v1/embeddings' }),
      JSON.stringify({
        custom_id: 'd',
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'gpt-4o' },
      }),
    );
    const { batch } = await pollToEnd(client, (await submit(client, bad)).id);
    expect(batch.status).toBe('failed');
    expect(batch.errors?.data?.map(({ code, line }) => [code, line])).toEqual([
      ['invalid_json_line', 2],
      ['duplicate_custom_id', 3],
      ['invalid_url', 4],
      ['mismatched_model', 5],
    ]);
  });

  it('expires with the lines done in the output file and the rest as batch_expired', async () => {
    const { client } = await start({ linesPerPoll: 1, expireAfterLines: 2 });
    const created = await submit(
      client,
      jsonl(line('a', '1'), line('b', '2'), line('c', '3'), line('d', '4')),
    );
    const { batch } = await pollToEnd(client, created.id);
    expect(batch.status).toBe('expired');
    expect((await linesOf(client, batch.output_file_id)).map((entry) => entry.custom_id)).toEqual(['a', 'b']);
    const errors = await linesOf(client, batch.error_file_id);
    expect(errors.map((entry) => [entry.custom_id, entry.response, entry.error?.code])).toEqual([
      ['c', null, 'batch_expired'],
      ['d', null, 'batch_expired'],
    ]);
  });

  it('cancels: cancelling, then cancelled with what was done; a finished batch cannot be cancelled', async () => {
    const { client } = await start({ linesPerPoll: 1 });
    const created = await submit(client, jsonl(line('a', '1'), line('b', '2'), line('c', '3')));
    await client.batches.retrieve(created.id); // in_progress
    await client.batches.retrieve(created.id); // one line done
    expect((await client.batches.cancel(created.id)).status).toBe('cancelling');
    const { batch } = await pollToEnd(client, created.id);
    expect(batch.status).toBe('cancelled');
    expect((await linesOf(client, batch.output_file_id)).map((entry) => entry.custom_id)).toEqual(['a']);
    expect((await linesOf(client, batch.error_file_id)).map((entry) => entry.error?.code)).toEqual([
      'batch_cancelled',
      'batch_cancelled',
    ]);
    await expect(client.batches.cancel(created.id)).rejects.toMatchObject({ status: 409 });
  });

  it('answers errors as OpenAI does: bad key, unknown batch, scripted 5xx; writes a corrupt line on request', async () => {
    const { server, client } = await start({ apiKey: 'sk-test', corruptOutputLine: 2 });
    const stranger = new OpenAI({ apiKey: 'sk-other', baseURL: server.baseURL, maxRetries: 0 });
    await expect(stranger.batches.retrieve('batch_x')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(client.batches.retrieve('batch_x')).rejects.toBeInstanceOf(NotFoundError);
    server.failNext({ status: 503 });
    await expect(client.batches.retrieve('batch_x')).rejects.toBeInstanceOf(InternalServerError);
    const { batch } = await pollToEnd(
      client,
      (await submit(client, jsonl(line('a', '1'), line('b', '2')))).id,
    );
    const text = await (await client.files.content(batch.output_file_id!)).text();
    const [first, second] = text.split('\n');
    expect(JSON.parse(first!)).toMatchObject({ custom_id: 'a' });
    expect(() => JSON.parse(second!)).toThrow();
  });
});
