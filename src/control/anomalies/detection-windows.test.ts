import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { completeWindows, durationText } from './detection-windows.js';

const minute = 60_000;
const now = Date.UTC(2026, 2, 9, 10, 5, 30);

describe('complete windows', () => {
  it('judges the latest window that has ended, aligned to its length', () => {
    expect(completeWindows(now, 10 * minute, 0, 'retryStorm')).toEqual([
      { start: Date.UTC(2026, 2, 9, 9, 50), end: Date.UTC(2026, 2, 9, 10, 0) },
    ]);
  });

  it('adds earlier windows that ended within the lookback, oldest first', () => {
    const windows = completeWindows(now, 10 * minute, 60 * minute, 'retryStorm');
    expect(windows.map((window) => new Date(window.start).toISOString().slice(11, 16))).toEqual([
      '09:00',
      '09:10',
      '09:20',
      '09:30',
      '09:40',
      '09:50',
    ]);
  });

  it('gives the same windows to every run between two boundaries', () => {
    const early = completeWindows(Date.UTC(2026, 2, 9, 10, 0), 10 * minute, 60 * minute, 'x');
    const late = completeWindows(Date.UTC(2026, 2, 9, 10, 9, 59, 999), 10 * minute, 60 * minute, 'x');
    expect(late).toEqual(early);
  });

  it('refuses lengths that are not whole positive milliseconds, naming the setting', () => {
    expect(() => completeWindows(now, 0, 0, 'retryStorm')).toThrow(UsageError);
    expect(() => completeWindows(now, 1.5, 0, 'retryStorm')).toThrow(/retryStorm\.windowMs/);
    expect(() => completeWindows(now, minute, -1, 'errorLoop')).toThrow(/errorLoop\.lookbackMs/);
  });
});

describe('duration text', () => {
  it.each([
    [10 * minute, '10 minutes'],
    [60 * minute, '1 hour'],
    [7 * 86_400_000, '7 days'],
    [90_000, '90 seconds'],
    [1_500, '1500 ms'],
  ])('%s ms reads %s', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });
});
