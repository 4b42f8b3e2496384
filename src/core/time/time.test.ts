import { describe, expect, it } from 'vitest';
import { parseTimeBound } from './parse-time-bound.js';
import { zoneCalendar } from './zone-calendar.js';

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

describe('days in a zone (via ZoneCalendar)', () => {
  it('finds midnight on DST days (23- and 25-hour days)', () => {
    const berlin = zoneCalendar('Europe/Berlin');
    const spring = berlin.startOfWall(Date.UTC(2026, 2, 29));
    expect(spring).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(berlin.startOfWall(Date.UTC(2026, 2, 30)) - spring).toBe(23 * 3_600_000);
    const autumn = berlin.startOfWall(Date.UTC(2026, 9, 25));
    expect(berlin.startOfWall(Date.UTC(2026, 9, 26)) - autumn).toBe(25 * 3_600_000);
  });

  it('maps a skipped wall-clock hour to the first instant after the gap', () => {
    // 2026-03-08 02:00 does not exist in Los Angeles; 03:00 PDT = 10:00Z.
    expect(zoneCalendar('America/Los_Angeles').startOfWall(Date.UTC(2026, 2, 8, 2))).toBe(
      Date.parse('2026-03-08T10:00:00Z'),
    );
  });

  it('yesterday across a DST change is 25 hours long', () => {
    const now = Date.parse('2026-10-26T12:00:00Z');
    const today = parseTimeBound('today', now, '--since', 'Europe/Berlin');
    expect(today - parseTimeBound('yesterday', now, '--since', 'Europe/Berlin')).toBe(25 * 3_600_000);
  });
});
