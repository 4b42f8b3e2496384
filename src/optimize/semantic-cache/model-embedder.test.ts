import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FrugalError, ProviderError, UsageError } from '../../core/errors.js';
import { createOpenAICompatibleEmbeddingModel } from '../../providers/openai-compatible-embedding-model.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../../testing/fake-openai-server.js';
import { embedderFromSpec } from './embedder-spec.js';
import { createModelEmbedder } from './model-embedder.js';
import { cosine } from './pair-similarities.js';

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
    retry: { sleep: async () => undefined, maxRetries: 0 },
  });

describe('model embedder (OpenAI-compatible, over HTTP)', () => {
  it('normalises the vectors to unit length and keeps their direction', async () => {
    server.setReply({
      vectors: [
        [3, 4, 0, 0],
        [0, 0, 0, 2],
      ],
    });
    const embedder = createModelEmbedder({ model: model(), dimensions: 4 });
    const { vectors, usage } = await embedder.embed(['alpha', 'beta']);
    expect(vectors.map((vector) => Array.from(vector))).toEqual([
      [Math.fround(0.6), Math.fround(0.8), 0, 0],
      [0, 0, 0, 1],
    ]);
    expect(vectors[0]).toBeInstanceOf(Float32Array);
    expect(usage.input).toBe(3);
    expect(embedder).toMatchObject({ id: 'openai/text-embedding-3-small', dimensions: 4, local: false });
  });

  it('splits large inputs into batches, keeps their order and sums the billed tokens', async () => {
    server.setReply({ usage: { input: 7 } });
    const embedder = createModelEmbedder({ model: model(), dimensions: 4, batchSize: 2 });
    const texts = ['one', 'two', 'three', 'four', 'five'];
    const { vectors, usage } = await embedder.embed(texts);
    expect(server.requests.map((request) => (request.body as { input: string[] }).input)).toEqual([
      ['one', 'two'],
      ['three', 'four'],
      ['five'],
    ]);
    const single = await createModelEmbedder({ model: model(), dimensions: 4 }).embed(['three']);
    expect(cosine(vectors[2]!, single.vectors[0]!)).toBeCloseTo(1, 6);
    expect(usage.input).toBe(21);
  });

  it('sends dimensions only when asked to', async () => {
    await createModelEmbedder({ model: model(), dimensions: 4 }).embed(['a']);
    await createModelEmbedder({ model: model(), dimensions: 3, requestDimensions: true }).embed(['a']);
    expect(server.requests.map((request) => (request.body as { dimensions?: number }).dimensions)).toEqual([
      undefined,
      3,
    ]);
  });

  it('turns a provider error into a FrugalError naming the embedder, with the cause kept', async () => {
    server.enqueue({ error: { status: 401, message: 'Incorrect API key provided' } });
    const failure = await createModelEmbedder({ model: model(), dimensions: 4 })
      .embed(['a'])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FrugalError);
    expect((failure as Error).message).toMatch(
      /^embedder openai\/text-embedding-3-small: the embeddings call failed: .*HTTP 401.*Incorrect API key/,
    );
    expect((failure as Error).cause).toBeInstanceOf(ProviderError);
  });

  it('refuses vectors of the wrong length and zero vectors, saying which', async () => {
    const embedder = createModelEmbedder({ model: model(), dimensions: 8 });
    await expect(embedder.embed(['a'])).rejects.toThrow(
      'embedder openai/text-embedding-3-small: vector 0 has 4 dimensions, expected 8 (set dimensions to 4)',
    );
    server.setReply({
      vectors: [
        [1, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    });
    await expect(createModelEmbedder({ model: model(), dimensions: 4 }).embed(['a', 'b'])).rejects.toThrow(
      'vector 1 is zero or not finite',
    );
  });

  it('reports an unreachable endpoint clearly', async () => {
    const closed = await startFakeOpenAIServer();
    const baseUrl = closed.baseURL;
    await closed.close();
    const embedder = embedderFromSpec(`openai:text-embedding-3-small@${baseUrl}`, { dimensions: 4 });
    await expect(embedder.embed(['a'])).rejects.toThrow(
      /^embedder openai-compatible\/text-embedding-3-small@4: the embeddings call failed/,
    );
  });
});

describe('embedderFromSpec', () => {
  it('reads local, local:<dimensions> and openai:<model>@<url>', async () => {
    expect(embedderFromSpec('local').id).toBe('local/hash-v1-384');
    expect(embedderFromSpec('local:512').id).toBe('local/hash-v1-512');
    const remote = embedderFromSpec(`openai:text-embedding-3-small@${server.baseURL}`, {
      dimensions: 4,
      apiKey: 'sk-test',
    });
    expect(remote).toMatchObject({ id: 'openai-compatible/text-embedding-3-small@4', dimensions: 4 });
    expect((await remote.embed(['x'])).vectors[0]).toHaveLength(4);
    expect(embedderFromSpec(`openai:m@${server.baseURL}`).dimensions).toBe(1536);
  });

  it.each(['remote', 'openai:model', 'openai:@http://x', 'local:big', 'openai:m@ftp://host'])(
    "refuses '%s' with the accepted forms",
    (spec) => {
      expect(() => embedderFromSpec(spec)).toThrow(UsageError);
      expect(() => embedderFromSpec(spec)).toThrow(
        /expected 'local', 'local:<dimensions>' or 'openai:<model>@<base-url>'/,
      );
    },
  );
});
