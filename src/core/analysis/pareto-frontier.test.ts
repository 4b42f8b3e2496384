import { describe, expect, it } from 'vitest';
import { dominates, type ObjectiveDirection, paretoFrontier } from './pareto-frontier.js';

/** The textbook's ten configurations: name, accuracy, cost per query ($), latency (ms). */
const textbook: readonly (readonly [string, number, number, number])[] = [
  ['TF-IDF + LogReg', 0.72, 0.00001, 1],
  ['Fine-tuned DistilBERT', 0.84, 0.0003, 15],
  ['Fine-tuned BERT-base', 0.87, 0.0005, 25],
  ['GPT-4o-mini (zero-shot)', 0.88, 0.003, 400],
  ['GPT-4o-mini (few-shot)', 0.91, 0.004, 450],
  ['GPT-4o (zero-shot)', 0.93, 0.01, 600],
  ['GPT-4o (few-shot)', 0.95, 0.012, 700],
  ['Claude Opus (few-shot)', 0.97, 0.02, 900],
  ['Hybrid (BERT + GPT-4o)', 0.93, 0.002, 120],
  ['Bad prompt (GPT-4o-mini)', 0.78, 0.0035, 500],
];

const optimalNames = (
  rows: typeof textbook,
  pick: (row: (typeof textbook)[number]) => number[],
  directions: ObjectiveDirection[],
) => {
  const flags = paretoFrontier(rows.map(pick), directions);
  return rows.filter((_, index) => flags[index]).map(([name]) => name);
};

describe('paretoFrontier', () => {
  it('marks exactly the textbook six on cost × accuracy', () => {
    const names = optimalNames(textbook, ([, accuracy, cost]) => [cost, accuracy], ['minimize', 'maximize']);
    expect(names).toEqual([
      'TF-IDF + LogReg',
      'Fine-tuned DistilBERT',
      'Fine-tuned BERT-base',
      'GPT-4o (few-shot)',
      'Claude Opus (few-shot)',
      'Hybrid (BERT + GPT-4o)',
    ]);
  });

  it('gives the same answer whichever objective comes first', () => {
    const flags = paretoFrontier(
      textbook.map(([, accuracy, cost]) => [accuracy, cost]),
      ['maximize', 'minimize'],
    );
    expect(flags.filter(Boolean)).toHaveLength(6);
  });

  it('keeps, in 3-D, a row that only latency saves', () => {
    const rows = [...textbook, ['GPT-4o cached (zero-shot)', 0.93, 0.01, 50] as const];
    const twoD = optimalNames(rows, ([, accuracy, cost]) => [cost, accuracy], ['minimize', 'maximize']);
    const threeD = optimalNames(rows, ([, accuracy, cost, latency]) => [cost, accuracy, latency], [
      'minimize',
      'maximize',
      'minimize',
    ]);
    expect(twoD).not.toContain('GPT-4o cached (zero-shot)');
    expect(threeD).toEqual([...twoD, 'GPT-4o cached (zero-shot)']);
  });

  it.each<[string, number[][], ObjectiveDirection[], boolean[]]>([
    ['a single row is optimal', [[1, 2]], ['minimize', 'maximize'], [true]],
    ['no rows, no frontier', [], ['minimize', 'maximize'], []],
    [
      'exact ties are all kept',
      [
        [1, 5],
        [1, 5],
        [2, 6],
      ],
      ['minimize', 'maximize'],
      [true, true, true],
    ],
    [
      'a tie on one objective is broken by the other',
      [
        [1, 5],
        [1, 4],
        [0, 4],
      ],
      ['minimize', 'maximize'],
      [true, false, true],
    ],
    [
      'equal quality at a higher cost is dominated',
      [
        [0.002, 0.93],
        [0.01, 0.93],
      ],
      ['minimize', 'maximize'],
      [true, false],
    ],
    [
      'both maximised',
      [
        [1, 1],
        [2, 2],
        [3, 0],
      ],
      ['maximize', 'maximize'],
      [false, true, true],
    ],
    [
      'both minimised',
      [
        [1, 1],
        [2, 2],
        [0, 3],
      ],
      ['minimize', 'minimize'],
      [true, false, true],
    ],
    ['one objective: every best value', [[3], [1], [1], [2]], ['minimize'], [false, true, true, false]],
    [
      '3-D ties kept',
      [
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 2],
      ],
      ['minimize', 'minimize', 'minimize'],
      [true, true, false],
    ],
    [
      '4-D',
      [
        [1, 2, 3, 4],
        [2, 1, 3, 4],
        [2, 2, 3, 4],
        [1, 1, 3, 5],
      ],
      ['minimize', 'minimize', 'minimize', 'minimize'],
      [true, true, false, true],
    ],
    [
      'negative values, and 0 ties with -0',
      [
        [-1, 0],
        [-1, -0],
        [-2, 5],
        [0, 0],
      ],
      ['minimize', 'minimize'],
      [true, true, true, false],
    ],
  ])('%s', (_name, points, directions, expected) => {
    expect(paretoFrontier(points, directions)).toEqual(expected);
  });

  it('agrees with pairwise dominance on random 2-D points with many ties (seeded)', () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % 8;
    };
    for (let trial = 0; trial < 200; trial++) {
      const points = Array.from({ length: 1 + next() * 3 }, () => [next(), next()]);
      for (const directions of [
        ['minimize', 'maximize'],
        ['maximize', 'maximize'],
        ['minimize', 'minimize'],
      ] as const) {
        const expected = points.map((point) => !points.some((other) => dominates(other, point, directions)));
        expect(paretoFrontier(points, directions)).toEqual(expected);
      }
    }
  });

  it('handles 100,000 points in 2-D quickly (sort and sweep)', () => {
    const points = Array.from({ length: 100_000 }, (_, index) => [index, (index * 7919) % 100_003]);
    const started = performance.now();
    const flags = paretoFrontier(points, ['minimize', 'minimize']);
    expect(flags[0]).toBe(true);
    expect(flags.filter(Boolean).length).toBeLessThan(100);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it.each<[string, number[][], ObjectiveDirection[]]>([
    ['no objectives', [[1]], []],
    ['a point with too few values', [[1, 2], [1]], ['minimize', 'minimize']],
    ['NaN', [[1, Number.NaN]], ['minimize', 'minimize']],
  ])('refuses %s', (_name, points, directions) => {
    expect(() => paretoFrontier(points, directions)).toThrow(RangeError);
  });
});

describe('dominates', () => {
  it.each<[number[], number[], boolean]>([
    [[1, 2], [1, 2], false],
    [[1, 3], [1, 2], true],
    [[0, 2], [1, 2], true],
    [[1, 2], [0, 2], false],
    [[2, 3], [1, 2], false],
  ])('%j over %j (min, max) is %s', (a, b, expected) => {
    expect(dominates(a, b, ['minimize', 'maximize'])).toBe(expected);
  });
});

describe('paretoFrontier input checks', () => {
  it('refuses an unknown direction instead of guessing one', () => {
    expect(() => paretoFrontier([[1, 2]], ['min' as ObjectiveDirection, 'maximize'])).toThrow(
      "unknown objective direction 'min'; expected minimize or maximize",
    );
  });
});
