import { describe, expect, it } from 'vitest';
import { medianOf, robustForecast } from './robust-forecast.js';

describe('robust forecast', () => {
  it.each([
    [[], undefined],
    [[7n], 7n],
    [[3n, 1n, 2n], 2n],
    [[4n, 1n, 3n, 2n], 2n], // (2 + 3) / 2 = 2.5, half to even
    [[1n, 2n, 4n, 5n], 3n],
    [[5n, 1n, 2n, 6n], 4n], // (2 + 5) / 2 = 3.5 → 4
  ])('median of %s is %s', (values, median) => {
    expect(medianOf(values)).toBe(median);
  });

  it('is not dragged by one wild period: median and median absolute deviation', () => {
    const history = [10n, 12n, 11n, 9n, 10n, 1_000n, 13n];
    expect(robustForecast(history)).toEqual({ median: 11n, mad: 1n });
  });

  it('has no forecast without history', () => {
    expect(robustForecast([])).toBeUndefined();
  });
});
