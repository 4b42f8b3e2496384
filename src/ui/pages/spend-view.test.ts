import { describe, expect, it } from 'vitest';
import { isProblem, parseSpendView, spendParams, spendRange, utcDayStart } from './spend-view.js';

const parse = (query: string) => parseSpendView(new URLSearchParams(query));
const now = Date.UTC(2026, 4, 20, 15, 30);
const day = 86_400_000;

describe('parseSpendView', () => {
  it.each([
    ['', { by: 'model', days: 30, filters: {} }],
    ['by=feature&days=7&token=s3cret&utm=x', { by: 'feature', days: 7, filters: {} }],
    // Empty form fields are absent; repeated dimensions are alternatives, each value once.
    [
      'by=user&days=&from=&to=2026-05-01&model=gpt-4o&model=&model=gpt-4o&model=haiku&feature=faq',
      {
        by: 'user',
        days: 30,
        toDay: '2026-05-01',
        filters: { model: ['gpt-4o', 'haiku'], feature: ['faq'] },
      },
    ],
    [
      'from=2026-01-01&to=2026-12-31&tag=eval&key=key_1&run=r&provider=openai&user=ü',
      {
        by: 'model',
        days: 30,
        fromDay: '2026-01-01',
        toDay: '2026-12-31',
        filters: { provider: ['openai'], user: ['ü'], key: ['key_1'], tag: ['eval'], run: ['r'] },
      },
    ],
  ])('reads %j', (query, view) => {
    expect(parse(query)).toStrictEqual(view);
  });

  it.each([
    ['by=colour', 'by', 'one of model, provider, feature, user, key, tag, run', 'colour'],
    ['days=0', 'days', 'a whole number of days from 1 to 366', '0'],
    ['days=367', 'days', 'a whole number of days from 1 to 366', '367'],
    ['days=1.5', 'days', 'a whole number of days from 1 to 366', '1.5'],
    ['days=1e2', 'days', 'a whole number of days from 1 to 366', '1e2'],
    ['from=2026-02-30', 'from', 'a UTC day as YYYY-MM-DD', '2026-02-30'],
    ['to=20260101', 'to', 'a UTC day as YYYY-MM-DD', '20260101'],
    ['from=2026-03-02&to=2026-03-01', 'from', 'a day on or before to (2026-03-01)', '2026-03-02'],
    ['from=2025-01-01&to=2026-01-02', 'from', 'a range of at most 366 days', '367 days'],
    [
      `feature=${'x'.repeat(257)}`,
      'feature',
      'values of at most 256 characters',
      `${'x'.repeat(40)}… (257 characters)`,
    ],
    [Array.from({ length: 21 }, (_, index) => `user=u${index}`).join('&'), 'user', 'at most 20 values', '21'],
  ])('refuses %s, naming the parameter and what it expects', (query, parameter, expected, found) => {
    expect(parse(query)).toStrictEqual({ parameter, expected, found });
  });
});

describe('spendParams', () => {
  it('writes the view back as the URL it was read from, in a fixed order', () => {
    const query = 'by=tag&from=2026-01-01&to=2026-01-31&model=a+b&model=c%26d&feature=f';
    const view = parse(query);
    if (isProblem(view)) throw new Error(view.expected);
    expect(spendParams(view).toString()).toBe(query);
    expect(parse(spendParams(view).toString())).toStrictEqual(view);
    // days only where it is used: without a from day.
    expect(spendParams({ by: 'model', days: 7, toDay: '2026-01-31', filters: {} }).toString()).toBe(
      'by=model&days=7&to=2026-01-31',
    );
  });
});

describe('spendRange', () => {
  it.each([
    [{}, now - 30 * day, now, 'last 30 days'],
    [{ days: 7 }, now - 7 * day, now, 'last 7 days'],
    [
      { fromDay: '2026-05-01', toDay: '2026-05-03' },
      Date.UTC(2026, 4, 1),
      Date.UTC(2026, 4, 4),
      '2026-05-01 to 2026-05-03 (UTC)',
    ],
    [{ fromDay: '2026-05-20' }, Date.UTC(2026, 4, 20), now, 'since 2026-05-20 (UTC)'],
    [
      { toDay: '2026-04-30', days: 2 },
      Date.UTC(2026, 3, 29),
      Date.UTC(2026, 4, 1),
      '2 days to 2026-04-30 (UTC)',
    ],
  ])('covers %j', (fields, from, to, label) => {
    expect(spendRange({ by: 'model', days: 30, filters: {}, ...fields }, now)).toStrictEqual({
      from,
      to,
      label,
    });
  });

  it('refuses a from day after today', () => {
    expect(spendRange({ by: 'model', days: 30, fromDay: '2026-05-21', filters: {} }, now)).toStrictEqual({
      parameter: 'from',
      expected: 'a day on or before today (2026-05-20)',
      found: '2026-05-21',
    });
  });

  it('reads only real calendar days', () => {
    expect(utcDayStart('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
    expect(utcDayStart('2026-02-29')).toBeUndefined();
    expect(utcDayStart('2026-1-01')).toBeUndefined();
  });
});
