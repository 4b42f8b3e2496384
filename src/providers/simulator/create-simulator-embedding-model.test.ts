import { describe, expect, it } from 'vitest';
import { cost } from '../../core/cost/cost.js';
import { countTokens } from '../../core/tokens/count-tokens.js';
import { createSimulatorEmbeddingModel } from './create-simulator-embedding-model.js';

const cosine = (a: readonly number[], b: readonly number[]) =>
  a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe('createSimulatorEmbeddingModel', () => {
  it('gives unit vectors, closer for texts that share words, deterministically', async () => {
    const model = createSimulatorEmbeddingModel();
    const inputs = ['What is a database index?', 'what are database indexes', 'How does TLS work?'];
    const { vectors, usage, simulated, raw } = await model.embed({ inputs });
    expect(simulated).toBe(true);
    expect(raw).toMatchObject({ simulated: true });
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) expect(cosine(vector, vector)).toBeCloseTo(1, 9);
    expect(cosine(vectors[0]!, vectors[1]!)).toBeGreaterThan(0.9);
    expect(Math.abs(cosine(vectors[0]!, vectors[2]!))).toBeLessThan(0.3);
    expect((await model.embed({ inputs })).vectors).toEqual(vectors);
    let tokens = 0;
    for (const input of inputs) tokens += (await countTokens(input)).tokens;
    expect(usage).toEqual({ input: tokens, output: 0 });
    const priced = cost(usage, 'sim/embed');
    expect(priced.status === 'priced' && priced.total > 0n).toBe(true);
  });

  it('takes dimensions from the request or the options', async () => {
    const model = createSimulatorEmbeddingModel({ dimensions: 8 });
    expect((await model.embed({ inputs: ['a b'] })).vectors[0]).toHaveLength(8);
    expect((await model.embed({ inputs: ['a b'], dimensions: 16 })).vectors[0]).toHaveLength(16);
    await expect(model.embed({ inputs: ['a'], dimensions: 0 })).rejects.toThrow(/dimensions/);
  });
});
