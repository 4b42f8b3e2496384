import { describe, expect, it } from 'vitest';
import { createLocalHashEmbedder, hashEmbed } from './local-hash-embedder.js';
import { cosine } from './pair-similarities.js';

const norm = (vector: Float32Array) => Math.sqrt(cosine(vector, vector));
const similarity = (a: string, b: string) => cosine(hashEmbed(a, 384), hashEmbed(b, 384));

describe('local hash embedder', () => {
  it('names itself by version and size, is local and bills nothing', async () => {
    const embedder = createLocalHashEmbedder({ dimensions: 256 });
    expect(embedder).toMatchObject({ id: 'local/hash-v1-256', dimensions: 256, local: true });
    const { vectors, usage } = await embedder.embed(['one', 'two']);
    expect(vectors.map((vector) => vector.length)).toEqual([256, 256]);
    expect(usage).toEqual({ input: 0, output: 0 });
    expect(createLocalHashEmbedder().id).toBe('local/hash-v1-384');
  });

  it('gives the same vector for the same text, across embedder instances', async () => {
    const text = 'How do I reset my password on the mobile app?';
    const [first] = (await createLocalHashEmbedder().embed([text])).vectors;
    const [second] = (await createLocalHashEmbedder().embed([text])).vectors;
    expect(Array.from(second!)).toEqual(Array.from(first!));
    // Pinned values: a change to the features or the hash must change the id (hash-v2), not these silently.
    const nonZero = Array.from(first!.entries()).filter(([, value]) => value !== 0);
    expect(nonZero.slice(0, 3).map(([slot, value]) => `${slot}:${value.toFixed(6)}`)).toMatchInlineSnapshot(`
      [
        "7:0.128037",
        "25:-0.256074",
        "28:-0.128037",
      ]
    `);
    expect(nonZero.length).toMatchInlineSnapshot(`43`);
  });

  it.each([
    ['a question', 'What is the capital of France?'],
    ['only stopwords', 'what is it'],
    ['only punctuation', '?!'],
    ['an empty text', ''],
    ['Cyrillic', 'Как сбросить пароль?'],
    ['Chinese without spaces', '如何重置我的密码'],
    ['a long text', 'token '.repeat(5_000)],
  ])('gives %s a unit vector', (_name, text) => {
    expect(norm(hashEmbed(text, 384))).toBeCloseTo(1, 5);
  });

  it('ignores case, punctuation, plurals and inflection', () => {
    expect(similarity('How do I improve my English?', 'how do i improve my english')).toBeGreaterThan(0.999);
    expect(similarity('Best books for learning Python', 'best book to learn python')).toBeGreaterThan(0.8);
  });

  it('scores shared wording above unrelated wording, and says nothing of meaning', () => {
    const near = similarity('How can I lose weight fast?', 'How can I lose weight quickly?');
    const far = similarity('How can I lose weight fast?', 'What is the best programming language?');
    expect(near).toBeGreaterThan(0.6);
    expect(far).toBeLessThan(0.2);
    // A paraphrase in other words is far: the embedder is lexical, not semantic.
    expect(similarity('How do I return an item?', 'Can I send my order back?')).toBeLessThan(0.3);
  });

  it('keeps negations: "not" is a content word', () => {
    expect(similarity('Is coffee bad for you?', 'Is coffee not bad for you?')).toBeLessThan(0.95);
  });

  it('refuses impossible sizes and non-string inputs, and honours an aborted signal', async () => {
    expect(() => createLocalHashEmbedder({ dimensions: 4 })).toThrow(/dimensions must be an integer from 8/);
    expect(() => createLocalHashEmbedder({ dimensions: 1.5 })).toThrow(/got 1.5/);
    const embedder = createLocalHashEmbedder();
    await expect(embedder.embed(['ok', 42 as unknown as string])).rejects.toThrow(
      'local/hash-v1-384: input 1 is not a string',
    );
    await expect(embedder.embed(['ok'], AbortSignal.abort())).rejects.toThrow(/abort/i);
  });
});
