import { describe, expect, it } from 'vitest';
import type { EvalResultRecord, EvalRunRecord } from '../../core/evals/eval-records.js';
import { mcnemarExact } from '../statistics/mcnemar-exact.js';
import { compareRuns } from './compare-runs.js';

const run = (id: string, extra: Partial<EvalRunRecord> = {}): EvalRunRecord => ({
  id,
  experiment: 'x',
  candidate: id,
  model: `sim/${id}`,
  simulated: false,
  status: 'completed',
  startedAt: 0,
  endedAt: 1,
  dataset: { name: 'd', hash: 'h', rows: 20 },
  config: {},
  metrics: {},
  ...extra,
});

type RowSpec = {
  readonly pass?: boolean | undefined;
  readonly score?: number | undefined;
  readonly cost?: bigint | undefined;
  readonly latencyMs?: number | undefined;
  readonly cached?: boolean | undefined;
  readonly failed?: boolean | undefined;
};

const result = (runId: string, index: number, spec: RowSpec, repeat = 0): EvalResultRecord => ({
  runId,
  rowId: `row-${index}`,
  rowIndex: index,
  repeat,
  inputs: { question: `q${index}` },
  expectations: {},
  ...(spec.failed
    ? { error: 'provider down', scores: {} }
    : {
        output: `answer ${index}`,
        scores: {
          correctness: { value: spec.pass ?? true },
          ...(spec.score === undefined ? {} : { coverage: { value: spec.score } }),
        },
        usage: { input: 100, output: 10 },
        judgeUsage: { input: 300, output: 50 },
        judgeCost: 7n,
      }),
  ...(spec.cost === undefined ? {} : { cost: spec.cost }),
  ...(spec.latencyMs === undefined ? {} : { latencyMs: spec.latencyMs }),
  cached: spec.cached ?? false,
  simulated: false,
  recordedAt: 0,
});

/** 20 rows, the first `failures` failing correctness, each costing `cost`, with latencies 100, 200, .... */
function candidate(id: string, failures: number, cost: bigint, extra: Partial<EvalRunRecord> = {}) {
  return {
    run: run(id, extra),
    results: Array.from({ length: 20 }, (_, index) =>
      result(id, index, { pass: index >= failures, cost, latencyMs: 100 * (index + 1) }),
    ),
  };
}

/** The four candidates of the frontier test: pass rates 0.6, 0.9, 0.8 and 1.0 at 10, 20, 30 and 100 a row. */
const four = [
  candidate('cheap', 8, 10n),
  candidate('mid', 2, 20n),
  candidate('dominated', 4, 30n),
  candidate('best', 0, 100n),
];

