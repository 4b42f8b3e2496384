import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gsm8kFile, gsm8kOutcomes } from '../../../test/support/routellm-gsm8k.js';
import { importRouteLlmCorrectness, routeLlmStrong, routeLlmWeak } from '../outcomes/import-routellm.js';
import { createLocalHashEmbedder } from '../semantic-cache/local-hash-embedder.js';
import { chooseThresholds, runCascade } from './cascade-outcomes.js';
import { evaluateCascade } from './evaluate-cascade.js';
import { frugalGptReference } from './frugalgpt-reference.js';

const data = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');

describe('runCascade', () => {
  // Three queries, two stages: the cheap model (cost 1) is right on #0 and #2, the strong one (cost 10) on all.
  const table = {
    scores: [
      [1, 0, 1],
      [1, 1, 1],
    ],
    costs: [
      [1n, 1n, 1n],
      [10n, 10n, 10n],
    ],
    acceptance: [[0.9, 0.2, 0.6]],
  };

  it('keeps a stage answer at or above its threshold, pays for every stage tried', () => {
    expect(runCascade(table, [0.6], [0, 1, 2])).toEqual({
      queries: 3,
      quality: 1,
      cost: 13n,
      answeredAt: [2 / 3, 1 / 3],
    });
    expect(runCascade(table, [Number.POSITIVE_INFINITY], [0, 1, 2])).toMatchObject({ quality: 1, cost: 33n });
    expect(runCascade(table, [Number.NEGATIVE_INFINITY], [0, 1, 2])).toMatchObject({
      quality: 2 / 3,
      cost: 3n,
    });
  });

  it('chooses the cheapest thresholds meeting a quality, or the best quality within a budget', () => {
    const forQuality = chooseThresholds(table, [0, 1, 2], { kind: 'quality', atLeast: 1 });
    expect(runCascade(table, forQuality, [0, 1, 2])).toMatchObject({ quality: 1, cost: 13n });
    const forBudget = chooseThresholds(table, [0, 1, 2], { kind: 'budget', perQueryAtMost: 2n });
    expect(runCascade(table, forBudget, [0, 1, 2]).cost).toBeLessThanOrEqual(6n);
  });
});

describe('evaluateCascade on GSM8K (RouteLLM outcomes with both answers)', () => {
  const set = gsm8kOutcomes();
  const embedder = createLocalHashEmbedder({ dimensions: 256 });

  it('tries Mixtral first, reports the cascade beside each model alone on the test queries', async () => {
    const evaluation = await evaluateCascade(set, { embedder });
    expect(evaluation.stages).toEqual([routeLlmWeak, routeLlmStrong]);
    expect(evaluation.seesAnswers).toBe(true);
    expect(evaluation.best).toBe(routeLlmStrong);
    const [weak, strong] = evaluation.singles;
    expect(strong!.quality).toBeGreaterThan(weak!.quality);
    const { cascade } = evaluation;
    expect(cascade.answeredAt.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);
    // Every query pays the cheap stage; the escalated ones pay the strong model too.
    expect(cascade.cost).toBeGreaterThanOrEqual(weak!.cost);
    expect(cascade.cost).toBeLessThanOrEqual(weak!.cost + strong!.cost);
    // The goal is the best model's validation quality: the cascade lands close to it on test.
    expect(cascade.quality).toBeGreaterThan(strong!.quality - 0.05);
  });

  it('keeps within a budget per query when given one', async () => {
    const budget = 2_000_000_000n; // $0.002 per query: about half of GPT-4's cost here
    const evaluation = await evaluateCascade(set, {
      embedder,
      goal: { kind: 'budget', perQueryAtMost: budget },
    });
    const perQuery = Number(evaluation.cascade.cost) / evaluation.cascade.queries;
    expect(perQuery).toBeLessThan(Number(budget) * 1.25);
    expect(evaluation.cascade.quality).toBeGreaterThan(evaluation.singles[0]!.quality);
  });

  it('refuses models without prices or token counts', async () => {
    const bare = importRouteLlmCorrectness(readFileSync(gsm8kFile, 'utf8'), gsm8kFile, 'gsm8k');
    await expect(evaluateCascade(bare, { embedder })).rejects.toThrow(/needs every query's token counts/);
  });
});

describe('the FrugalGPT reference picture', () => {
  it('reproduces the derived figures of SOURCES.md', () => {
    const text = readFileSync(
      join(data, 'frugalgpt', 'frugalgpt_2024_models_and_cascade_summary.csv'),
      'utf8',
    );
    const points = Object.fromEntries(
      frugalGptReference(text, 'summary.csv').map((point) => [point.dataset, point]),
    );
    expect(points['HEADLINES']).toMatchObject({ bestModel: 'gpt-4-turbo', bestAccuracy: 0.8558 });
    expect(points['HEADLINES']!.cascade!.accuracy).toBe(0.8698);
    expect(points['HEADLINES']!.cascade!.saving).toBeCloseTo(0.942, 3);
    expect(points['HEADLINES']!.cascadeBestAccuracy).toBe(0.8746);
    expect(points['SCIQ']!.cascade!.saving).toBeCloseTo(0.884, 3);
    expect(points['AGNEWS']!.bestModel).toBe('claude-3-5-sonnet-20240620');
    expect(points['AGNEWS']!.cascade!.saving).toBeCloseTo(0.723, 3);
    expect(points['OVERRULING']!.cascade!.saving).toBeCloseTo(0.573, 3);
    expect(points['COQA']!.bestModel).toBe('gemini-1.5-flash');
    expect(points['COQA']!.cascade).toBeUndefined();
  });
});
