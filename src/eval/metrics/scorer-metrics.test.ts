import { describe, expect, it } from 'vitest';
import type { Score } from '../scorer.js';
import { scorerMetrics } from './scorer-metrics.js';
import { summarizeScores } from './summarize-scores.js';

const passes = (...values: boolean[]): Score[] => values.map((value) => ({ value }));
const failed: Score = { value: undefined, error: 'judge timed out' };

describe('scorerMetrics', () => {
  it("gives seed 000's correctness/mean for 5 of 6 rows, with a Wilson interval", () => {
    const metrics = scorerMetrics(
      { name: 'correctness', kind: 'pass-fail' },
      passes(true, true, false, true, true, true),
    );
    expect(Object.keys(metrics)).toEqual([
      'correctness/mean',
      'correctness/ci_low',
      'correctness/ci_high',
      'correctness/n',
      'correctness/errors',
    ]);
    expect(metrics['correctness/mean']).toBeCloseTo(0.8333, 4);
    expect(metrics['correctness/ci_low']).toBeCloseTo(0.4365, 4);
    expect(metrics['correctness/ci_high']).toBeCloseTo(0.9699, 4);
    expect([metrics['correctness/n'], metrics['correctness/errors']]).toEqual([6, 0]);
  });

  it('leaves errors out of the mean and counts them', () => {
    const metrics = scorerMetrics({ name: 'completeness', kind: 'pass-fail' }, [
      ...passes(true, false),
      failed,
      failed,
    ]);
    expect(metrics).toMatchObject({
      'completeness/mean': 0.5,
      'completeness/n': 2,
      'completeness/errors': 2,
    });
  });

  it.each<[string, Score]>([
    ['a number from a pass-fail scorer', { value: 1 }],
    ['an error with a value', { value: true, error: 'late' }],
  ])('counts %s as an error', (_, score) => {
    expect(scorerMetrics({ name: 'x', kind: 'pass-fail' }, [{ value: true }, score])).toMatchObject({
      'x/mean': 1,
      'x/n': 1,
      'x/errors': 1,
    });
  });

  it('reports no mean, rather than 0, when every row errored', () => {
    expect(scorerMetrics({ name: 'relevance', kind: 'numeric' }, [failed, failed])).toEqual({
      'relevance/n': 0,
      'relevance/errors': 2,
    });
  });

  it('uses a seeded bootstrap for numeric scores: the same numbers every time, the mean inside', () => {
    const scores: Score[] = [0.12, 0.93, 0.51, 0.77, 0.99, 0.41, 0.63, 0.28, 0.85, 0.07].map((value) => ({
      value,
    }));
    const scorer = { name: 'similarity', kind: 'numeric' } as const;
    const metrics = scorerMetrics(scorer, scores);
    expect(metrics['similarity/mean']).toBeCloseTo(0.556, 12);
    expect(metrics['similarity/ci_low']).toBeLessThan(metrics['similarity/mean']!);
    expect(metrics['similarity/ci_high']).toBeGreaterThan(metrics['similarity/mean']!);
    expect(scorerMetrics(scorer, scores)).toEqual(metrics);
    expect(scorerMetrics(scorer, scores, { seed: 1 })['similarity/ci_low']).not.toBe(
      metrics['similarity/ci_low'],
    );
  });
});

describe('summarizeScores', () => {
  it.each([
    ['pass-fail', 'wilson'],
    ['numeric', 'bootstrap'],
  ] as const)('names the %s method', (kind, method) => {
    expect(summarizeScores(kind, []).method).toBe(method);
  });

  it('widens with the confidence level', () => {
    const scores = passes(true, true, false, true);
    const at90 = summarizeScores('pass-fail', scores, { confidence: 0.9 });
    const at99 = summarizeScores('pass-fail', scores, { confidence: 0.99 });
    expect(at99.low).toBeLessThan(at90.low);
    expect(at99.high).toBeGreaterThan(at90.high);
  });
});
