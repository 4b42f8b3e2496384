import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import type { SpendQuery } from '../core/spans/spend-query.js';
import { DAY_MS, HOUR_MS } from '../core/time/zone-calendar.js';
import { checkSpendQuery, planSpend, rollupDimensionOf } from './spend-plan.js';

const day0 = Date.UTC(2026, 0, 1);

describe('rollupDimensionOf', () => {
  it.each<[string, SpendQuery, string | undefined]>([
    ['ungrouped: any single-valued rollup', {}, 'model'],
    ['one dimension', { groupBy: ['user'] }, 'user'],
    [
      'grouped and filtered on the same one',
      { groupBy: ['feature'], filters: { feature: ['a', null] } },
      'feature',
    ],
    ['filtered only', { filters: { key: ['k'] } }, 'key'],
    ['two dimensions', { groupBy: ['model', 'user'] }, undefined],
    ['grouped by one, filtered by another', { groupBy: ['model'], filters: { user: ['u'] } }, undefined],
    ['one tag, ungrouped', { filters: { tag: ['eval'] } }, 'tag'],
    ['several tags, ungrouped: a span would count twice', { filters: { tag: ['a', 'b'] } }, undefined],
    ['several tags, grouped by tag', { groupBy: ['tag'], filters: { tag: ['a', 'b'] } }, 'tag'],
  ])('%s', (_, query, dimension) => {
    expect(rollupDimensionOf(query)).toBe(dimension);
  });
});

describe('planSpend', () => {
  const sources = (query: SpendQuery, unit?: number) =>
    planSpend(query, unit).map((piece) => `${piece.source} ${piece.from ?? '-'}..${piece.to ?? '-'}`);

  it('reads whole days from the daily rollup, whole hours from the hourly one, the rest from spans', () => {
    const from = day0 + 5 * HOUR_MS + 1;
    const to = day0 + 3 * DAY_MS + 2 * HOUR_MS + 7;
    expect(sources({ from, to })).toEqual([
      `raw ${from}..${day0 + 6 * HOUR_MS}`,
      `hourly ${day0 + 6 * HOUR_MS}..${day0 + DAY_MS}`,
      `daily ${day0 + DAY_MS}..${day0 + 3 * DAY_MS}`,
      `hourly ${day0 + 3 * DAY_MS}..${day0 + 3 * DAY_MS + 2 * HOUR_MS}`,
      `raw ${day0 + 3 * DAY_MS + 2 * HOUR_MS}..${to}`,
    ]);
  });

  it('uses hourly rollups only when buckets are whole hours but not whole UTC days', () => {
    expect(sources({ bucket: 'day' }, HOUR_MS)).toEqual(['hourly -..-']);
    expect(sources({ bucket: 'day' }, DAY_MS)).toEqual(['daily -..-']);
    expect(sources({ bucket: 'hour' }, 30 * 60_000)).toEqual(['raw -..-']);
  });

  it('scans spans for a range inside one hour and for shapes no rollup holds', () => {
    expect(sources({ from: day0 + 10, to: day0 + 20 })).toEqual([`raw ${day0 + 10}..${day0 + 20}`]);
    expect(sources({ groupBy: ['model', 'run'] })).toEqual(['raw -..-']);
  });
});

describe('checkSpendQuery', () => {
  it.each<[string, SpendQuery]>([
    ['unknown dimension', { groupBy: ['colour' as never] }],
    ['repeated dimension', { groupBy: ['user', 'user'] }],
    ['unknown filter', { filters: { colour: ['red'] } as never }],
    ['unknown bucket', { bucket: 'fortnight' as never }],
    ['fractional time', { from: 1.5 }],
    ['negative limit', { limit: -2 }],
  ])('refuses %s', (_, query) => {
    expect(() => checkSpendQuery(query)).toThrow(UsageError);
  });
});
