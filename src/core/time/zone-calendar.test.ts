import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import type { TimeBucket } from '../spans/spend-query.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, ZoneCalendar, zoneCalendar } from './zone-calendar.js';

const at = (text: string) => new Date(text).getTime();
const iso = (instant: number) => new Date(instant).toISOString();

describe('ZoneCalendar', () => {
  it.each<[string, string, TimeBucket, string]>([
    ['UTC', '2024-05-15T13:45:00Z', 'hour', '2024-05-15T14:00:00.000Z'],
    ['UTC', '2024-12-31T13:45:00Z', 'day', '2025-01-01T00:00:00.000Z'],
    ['UTC', '2024-05-15T13:45:00Z', 'week', '2024-05-20T00:00:00.000Z'],
    ['UTC', '2024-12-15T13:45:00Z', 'month', '2025-01-01T00:00:00.000Z'],
    // The 23-hour and 25-hour days of Berlin's DST changes.
    ['Europe/Berlin', '2024-03-31T12:00:00Z', 'day', '2024-03-31T22:00:00.000Z'],
    ['Europe/Berlin', '2024-10-27T12:00:00Z', 'day', '2024-10-27T23:00:00.000Z'],
    ['Europe/Berlin', '2024-10-27T00:30:00Z', 'hour', '2024-10-27T01:00:00.000Z'],
    ['Europe/Berlin', '2024-10-23T12:00:00Z', 'week', '2024-10-27T23:00:00.000Z'],
    ['Europe/Berlin', '2024-02-15T12:00:00Z', 'month', '2024-02-29T23:00:00.000Z'],
    ['Asia/Kolkata', '2024-01-01T10:00:00Z', 'hour', '2024-01-01T10:30:00.000Z'],
    // Lord Howe moves its clocks by 30 minutes: local 02:00-02:30 is skipped on 2024-10-06...
    ['Australia/Lord_Howe', '2024-10-05T15:10:00Z', 'hour', '2024-10-05T15:30:00.000Z'],
    ['Australia/Lord_Howe', '2024-10-05T15:40:00Z', 'hour', '2024-10-05T16:00:00.000Z'],
    // ...and on 2025-04-06 local 01:30-02:00 happens twice: the second time is a bucket of its own (14:30Z).
    ['Australia/Lord_Howe', '2025-04-05T14:10:00Z', 'hour', '2025-04-05T15:00:00.000Z'],
    ['Australia/Lord_Howe', '2025-04-05T15:10:00Z', 'hour', '2025-04-05T15:30:00.000Z'],
  ])('%s: after %s the next %s starts %s', (zone, instant, bucket, next) => {
    const calendar = zoneCalendar(zone);
    const result = calendar.nextBucketStart(at(instant), bucket);
    expect(iso(result)).toBe(next);
    // The first instant of the next bucket: the one before it is still in the bucket of `instant`.
    expect(calendar.bucketStart(result - 1, bucket)).toBe(calendar.bucketStart(at(instant), bucket));
    expect(calendar.bucketStart(result, bucket)).not.toBe(calendar.bucketStart(at(instant), bucket));
  });

  it.each<[string, string, TimeBucket, string]>([
    ['UTC', '2024-05-15T13:45:00Z', 'day', '2024-05-15T00:00:00.000Z'],
    ['UTC', '2024-05-15T13:45:00Z', 'week', '2024-05-13T00:00:00.000Z'],
    ['UTC', '2024-05-15T13:45:00Z', 'month', '2024-05-01T00:00:00.000Z'],
    ['Europe/Berlin', '2024-03-31T12:00:00Z', 'day', '2024-03-30T23:00:00.000Z'],
    ['Europe/Berlin', '2024-10-27T12:00:00Z', 'day', '2024-10-26T22:00:00.000Z'],
    ['Europe/Berlin', '2024-10-27T00:30:00Z', 'hour', '2024-10-27T00:00:00.000Z'],
    ['Europe/Berlin', '2024-10-27T01:30:00Z', 'hour', '2024-10-27T01:00:00.000Z'],
    ['Europe/Berlin', '2024-06-13T12:00:00Z', 'week', '2024-06-09T22:00:00.000Z'],
    ['Europe/Berlin', '2024-03-15T12:00:00Z', 'month', '2024-02-29T23:00:00.000Z'],
    ['America/Los_Angeles', '2024-06-15T06:59:00Z', 'day', '2024-06-14T07:00:00.000Z'],
    ['America/Los_Angeles', '2024-01-15T12:00:00Z', 'day', '2024-01-15T08:00:00.000Z'],
    ['Asia/Kolkata', '2024-01-01T10:00:00Z', 'hour', '2024-01-01T09:30:00.000Z'],
    ['Asia/Kathmandu', '2024-01-01T10:00:00Z', 'hour', '2024-01-01T09:15:00.000Z'],
    // Lord Howe's 30-minute DST skips local 02:00-02:30: hour 02 is labelled by its :00 (15:00Z), which the
    // clock never shows; the hour before it ends at the change (15:30Z).
    ['Australia/Lord_Howe', '2024-10-05T15:40:00Z', 'hour', '2024-10-05T15:00:00.000Z'],
    ['Australia/Lord_Howe', '2024-10-05T15:10:00Z', 'hour', '2024-10-05T14:30:00.000Z'],
    // Chile starts DST at midnight: 2024-09-08 has no 00:00 and begins at 01:00 local, the transition.
    ['America/Santiago', '2024-09-08T12:00:00Z', 'day', '2024-09-08T04:00:00.000Z'],
    ['America/Santiago', '2024-09-07T12:00:00Z', 'day', '2024-09-07T04:00:00.000Z'],
  ])('%s: %s falls in the %s starting %s', (zone, instant, bucket, start) => {
    expect(iso(zoneCalendar(zone).bucketStart(at(instant), bucket))).toBe(start);
  });

  it('has 23- and 25-hour days at the DST changes', () => {
    const berlin = zoneCalendar('Europe/Berlin');
    const length = (text: string) => {
      const start = berlin.bucketStart(at(text), 'day');
      return (berlin.bucketStart(start + 26 * HOUR_MS, 'day') - start) / HOUR_MS;
    };
    expect([
      length('2024-03-31T12:00:00Z'),
      length('2024-10-27T12:00:00Z'),
      length('2024-06-01T12:00:00Z'),
    ]).toEqual([23, 25, 24]);
  });

  it('knows the offset on each side of a transition, to the millisecond', () => {
    const berlin = zoneCalendar('Europe/Berlin');
    expect(berlin.offsetAt(at('2024-10-27T00:59:59.999Z'))).toBe(2 * HOUR_MS);
    expect(berlin.offsetAt(at('2024-10-27T01:00:00Z'))).toBe(HOUR_MS);
  });

  it.each<[string, TimeBucket, number]>([
    ['UTC', 'day', DAY_MS],
    ['UTC', 'hour', HOUR_MS],
    ['Europe/Berlin', 'day', HOUR_MS],
    ['America/Los_Angeles', 'week', HOUR_MS],
    ['Asia/Kolkata', 'day', 30 * MINUTE_MS],
    ['Asia/Kathmandu', 'hour', 15 * MINUTE_MS],
    ['Australia/Lord_Howe', 'hour', 30 * MINUTE_MS],
  ])('%s %s buckets are whole multiples of %i ms', (zone, bucket, unit) => {
    expect(
      zoneCalendar(zone).alignedUnit(bucket, at('2024-01-01T00:00:00Z'), at('2024-12-31T00:00:00Z')),
    ).toBe(unit);
  });

  it('refuses an unknown zone with a UsageError', () => {
    expect(() => new ZoneCalendar('Mars/Olympus_Mons')).toThrow(UsageError);
  });
});
