import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../core/random.js';
import { importRouteLlmCorrectness, routeLlmStrong, routeLlmWeak } from '../outcomes/import-routellm.js';
import { callsToReach, oracleScores, routeCurve } from './route-curve.js';

const data = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'routellm');

describe('routeCurve', () => {
  it('computes PGR, CPT and APGR on a hand-checked example', () => {
    // Four queries: the strong model gains on #0 and #1, loses on #3. Strong mean 0.75, weak 0.25, gap 0.5.
    const strong = [1, 1, 1, 0];
    const weak = [0, 0, 0, 1];
    const curve = routeCurve({ routerScores: [0.9, 0.8, 0.1, 0.5], strong, weak });
    expect(curve.points.map((point) => [point.strongCalls, point.score])).toEqual([
      [0, 0.25],
      [1, 0.5],
      [2, 0.75],
      [3, 0.5],
      [4, 0.75],
    ]);
    expect(curve.points.map((point) => point.pgr)).toEqual([0, 0.5, 1, 0.5, 1]);
    expect(curve.cpt50).toBe(0.25);
    expect(curve.cpt80).toBeCloseTo(0.25 + 0.25 * 0.6, 12);
    // Trapezoids of width 1/4: (0+.5)/2 + (.5+1)/2 + (1+.5)/2 + (.5+1)/2 = 2.5, × 1/4.
    expect(curve.apgr).toBeCloseTo(0.625, 12);
  });

  it('moves tied queries together and sums costs exactly', () => {
    const curve = routeCurve({
      routerScores: [1, 1, 0],
      strong: [1, 0, 1],
      weak: [0, 0, 0],
      strongCost: [10n, 20n, 30n],
      weakCost: [1n, 2n, 3n],
    });
    expect(curve.points.map((point) => point.strongCalls)).toEqual([0, 2, 3]);
    expect(curve.points.map((point) => point.cost)).toEqual([6n, 33n, 60n]);
  });

  it('refuses queries where both models score alike', () => {
    expect(() => routeCurve({ routerScores: [1, 2], strong: [1, 0], weak: [1, 0] })).toThrow(/no gap/);
  });

  it('on MMLU: a random router has APGR ≈ 0.5, the oracle needs 6.25% / 10.0% strong calls (SOURCES.md)', () => {
    const set = importRouteLlmCorrectness(
      readFileSync(join(data, 'mmlu_gpt4_mixtral.jsonl'), 'utf8'),
      'm',
      'mmlu',
    );
    const strong = set.queries.map((query) => query.outcomes[routeLlmStrong]!.score);
    const weak = set.queries.map((query) => query.outcomes[routeLlmWeak]!.score);
    const oracle = routeCurve({ routerScores: oracleScores(strong, weak), strong, weak });
    expect(oracle.cpt50).toBeCloseTo(0.0625, 4);
    expect(oracle.cpt80).toBeCloseTo(0.1, 3);
    const apgrs = [1, 2, 3, 4, 5].map((seed) => {
      const random = createRandom(seed);
      return routeCurve({ routerScores: strong.map(() => random()), strong, weak }).apgr;
    });
    for (const apgr of apgrs) expect(Math.abs(apgr - 0.5)).toBeLessThan(0.03);
    const mean = apgrs.reduce((sum, apgr) => sum + apgr, 0) / apgrs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.015);
  });

  it('on GSM8K: the oracle needs 11.0% / 17.6% strong calls (SOURCES.md)', () => {
    const set = importRouteLlmCorrectness(
      readFileSync(join(data, 'gsm8k_gpt4_mixtral.jsonl'), 'utf8'),
      'g',
      'gsm8k',
    );
    const strong = set.queries.map((query) => query.outcomes[routeLlmStrong]!.score);
    const weak = set.queries.map((query) => query.outcomes[routeLlmWeak]!.score);
    const oracle = routeCurve({ routerScores: oracleScores(strong, weak), strong, weak });
    expect(oracle.cpt50).toBeCloseTo(0.11, 3);
    expect(oracle.cpt80).toBeCloseTo(0.176, 3);
  });

  it('callsToReach is undefined for a PGR the curve never reaches', () => {
    const curve = routeCurve({ routerScores: [1, 0], strong: [1, 0], weak: [0, 0] });
    expect(callsToReach(curve.points, 1.5)).toBeUndefined();
    expect(callsToReach(curve.points, 0)).toBe(0);
  });
});
