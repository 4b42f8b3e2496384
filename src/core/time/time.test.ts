import { describe, expect, it } from 'vitest';
import { parseTimeBound } from './parse-time-bound.js';
import { isTimeZone, zonedDate, zonedTimeToEpoch, zoneOffsetMs } from './zone-offset.js';

const now = Date.parse('2026-11-22T12:00:00Z');

describe('parseTimeBound', () => {
  it.each([
    ['7d', Date.parse('2026-11-15T12:00:00Z')],
    ['24h', Date.parse('2026-11-21T12:00:00Z')],
    ['30m', Date.parse('2026-11-22T11:30:00Z')],
    ['2w', Date.parse('2026-11-08T12:00:00Z')],
    ['now', now],
    ['today', Date.parse('2026-11-22T00:00:00Z')],
    ['yesterday', Date.parse('2026-11-21T00:00:00Z')],
    ['2026-11-01', Date.parse('2026-11-01T00:00:00Z')],
    ['2026-11-01T09:30Z', Date.parse('2026-11-01T09:30:00Z')],
    ['2026-11-01T09:30:00+01:00', Date.parse('2026-11-01T08:30:00Z')],
  ])('%s', (text, expected) => {
    expect(parseTimeBound(text, now, '--since')).toBe(expected);
  });

  it('starts days in the given zone', () => {
    expect(parseTimeBound('2026-07-01', now, '--since', 'Europe/Berlin')).toBe(
      Date.parse('2026-06-30T22:00:00Z'),
    );
    expect(parseTimeBound('today', now, '--since', 'America/Los_Angeles')).toBe(
      Date.parse('2026-11-22T08:00:00Z'),
    );
  });

  it.each(['7 days', '-7d', '2026-02-30', '2026-11-01T09:30', 'soon', ''])('refuses %j', (text) => {
    expect(() => parseTimeBound(text, now, '--since')).toThrow(/^--since must be a duration/);
  });
});

describe('zone arithmetic', () => {
  it('knows offsets across daylight saving time', () => {
    expect(zoneOffsetMs(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
    expect(zoneOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(19_800_000);
  });

  it('finds midnight on DST days (23- and 25-hour days)', () => {
    const spring = zonedTimeToEpoch(2026, 3, 29, 'Europe/Berlin');
    const next = zonedTimeToEpoch(2026, 3, 30, 'Europe/Berlin');
    expect(spring).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(next - spring).toBe(23 * 3_600_000);
    const autumn = zonedTimeToEpoch(2026, 10, 25, 'Europe/Berlin');
    expect(zonedTimeToEpoch(2026, 10, 26, 'Europe/Berlin') - autumn).toBe(25 * 3_600_000);
  });

  it('maps a skipped wall-clock hour to the first instant after the gap', () => {
    // 2026-03-08 02:00 does not exist in Los Angeles; 03:00 PDT = 10:00Z.
    expect(zonedTimeToEpoch(2026, 3, 8, 'America/Los_Angeles', 2)).toBe(Date.parse('2026-03-08T10:00:00Z'));
  });

  it('maps a repeated wall-clock hour to its first occurrence', () => {
    // 2026-10-25 02:00 happens twice in Berlin: first at 00:00Z (CEST), again at 01:00Z (CET).
    expect(zonedTimeToEpoch(2026, 10, 25, 'Europe/Berlin', 2)).toBe(Date.parse('2026-10-25T00:00:00Z'));
  });

  it('reads calendar dates in a zone and validates zone names', () => {
    expect(zonedDate(Date.parse('2026-11-22T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      year: 2026,
      month: 11,
      day: 23,
    });
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
