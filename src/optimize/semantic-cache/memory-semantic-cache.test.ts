import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrugalError } from '../../core/errors.js';
import { createOpenAICompatibleEmbeddingModel } from '../../providers/openai-compatible-embedding-model.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../../testing/fake-openai-server.js';
import { createLocalHashEmbedder } from './local-hash-embedder.js';
import { createMemorySemanticCacheStorage } from './memory-semantic-cache-storage.js';
import { createModelEmbedder } from './model-embedder.js';
import { createSemanticCache } from './semantic-cache.js';
import { describeSemanticCacheContract } from './semantic-cache-contract.js';

// Several handles onto one memory storage are the same storage: caches sharing it are replicas in one process.
describeSemanticCacheContract('memory', {
  async open(handles = 1) {
    const storage = createMemorySemanticCacheStorage();
    return Array.from({ length: handles }, () => storage);
  },
  async closeAll() {},
});

const namespace = { model: 'gpt-4o-mini', system: '', parameters: {} };

describe('semantic cache', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer({ embeddingDimensions: 8 });
  });
  afterAll(() => server.close());

  const remote = () =>
    createModelEmbedder({
      model: createOpenAICompatibleEmbeddingModel({
        model: 'text-embedding-3-small',
        baseUrl: server.baseURL,
        apiKey: 'sk-test',
        retry: { sleep: async () => undefined, maxRetries: 0 },
      }),
      dimensions: 8,
    });

  it('counts the embedder tokens it pays for, and reuses the miss vector when storing', async () => {
    server.reset();
    server.setReply({ usage: { input: 5 } });
    const cache = await createSemanticCache({ embedder: remote(), threshold: 0.95 });
    const miss = await cache.lookup({ namespace, text: 'hello there' });
    await cache.store({ namespace, text: 'hello there', answer: 'hi', cost: 1n, vector: miss.vector });
    expect(await cache.lookup({ namespace, text: 'hello there' })).toMatchObject({ hit: true, answer: 'hi' });
    expect(server.requests).toHaveLength(2); // two lookups, no embedding for the store
    expect(cache.stats.embeddingTokens).toBe(10);
  });

  it('rejects a lookup with a clear error when the embedder fails', async () => {
    server.reset();
    server.enqueue({ error: { status: 503, message: 'overloaded' } });
    const cache = await createSemanticCache({ embedder: remote(), threshold: 0.95 });
    const failure = await cache.lookup({ namespace, text: 'hello' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FrugalError);
    expect((failure as Error).message).toMatch(
      /^embedder openai\/text-embedding-3-small: the embeddings call failed: .*503.*overloaded/,
    );
    expect(cache.stats).toMatchObject({ hits: 0, misses: 0 });
  });

  it('grows from exact search into an HNSW index without losing entries', async () => {
    const cache = await createSemanticCache({
      embedder: createLocalHashEmbedder(),
      threshold: 0.99,
      index: { exactLimit: 20 },
    });
    const texts = Array.from(
      { length: 60 },
      (_, index) => `question number ${index} about topic ${index * 7}`,
    );
    for (const text of texts) await cache.store({ namespace, text, answer: text, cost: 0n });
    expect(cache.size).toBe(60);
    for (const text of texts) {
      expect(await cache.lookup({ namespace, text })).toMatchObject({ hit: true, answer: text });
    }
  });
});
