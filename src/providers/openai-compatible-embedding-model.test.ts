import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import { deterministicVector } from '../testing/openai-embeddings-route.js';
import { createOpenAICompatibleEmbeddingModel } from './openai-compatible-embedding-model.js';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({ embeddingDimensions: 4 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.setReply({});
});

const model = () =>
  createOpenAICompatibleEmbeddingModel({
    model: 'text-embedding-3-small',
    baseUrl: server.baseURL,
    apiKey: 'sk-test',
    retry: { sleep: async () => undefined },
  });

describe('createOpenAICompatibleEmbeddingModel', () => {
  it('embeds inputs in order with the prompt-token usage', async () => {
    const result = await model().embed({ inputs: ['alpha', 'beta'], dimensions: 4 });
    expect(result.vectors).toHaveLength(2);
    expect(result.vectors[0]?.[0]).toBeCloseTo(deterministicVector('alpha', 4)[0]!, 5);
    expect(result.vectors[1]?.[0]).toBeCloseTo(deterministicVector('beta', 4)[0]!, 5);
    expect(result.usage.input).toBe(3);
    expect(result).toMatchObject({ responseModel: 'text-embedding-3-small', simulated: false });
    expect(server.requests[0]?.path).toBe('/v1/embeddings');
    expect(server.requests[0]?.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['alpha', 'beta'],
      encoding_format: 'float',
      dimensions: 4,
    });
  });

  it('retries a 500 and succeeds; does not retry a 400', async () => {
    server.enqueue({ error: { status: 500 } });
    expect((await model().embed({ inputs: ['a'] })).vectors).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    server.reset();
    server.enqueue({ error: { status: 400, message: 'too long' } });
    await expect(model().embed({ inputs: ['a'] })).rejects.toMatchObject({ status: 400, retryable: false });
    expect(server.requests).toHaveLength(1);
  });
});
