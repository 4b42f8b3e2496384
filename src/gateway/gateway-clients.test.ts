import Anthropic from '@anthropic-ai/sdk';
import { OpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAnthropicServer, startFakeAnthropicServer } from '../testing/fake-anthropic-server.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import { startTestGateway, type TestGateway } from './gateway-test-harness.js';

/**
 * The gateway as real clients see it: the official `openai` and `@anthropic-ai/sdk` SDKs pointed at it, with
 * virtual keys created through the admin API.
 */
let openaiUpstream: FakeOpenAIServer;
let anthropicUpstream: FakeAnthropicServer;
let gateway: TestGateway;
const master = 'master-key-for-tests-0123456789';
const requestIds: string[] = [];
const keyIds: string[] = [];

async function createKey(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const response = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${master}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

beforeAll(async () => {
  openaiUpstream = await startFakeOpenAIServer({ apiKey: 'sk-upstream' });
  anthropicUpstream = await startFakeAnthropicServer({ apiKey: 'sk-ant-upstream' });
  gateway = await startTestGateway(
    `gateway:
  master_key_env: MASTER
  model_list:
    - { model_name: gpt-4o-mini, provider: openai, model: gpt-4o-mini, api_base: "${openaiUpstream.baseURL}", api_key_env: UPSTREAM_KEY }
    - { model_name: text-embedding-3-small, provider: openai, model: text-embedding-3-small, api_base: "${openaiUpstream.baseURL}", api_key_env: UPSTREAM_KEY }
    - { model_name: claude-sonnet-4-5, provider: anthropic, model: claude-sonnet-4-5, api_base: "${anthropicUpstream.url}", api_key_env: ANTHROPIC_KEY }
  cache: { enabled: false }
`,
    { env: { MASTER: master, UPSTREAM_KEY: 'sk-upstream', ANTHROPIC_KEY: 'sk-ant-upstream' } },
  );
});
afterAll(async () => {
  await gateway.gateway.close();
  await Promise.all([openaiUpstream.close(), anthropicUpstream.close()]);
});

describe('the openai SDK through the gateway', () => {
  it('chats, streams and embeds with a virtual key, attributed to it', async () => {
    const { id, key } = await createKey({ name: 'sdk', feature: 'support' });
    const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    openaiUpstream.setReply({ text: 'Hello there.', usage: { input: 20, output: 5 } });
    const { data, response } = await client.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
        { headers: { 'x-frugal-user': 'u-7' } },
      )
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('Hello there.');
    expect(data.usage?.prompt_tokens).toBe(20);
    requestIds.push(response.headers.get('x-frugal-request-id')!);

    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello there.');

    const embedded = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(embedded.data).toHaveLength(2);
    expect(embedded.data[0]!.embedding.length).toBeGreaterThan(0);

    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('claude-sonnet-4-5');

    keyIds.push(id);
  });
});

describe('keys', () => {
  it('refuses a missing or wrong key with 401 in the SDK error shape', async () => {
    const client = new OpenAI({ apiKey: 'sk-frugal-wrong', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
  });

  it('refuses a model the key may not call with 403, and a revoked key with 401', async () => {
    const { id, key } = await createKey({ models: ['claude-sonnet-4-5'] });
    const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 403, code: 'model_not_allowed' });
    const listed = await client.models.list();
    expect(listed.data.map((model) => model.id)).toEqual(['claude-sonnet-4-5']);
    const revoked = await fetch(`${gateway.url}/admin/keys/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${master}` },
    });
    expect(revoked.status).toBe(200);
    await expect(client.models.list()).rejects.toMatchObject({ status: 401 });
  });

  it("enforces a key's own hard budget", async () => {
    const { key } = await createKey({ budget_usd: '0.000001', budget_period: 'day' });
    const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    // The key's budget holds at once on the replica that created it: a call that could cost more is refused.
    const refused = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], max_tokens: 1000 })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 429, code: 'budget_exceeded' });
  });
});

describe('per-key rate limits', () => {
  it("refuses a key's request over its requests per minute with 429 and Retry-After", async () => {
    const { key } = await createKey({ rpm: 1 });
    const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const ask = () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    await ask();
    const refused = await ask()
      .withResponse()
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(Number((refused as { headers: Headers }).headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another key is not limited by this one's.
    const other = await createKey({});
    const free = new OpenAI({ apiKey: other.key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await expect(
      free.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    ).resolves.toBeDefined();
  });
});

describe('the Anthropic SDK through the gateway', () => {
  it('sends messages, streamed and not, with a virtual key in x-api-key', async () => {
    const { key } = await createKey({ name: 'anthropic-sdk' });
    const client = new Anthropic({ apiKey: key, baseURL: gateway.url, maxRetries: 0 });
    anthropicUpstream.setReply({ text: 'Bonjour.', usage: { input: 30, output: 4 } });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Salut' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Bonjour.' });
    expect(message.usage.input_tokens).toBe(30);
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Salut' }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Bonjour.' });
    expect(final.usage.output_tokens).toBe(4);
    expect(
      anthropicUpstream.requests.every((request) => request.headers['x-api-key'] === 'sk-ant-upstream'),
    ).toBe(true);
  });

  it('reaches the simulator and OpenAI deployments from the Anthropic protocol', async () => {
    const { key } = await createKey({});
    const client = new Anthropic({ apiKey: key, baseURL: gateway.url, maxRetries: 0 });
    openaiUpstream.setReply({ text: 'Translated.', usage: { input: 9, output: 2 } });
    const message = await client.messages.create({
      model: 'gpt-4o-mini',
      max_tokens: 64,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Translated.' });
    expect(message.usage).toMatchObject({ input_tokens: 9, output_tokens: 2 });
    const sent = openaiUpstream.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
  });
});

describe('the ledger', () => {
  it("attributes the first call to its key, the key's feature and the user header (runs last: closes the gateway)", async () => {
    const [spans] = await gateway.closeAndRead([requestIds[0]!]);
    expect(spans).toHaveLength(1);
    expect(spans![0]!.attribution).toEqual({ apiKeyId: keyIds[0], feature: 'support', user: 'u-7' });
    expect(spans![0]!.cost?.status).toBe('priced');
  });
});
