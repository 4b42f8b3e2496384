import { describe, expect, it } from 'vitest';
import { formatUsd, roundUsd } from '../money.js';
import { formatRational } from './rational.js';
import { computeTco, type TcoModel } from './tco.js';

/** The textbook's TCOModel defaults (10,000 queries/day, 500 + 200 tokens, $0.0025 / $0.01 per 1K...). */
const textbook: TcoModel = {
  queriesPerDay: 10_000,
  api: {
    inputTokensPerQuery: 500,
    outputTokensPerQuery: 200,
    pricesPer: '1K',
    inputPrice: 0.0025,
    outputPrice: 0.01,
  },
  infrastructure: { vector_db: 200, cache: 50, logging: 100, storage: 30 },
  engineering: { prompt_and_pipeline_work: { hours: 80, hourlyRate: 100 } },
  quality: { human_eval: 500, llm_judge: 200 },
  operational: {},
};

const byCategory = (model: TcoModel) =>
  Object.fromEntries(
    computeTco(model).categories.map((category) => [category.category, formatUsd(category.monthly)]),
  );

describe('computeTco', () => {
  it('reproduces the textbook figures exactly', () => {
    const report = computeTco(textbook);
    expect(byCategory(textbook)).toEqual({
      api: '975.00',
      infrastructure: '380.00',
      engineering: '8000.00',
      quality: '700.00',
      operational: '0.00',
    });
    expect(formatUsd(report.total)).toBe('10055.00');
    expect(roundUsd(report.costPerQuery!, 5)).toBe('0.03352');
    expect(formatUsd(report.costPerQuery!)).toBe('0.033516666667');
    expect(formatRational(report.queriesPerMonth)).toBe('300000');
  });

  it('breaks the API category into token lines that add up to it', () => {
    const [api] = computeTco(textbook).categories;
    expect(api?.lines.map((line) => [line.name, formatUsd(line.monthly), line.detail])).toEqual([
      ['input tokens', '375.00', '150,000,000 tokens × $0.0025/1K'],
      ['output tokens', '600.00', '60,000,000 tokens × $0.01/1K'],
    ]);
  });

  it('gives exact shares that sum to one (the textbook prints 8/3/68/6%, which its own totals contradict)', () => {
    const report = computeTco(textbook);
    const percents = report.categories.map((category) =>
      formatRational(
        { numerator: category.share.numerator * 100n, denominator: category.share.denominator },
        1,
      ),
    );
    expect(percents).toEqual(['9.7', '3.8', '79.6', '7', '0']);
    const sum = report.categories.reduce((total, category) => total + category.monthly, 0n);
    expect(sum).toBe(report.total);
  });

  it.each<[string, TcoModel, string, string | undefined]>([
    [
      'prices per 1M tokens equal prices per 1K × 1000',
      { ...textbook, api: { ...textbook.api!, pricesPer: '1M', inputPrice: '2.5', outputPrice: '10' } },
      '975.00',
      '0.033516666667',
    ],
    [
      'traffic given per month',
      { ...textbook, queriesPerDay: undefined, queriesPerMonth: 300_000 } as TcoModel,
      '975.00',
      '0.033516666667',
    ],
    [
      'a calendar-average month (30.44 days)',
      { ...textbook, daysPerMonth: '30.44' },
      '989.30',
      '0.033079172142', // $10,069.30 / 304,400 queries = 0.0330791721419…
    ],
    [
      'cached input at a discount',
      {
        ...textbook,
        api: { ...textbook.api!, cachedInputShare: '0.4', cachedInputPrice: '0.00125' },
      },
      '900.00',
      '0.033266666667',
    ],
    ['no traffic: no cost per query', { ...textbook, queriesPerDay: 0 }, '0.00', undefined],
    [
      'fixed API items add to the token lines',
      { ...textbook, api: { ...textbook.api!, fixed: { fine_tuning_runs: '150.50' } } },
      '1125.50',
      '0.034018333333',
    ],
  ])('%s', (_name, model, api, perQuery) => {
    const report = computeTco(model);
    expect(formatUsd(report.categories[0]!.monthly)).toBe(api);
    expect(report.costPerQuery === undefined ? undefined : formatUsd(report.costPerQuery)).toBe(perQuery);
  });

  it('rounds each line once, half to even, at the pico-dollar', () => {
    const report = computeTco({
      queriesPerMonth: 1,
      api: {
        inputTokensPerQuery: 1,
        outputTokensPerQuery: 3,
        pricesPer: '1M',
        inputPrice: '0.0000005',
        outputPrice: '0.0000015',
      },
    });
    // 1 token × $0.0000005 / 1M = 0.5 pico → 0 (even); 3 × 0.0000015 / 1M = 4.5 pico → 4 (even).
    expect(report.categories[0]!.lines.map((line) => line.monthly)).toEqual([0n, 4n]);
    expect(report.total).toBe(4n);
  });

  it('never accumulates floats: a thousand $0.1 items sum to exactly $100', () => {
    const items = Object.fromEntries(Array.from({ length: 1000 }, (_, index) => [`item_${index}`, 0.1]));
    const report = computeTco({ queriesPerDay: 1, infrastructure: items });
    expect(formatUsd(report.total)).toBe('100.00');
  });

  it.each<[string, TcoModel, RegExp]>([
    [
      'negative price',
      { ...textbook, api: { ...textbook.api!, inputPrice: -1 } },
      /api\.inputPrice must not be negative/,
    ],
    [
      'negative item',
      { ...textbook, quality: { human_eval: '-5' } },
      /quality\.human_eval must not be negative/,
    ],
    [
      'bad text',
      { ...textbook, engineering: { x: { hours: 'lots', hourlyRate: 1 } } },
      /engineering\.x\.hours: not a decimal/,
    ],
    [
      'share above 1',
      { ...textbook, api: { ...textbook.api!, cachedInputShare: 1.5, cachedInputPrice: 0 } },
      /at most 1/,
    ],
    [
      'share without price',
      { ...textbook, api: { ...textbook.api!, cachedInputShare: 0.5 } },
      /cachedInputPrice is required/,
    ],
    ['zero-day month', { ...textbook, daysPerMonth: 0 }, /daysPerMonth must be more than 0/],
    [
      'no traffic given',
      { api: textbook.api } as unknown as TcoModel,
      /queriesPerDay or queriesPerMonth is required/,
    ],
  ])('refuses %s', (_name, model, message) => {
    expect(() => computeTco(model)).toThrow(message);
  });
});
