import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../../testing/fake-openai-server.js';
import { startTestGateway, type TestGateway } from '../gateway-test-harness.js';

// CI exports FRUGAL_TEST_REDIS_URL (../shared/services.sh): the shared-cache test fails without it, never skips.
const redisUrl = process.env['FRUGAL_TEST_REDIS_URL'];
let openai: FakeOpenAIServer;
const gateways: TestGateway[] = [];
beforeAll(async () => {
  openai = await startFakeOpenAIServer({ apiKey: 'sk-upstream' });
});
afterAll(() => openai.close());
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.gateway.close()));
});

const env = { UPSTREAM_KEY: 'sk-upstream' };
const yaml = (semantic: string, rest = '') =>
  [
    'gateway:',
    '  model_list:',
    ...['gpt-4o-mini', 'gpt-4o'].map(
      (name) =>
        `    - { model_name: ${name}, provider: openai, model: ${name}, api_base: "${openai.baseURL}", api_key_env: UPSTREAM_KEY }`,
    ),
    `  semantic_cache: ${semantic}`,
    rest,
  ].join('\n');
const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are the support assistant of an online shop.' },
    { role: 'user', content },
  ],
  ...extra,
});
async function start(text: string): Promise<TestGateway> {
  const gateway = await startTestGateway(text, { env });
  gateways.push(gateway);
  return gateway;
}

describe('the semantic cache in the gateway', () => {
  it('serves a reworded question from the answer to the first, at no cost, and records what it saved', async () => {
    const gateway = await start(yaml('{ threshold: 0.8 }'));
    openai.reset();
    openai.setReply({
      text: 'Open Settings, then Security, then Reset password.',
      usage: { input: 40, output: 12 },
    });
    const first = await gateway.post('/v1/chat/completions', ask('How do I reset my password?'));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-frugal-cache')).toBe('miss');
    const second = await gateway.post('/v1/chat/completions', ask('how do i reset my password'));
    expect(second.status).toBe(200);
    expect(second.headers.get('x-frugal-cache')).toBe('semantic-hit');
    expect(Number(second.headers.get('x-frugal-cache-similarity'))).toBeGreaterThanOrEqual(0.8);
    expect(second.headers.get('x-frugal-cost-usd')).toBe('0');
    expect(second.headers.get('x-frugal-cache-saved-usd')).toBe(first.headers.get('x-frugal-cost-usd'));
    expect(second.json().choices[0].message.content).toBe(
      'Open Settings, then Security, then Reset password.',
    );
    expect(openai.requests).toHaveLength(1);

    // Never across models, system prompts or parameters; an unrelated question is a miss.
    const misses = [
      ask('how do i reset my password', { model: 'gpt-4o' }),
      {
        ...ask('how do i reset my password'),
        messages: [{ role: 'user', content: 'how do i reset my password' }],
      },
      ask('how do i reset my password', { temperature: 1.5 }),
      ask('Where is my parcel?'),
    ];
    for (const body of misses) {
      const reply = await gateway.post('/v1/chat/completions', body);
      expect(reply.headers.get('x-frugal-cache')).toBe('miss');
    }
    expect(openai.requests).toHaveLength(5);
    const [spans] = await gateway.closeAndRead([second.headers.get('x-frugal-request-id')!]);
    expect(spans![0]!.attributes).toMatchObject({ 'frugal.cache.status': 'semantic-hit' });
    expect(spans![0]!.attributes['frugal.cache.saved_usd']).toBe(first.headers.get('x-frugal-cost-usd'));
    expect(spans![0]!.cost).toMatchObject({ status: 'priced', total: 0n });
  });

  it('is skipped by cache-control: no-cache, and a streamed question only gets a streamed answer', async () => {
    const gateway = await start(yaml('{ threshold: 0.8 }'));
    openai.reset();
    openai.setReply({ text: 'Within 30 days.' });
    await gateway.post('/v1/chat/completions', ask('What is the return window?'));
    const skipped = await gateway.post('/v1/chat/completions', ask('what is the return window'), {
      'cache-control': 'no-cache',
    });
    expect(skipped.headers.get('x-frugal-cache')).toBe('miss');
    const streamed = await gateway.post(
      '/v1/chat/completions',
      ask('what is the return window', { stream: true }),
    );
    expect(streamed.headers.get('x-frugal-cache')).toBe('miss');
    const again = await gateway.post(
      '/v1/chat/completions',
      ask('What is the return window', { stream: true }),
    );
    expect(again.headers.get('x-frugal-cache')).toBe('semantic-hit');
    expect(again.text).toContain('data: [DONE]');
    expect(openai.requests).toHaveLength(3);
  });

  it('shares entries between replicas through Redis', async () => {
    if (redisUrl === undefined)
      throw new Error('FRUGAL_TEST_REDIS_URL is not set: eval "$(bash ../shared/services.sh)"');
    const shared = `{ threshold: 0.8, backend: redis }`;
    const rest = `  redis: ${redisUrl}\n  cache: { enabled: false }`;
    const [a, b] = [await start(yaml(shared, rest)), await start(yaml(shared, rest))];
    openai.reset();
    // Entries outlive a test run in Redis: a system prompt of this run's own keeps it in a namespace of its own.
    const system = `You answer for shop ${process.pid}-${Date.now()}.`;
    const question = 'Can I change the delivery address of my order?';
    const own = (content: string) => ({
      ...ask(content),
      messages: [
        { role: 'system', content: system },
        { role: 'user', content },
      ],
    });
    openai.setReply({ text: 'Yes, until it ships.' });
    expect((await a.post('/v1/chat/completions', own(question))).headers.get('x-frugal-cache')).toBe('miss');
    // Replica b replays the shared log at most every second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const reply = await b.post('/v1/chat/completions', own(question.toLowerCase()));
    expect(reply.headers.get('x-frugal-cache')).toBe('semantic-hit');
    expect(reply.json().choices[0].message.content).toBe('Yes, until it ships.');
    expect(openai.requests).toHaveLength(1);
  });

  it('refuses a bad semantic_cache section, naming the path', async () => {
    await expect(start(yaml('{ threshold: 1.5 }'))).rejects.toThrow(/gateway\.semantic_cache\.threshold/);
    await expect(start(yaml('{ threshold: 0.9, embedder: word2vec }'))).rejects.toThrow(
      /gateway\.semantic_cache\.embedder: unknown embedder 'word2vec'/,
    );
    await expect(start(yaml('{ threshold: 0.9, backend: redis }'))).rejects.toThrow(
      /gateway\.semantic_cache\.backend: expected gateway\.redis/,
    );
  });
});
