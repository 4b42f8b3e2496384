import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { formatUsd } from '../money.js';
import { computeTco } from './tco.js';
import { parseTcoConfig } from './tco-config.js';

const textbook = {
  name: 'textbook',
  queries_per_day: 10000,
  days_per_month: 30,
  api: {
    input_tokens_per_query: 500,
    output_tokens_per_query: 200,
    prices_per: '1K',
    input_price: 0.0025,
    output_price: 0.01,
  },
  infrastructure: { vector_db: 200, cache: 50, logging: 100, storage: 30 },
  engineering: { prompt_and_pipeline_work: { hours: 80, hourly_rate: 100 } },
  quality: { human_eval: 500, llm_judge: 200 },
  operational: {},
};

const problemOf = (data: unknown): string => {
  try {
    parseTcoConfig(data, 'tco.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('parseTcoConfig', () => {
  it('turns the textbook file into a model that costs $10,055.00', () => {
    const { name, model } = parseTcoConfig(textbook, 'tco.yaml');
    expect(name).toBe('textbook');
    expect(formatUsd(computeTco(model).total)).toBe('10055.00');
  });

  it.each([
    ['decimal text', { ...textbook, api: { ...textbook.api, input_price: '0.0025' } }],
    ['underscored thousands', { ...textbook, queries_per_day: '10_000' }],
    [
      'prices per 1M, lower case',
      { ...textbook, api: { ...textbook.api, prices_per: '1m', input_price: 2.5, output_price: 10 } },
    ],
    ['monthly traffic', { ...textbook, queries_per_day: undefined, queries_per_month: 300000 }],
  ])('accepts %s', (_name, data) => {
    expect(formatUsd(computeTco(parseTcoConfig(data, 'tco.yaml').model).total)).toBe('10055.00');
  });

  it('reads cached-input share and fixed API items', () => {
    const data = {
      ...textbook,
      api: {
        ...textbook.api,
        cached_input_share: 0.4,
        cached_input_price: 0.00125,
        fixed: { fine_tuning: 100 },
      },
    };
    const report = computeTco(parseTcoConfig(data, 'tco.yaml').model);
    expect(report.categories[0]?.lines.map((line) => [line.name, formatUsd(line.monthly)])).toEqual([
      ['input tokens', '225.00'],
      ['cached input tokens', '75.00'],
      ['output tokens', '600.00'],
      ['fine_tuning', '100.00'],
    ]);
  });

  it.each([
    ['a list at the top', [1, 2], 'tco.yaml: expected a mapping, found a list'],
    [
      'a negative price',
      { ...textbook, api: { ...textbook.api, output_price: -0.01 } },
      'tco.yaml at api.output_price: expected a non-negative decimal number, found -0.01',
    ],
    [
      'a word for a number',
      { ...textbook, queries_per_day: 'many' },
      "tco.yaml at queries_per_day: expected a non-negative decimal number, found 'many'",
    ],
    [
      'a missing price',
      { ...textbook, api: { ...textbook.api, input_price: undefined } },
      'tco.yaml at api.input_price: missing: expected a non-negative decimal number',
    ],
    [
      'a misspelt key',
      { ...textbook, api: { ...textbook.api, input_prise: 1 } },
      'tco.yaml at api.input_prise: unknown key; expected one of input_tokens_per_query, output_tokens_per_query, prices_per, input_price, output_price, cached_input_share, cached_input_price, fixed',
    ],
    [
      'an unknown top-level key',
      { ...textbook, hosting: {} },
      'tco.yaml at hosting: unknown key; expected one of name, days_per_month',
    ],
    [
      'a bad price unit',
      { ...textbook, api: { ...textbook.api, prices_per: '1G' } },
      "tco.yaml at api.prices_per: expected '1K' or '1M' (tokens per quoted price), found '1G'",
    ],
    [
      'a share above 1',
      { ...textbook, api: { ...textbook.api, cached_input_share: 1.2, cached_input_price: 0 } },
      'tco.yaml at api.cached_input_share: expected a share between 0 and 1, found 1.2',
    ],
    [
      'a share without its price',
      { ...textbook, api: { ...textbook.api, cached_input_share: 0.2 } },
      'tco.yaml at api.cached_input_price: missing: required when cached_input_share is more than 0',
    ],
    [
      'a category that is a list',
      { ...textbook, quality: [500] },
      'tco.yaml at quality: expected a mapping, found a list',
    ],
    [
      'a line item that is a word',
      { ...textbook, quality: { human_eval: 'lots' } },
      "tco.yaml at quality.human_eval: expected a monthly dollar amount or { hours, hourly_rate }, found 'lots'",
    ],
    [
      'hours that are negative',
      { ...textbook, engineering: { work: { hours: -80, hourly_rate: 100 } } },
      'tco.yaml at engineering.work.hours: expected a non-negative decimal number, found -80',
    ],
    [
      'an hours item with a stray key',
      { ...textbook, engineering: { work: { hours: 80, rate: 100 } } },
      'tco.yaml at engineering.work.hourly_rate: missing: expected a non-negative decimal number (and 1 more problem)',
    ],
    [
      'no traffic',
      { ...textbook, queries_per_day: undefined },
      'tco.yaml: expected exactly one of queries_per_day and queries_per_month, found neither',
    ],
    [
      'two kinds of traffic',
      { ...textbook, queries_per_month: 5 },
      'tco.yaml: expected exactly one of queries_per_day and queries_per_month, found both',
    ],
    [
      'a zero-day month',
      { ...textbook, days_per_month: 0 },
      'tco.yaml at days_per_month: expected a number of days more than 0, found 0',
    ],
    [
      'a null amount',
      { ...textbook, infrastructure: { cache: null } },
      'tco.yaml at infrastructure.cache: expected a monthly dollar amount or { hours, hourly_rate }, found an empty value',
    ],
  ])('names the path for %s', (_name, data, message) => {
    const problem = problemOf(data);
    expect(problem.slice(0, message.length)).toBe(message);
    expect(problem).not.toContain('\n');
  });
});