describe('compareRuns', () => {
  it('marks the cost × quality frontier, the best, and the cheapest not significantly worse', () => {
    const comparison = compareRuns(four);
    expect(comparison.primary).toBe('correctness');
    expect(comparison.scorers).toEqual(['correctness']);
    const byName = Object.fromEntries(comparison.candidates.map((column) => [column.candidate, column]));
    expect(
      comparison.candidates.map((column) => [
        column.candidate,
        column.scores['correctness']?.mean,
        column.pareto,
      ]),
    ).toEqual([
      ['cheap', 0.6, true],
      ['mid', 0.9, true],
      ['dominated', 0.8, false],
      ['best', 1, true],
    ]);
    expect(comparison.best).toBe('best');
    // cheap lost 8 rows best won, none the other way: exact McNemar p = 2 / 2^8 < 0.05. mid lost 2: p = 0.5.
    expect(byName['cheap']?.versusBest).toMatchObject({
      method: 'mcnemar-exact',
      n: 20,
      baselineOnly: 8,
      candidateOnly: 0,
      pValue: mcnemarExact(8, 0),
    });
    expect(byName['cheap']?.versusBest?.pValue).toBeCloseTo(2 / 256, 12);
    expect(byName['mid']?.versusBest?.pValue).toBeCloseTo(0.5, 12);
    expect(byName['best']?.versusBest).toBeUndefined();
    expect(comparison.cheapestNotWorse).toBe('mid');
    expect(comparison.alpha).toBe(0.05);
    expect(comparison.simulated).toBe(false);
  });

  it.each<{ alpha: number; cheapestNotWorse: string }>([
    { alpha: 0.05, cheapestNotWorse: 'mid' },
    // At alpha 0.005 cheap's p of 0.0078 is no longer significant.
    { alpha: 0.005, cheapestNotWorse: 'cheap' },
    // At alpha 0.6 even mid's 0.5 is significant, and so is dominated's 0.125: only the best remains.
    { alpha: 0.6, cheapestNotWorse: 'best' },
  ])(
    'at alpha $alpha the cheapest not significantly worse is $cheapestNotWorse',
    ({ alpha, cheapestNotWorse }) => {
      expect(compareRuns(four, { alpha }).cheapestNotWorse).toBe(cheapestNotWorse);
    },
  );

  it.each<{ qualityBar: number; meeting: string | undefined }>([
    { qualityBar: 0.5, meeting: 'cheap' },
    { qualityBar: 0.6, meeting: 'cheap' },
    { qualityBar: 0.61, meeting: 'mid' },
    { qualityBar: 0.9, meeting: 'mid' },
    { qualityBar: 0.95, meeting: 'best' },
    { qualityBar: 1, meeting: 'best' },
  ])('the cheapest meeting a quality bar of $qualityBar is $meeting', ({ qualityBar, meeting }) => {
    const comparison = compareRuns(four, { qualityBar });
    expect(comparison.cheapestMeetingBar).toBe(meeting);
    expect(comparison.qualityBar).toBe(qualityBar);
  });

  it('names no candidate when none meets the bar', () => {
    const comparison = compareRuns([candidate('cheap', 8, 10n)], { qualityBar: 0.99 });
    expect(comparison.cheapestMeetingBar).toBeUndefined();
  });

  it('on a tie for the best mean, the cheaper is the best', () => {
    const comparison = compareRuns([candidate('dear', 1, 50n), candidate('thrifty', 1, 40n)]);
    expect(comparison.best).toBe('thrifty');
    expect(comparison.cheapestNotWorse).toBe('thrifty');
    expect(comparison.candidates.map((column) => column.pareto)).toEqual([false, true]);
  });

  it.each<{
    name: string;
    costs: readonly bigint[];
    total: bigint;
    perAnswer: bigint;
    perPoint: bigint;
    monthly: bigint;
  }>([
    // Two answers, both passing: 25 / 2 = 12.5 rounds half to even, to 12; per quality point 25 / 1.0.
    {
      name: 'a half rounds to even (down)',
      costs: [12n, 13n],
      total: 25n,
      perAnswer: 12n,
      perPoint: 25n,
      monthly: 12_000n,
    },
    {
      name: 'a half rounds to even (up)',
      costs: [17n, 18n],
      total: 35n,
      perAnswer: 18n,
      perPoint: 35n,
      monthly: 18_000n,
    },
    {
      name: 'large pico-dollar sums stay exact',
      costs: [123_456_789_012_345_678n, 1n],
      total: 123_456_789_012_345_679n,
      perAnswer: 61_728_394_506_172_840n,
      perPoint: 123_456_789_012_345_679n,
      monthly: 61_728_394_506_172_840_000n,
    },
  ])('exact money: $name', ({ costs, total, perAnswer, perPoint, monthly }) => {
    const results = costs.map((cost, index) => result('r', index, { pass: true, cost, latencyMs: 10 }));
    const [column] = compareRuns([{ run: run('r'), results }], { monthlyVolume: 1_000 }).candidates;
    expect(column?.cost).toBe(total);
    expect(column?.costPerAnswer).toBe(perAnswer);
    expect(column?.costPerQualityPoint).toBe(perPoint);
    expect(column?.monthlyCost).toBe(monthly);
    expect(column?.judgeCost).toBe(7n * BigInt(costs.length));
  });

  it('divides cost per quality point by the primary mean, and per answer by the answers only', () => {
    // mid: 20 rows at 20 = 400, mean 0.9: 400 / 0.9 = 444.44… → 444.
    const mid = compareRuns(four, { monthlyVolume: 30_000 }).candidates[1];
    expect(mid?.cost).toBe(400n);
    expect(mid?.costPerAnswer).toBe(20n);
    expect(mid?.costPerQualityPoint).toBe(444n);
    expect(mid?.monthlyCost).toBe(600_000n);
    expect(mid?.tokens).toEqual({ input: 2_000, output: 200, total: 2_200 });

    // Three answers and one failed row: per answer is over the three.
    const results = [
      result('f', 0, { pass: true, cost: 30n }),
      result('f', 1, { pass: false, cost: 30n }),
      result('f', 2, { pass: true, cost: 40n }),
      result('f', 3, { failed: true }),
    ];
    const [column] = compareRuns([{ run: run('f'), results }]).candidates;
    expect(column?.results).toBe(4);
    expect(column?.failed).toBe(1);
    expect(column?.cost).toBe(100n);
    expect(column?.costPerAnswer).toBe(33n);
    // The failed row is an error, not a 0: the mean is 2 of 3; 100 / 0.666667 = 149.99… → 150.
    expect(column?.scores['correctness']).toMatchObject({ mean: 2 / 3, n: 3, errors: 1 });
    expect(column?.costPerQualityPoint).toBe(150n);
    expect(column?.monthlyCost).toBeUndefined();
  });

  it('takes latency p50 and p95 from fresh rows only, never from cached ones', () => {
    const fresh = [100, 200, 300, 400, 1_000];
    const results = [
      ...fresh.map((latencyMs, index) => result('c', index, { cost: 10n, latencyMs })),
      // Cached answers: their original cost, no latency.
      ...[5, 6, 7, 8, 9].map((index) => result('c', index, { cost: 10n, cached: true })),
    ];
    const [column] = compareRuns([{ run: run('c'), results }]).candidates;
    // Type-7 quantiles of the five fresh latencies: p50 = 300, p95 = 400 + 0.8 × 600.
    expect(column?.latency.p50).toBe(300);
    expect(column?.latency.p95).toBeCloseTo(880, 9);
    expect(column?.latency.n).toBe(5);
    expect(column?.cost).toBe(100n);
    expect(column?.costPerAnswer).toBe(10n);

    const allCached = [0, 1].map((index) => result('k', index, { cost: 10n, cached: true }));
    const [cachedOnly] = compareRuns([{ run: run('k'), results: allCached }]).candidates;
    expect(cachedOnly?.latency).toEqual({ p50: undefined, p95: undefined, n: 0 });
  });

  it('gives a run with an unpriced answer no cost and leaves it out of every ranking', () => {
    const unpriced = candidate('unpriced', 0, 1n);
    const results = unpriced.results.map((row, index) =>
      index === 3 ? result('unpriced', 3, { pass: true, latencyMs: 50 }) : row,
    );
    const comparison = compareRuns([...four, { run: unpriced.run, results }], {
      qualityBar: 0.5,
      monthlyVolume: 10,
    });
    const column = comparison.candidates.find((candidateColumn) => candidateColumn.candidate === 'unpriced');
    expect(column?.scores['correctness']?.mean).toBe(1);
    expect(column?.cost).toBeUndefined();
    expect(column?.costPerAnswer).toBeUndefined();
    expect(column?.costPerQualityPoint).toBeUndefined();
    expect(column?.monthlyCost).toBeUndefined();
    expect(column?.pareto).toBe(false);
    expect(column?.paretoWithLatency).toBe(false);
    // As good as the best and (per priced row) cheaper than all, yet neither best nor recommended.
    expect(comparison.best).toBe('best');
    expect(comparison.cheapestNotWorse).toBe('mid');
    expect(comparison.cheapestMeetingBar).toBe('cheap');
    // The others' frontier is unchanged.
    expect(comparison.candidates.map((candidateColumn) => candidateColumn.pareto)).toEqual([
      true,
      true,
      false,
      true,
      false,
    ]);
  });

  it('ranks by the primary scorer it is given, and on a numeric scorer compares by paired bootstrap', () => {
    const numeric = (id: string, score: (index: number) => number, cost: bigint) => ({
      run: run(id),
      results: Array.from({ length: 10 }, (_, index) => result(id, index, { score: score(index), cost })),
    });
    const comparison = compareRuns(
      [
        numeric('low', () => 0.2, 5n),
        numeric('high', () => 0.9, 50n),
        numeric('close', (index) => (index === 0 ? 0.85 : 0.9), 9n),
      ],
      { primary: 'coverage', seed: 7 },
    );
    expect(comparison.primary).toBe('coverage');
    expect(comparison.best).toBe('high');
    const [low, , close] = comparison.candidates;
    expect(low?.scores['coverage']?.kind).toBe('numeric');
    expect(low?.versusBest).toMatchObject({ method: 'paired-bootstrap', n: 10 });
    expect(low?.versusBest?.difference).toBeCloseTo(-0.7, 12);
    expect(low?.versusBest?.pValue).toBeLessThan(0.05);
    expect(close?.versusBest?.pValue).toBeGreaterThanOrEqual(0.05);
    expect(comparison.cheapestNotWorse).toBe('close');
    expect(comparison.candidates.map((column) => column.pareto)).toEqual([true, true, true]);
  });

  it('says the comparison is simulated when any run is', () => {
    const comparison = compareRuns([
      candidate('real', 0, 10n),
      candidate('sim', 0, 10n, { simulated: true }),
    ]);
    expect(comparison.simulated).toBe(true);
    expect(comparison.candidates.map((column) => column.simulated)).toEqual([false, true]);
  });
});
