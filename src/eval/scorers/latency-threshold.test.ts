import { describe, expect, it } from 'vitest';
import type { Prediction } from '../scorer.js';
import { latencyThreshold } from './latency-threshold.js';

const input = (prediction: Partial<Prediction>) => ({
  row: { id: 'r', index: 0, inputs: { q: 1 }, expectations: {} },
  prediction: { text: 'answer', ...prediction },
});

describe('latencyThreshold', () => {
  it.each<[Partial<Prediction>, boolean | undefined, string | undefined]>([
    [{ latencyMs: 800 }, true, undefined],
    [{ latencyMs: 1000 }, true, undefined],
    [{ latencyMs: 1000.5 }, false, undefined],
    [{ latencyMs: 0 }, true, undefined],
    [{ cached: true }, undefined, 'served from the run cache: no fresh latency to judge'],
    [{}, undefined, 'no latency was recorded'],
  ])('%j gives %s', async (prediction, value, error) => {
    const score = await latencyThreshold(1000).score(input(prediction));
    expect(score.value).toBe(value);
    expect(score.error).toBe(error);
  });

  it('explains a fail and refuses a bad limit', async () => {
    expect((await latencyThreshold(500).score(input({ latencyMs: 750 }))).rationale).toBe(
      'took 750 ms, over the limit of 500 ms',
    );
    expect(() => latencyThreshold(Number.NaN)).toThrow('limitMs must be a number ≥ 0, got NaN');
  });
});
