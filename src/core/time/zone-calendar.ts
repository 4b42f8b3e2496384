import { UsageError } from '../errors.js';
import type { TimeBucket } from '../spans/spend-query.js';

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A stretch of time [start, end) over which a zone's offset from UTC does not change. */
export type OffsetSegment = { readonly start: number; readonly end: number; readonly offset: number };

const wallFields = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;

function floorMod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}

/**
 * Calendar buckets (hour, day, week from Monday, month) in one IANA time zone, from the offsets that `Intl`
 * knows. Offsets are sampled once per UTC day and a change between two samples is located to the millisecond
 * by bisection, so DST days have 23 or 25 hours and zones with half-hour offsets work. Results are cached.
 *
 * A bucket is the set of instants whose local date (and hour, for hour buckets) is the same; its start is the
 * first such instant, e.g. when a day begins in a DST gap it starts at the transition.
 */
export class ZoneCalendar {
  readonly timeZone: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #dayOffsets = new Map<number, number>();
  readonly #transitions = new Map<number, number>();

  constructor(timeZone: string) {
    this.timeZone = timeZone;
    try {
      this.#format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (error) {
      throw new UsageError(`unknown time zone '${timeZone}' (expected an IANA name such as Europe/Berlin)`, {
        cause: error,
      });
    }
  }

  /** Local wall-clock time minus UTC at `instant`, in milliseconds (e.g. 7,200,000 for CEST). */
  offsetAt(instant: number): number {
    const day = Math.floor(instant / DAY_MS);
    const before = this.#sampledOffset(day);
    const after = this.#sampledOffset(day + 1);
    if (before === after) return before;
    return instant < this.#transition(day) ? before : after;
  }

  /** The start (epoch ms) of the bucket that contains `instant`. */
  bucketStart(instant: number, bucket: TimeBucket): number {
    const wall = instant + this.offsetAt(instant);
    switch (bucket) {
      case 'hour':
        // Labelled by the local hour's :00 even when a 30-minute DST change (Lord Howe) skips it; the store's
        // rollups and SQL bucket hours the same way.
        return instant - floorMod(wall, HOUR_MS);
      case 'day':
        return this.startOfWall(Math.floor(wall / DAY_MS) * DAY_MS);
      case 'week': {
        const day = Math.floor(wall / DAY_MS);
        // Day 0 (1970-01-01) was a Thursday, 3 days after a Monday.
        return this.startOfWall((day - floorMod(day + 3, 7)) * DAY_MS);
      }
      case 'month': {
        const date = new Date(wall);
        return this.startOfWall(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
      }
    }
  }

  /** The first instant after `instant` that lies in the next bucket (when a period resets). */
  nextBucketStart(instant: number, bucket: TimeBucket): number {
    const start = this.bucketStart(instant, bucket);
    const wall = start + this.offsetAt(start);
    switch (bucket) {
      case 'hour': {
        // Around a 30-minute DST change an hour bucket lasts 30 or 60 minutes; offsets and their changes fall
        // on UTC quarter hours, so the first quarter hour after `instant` in another bucket is the boundary.
        let next = instant - floorMod(instant, 15 * MINUTE_MS) + 15 * MINUTE_MS;
        while (this.bucketStart(next, 'hour') === start) next += 15 * MINUTE_MS;
        return next;
      }
      case 'day':
        return this.startOfWall((Math.floor(wall / DAY_MS) + 1) * DAY_MS);
      case 'week':
        return this.startOfWall((Math.floor(wall / DAY_MS) + 7) * DAY_MS);
      case 'month': {
        const date = new Date(wall);
        return this.startOfWall(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
      }
    }
  }

  /**
   * The largest unit (DAY_MS, HOUR_MS, 30 or 15 minutes, a minute, a second or 1 ms) such that every UTC
   * interval [k·unit, (k+1)·unit) between `from` and `to` lies inside one bucket: it divides every offset the
   * zone has in that stretch and every instant at which the offset changes. Hour buckets never get more than an
   * hour. Answers from hourly rollups are exact only when this is at least an hour (a day, for daily rollups).
   */
  alignedUnit(bucket: TimeBucket, from: number, to: number): number {
    const margin = 32 * DAY_MS;
    const segments = this.offsetSegments(from - margin, to + margin);
    const instants = [...segments.map((segment) => segment.offset), ...segments.slice(1).map((s) => s.start)];
    const candidates = [DAY_MS, HOUR_MS, 30 * MINUTE_MS, 15 * MINUTE_MS, MINUTE_MS, SECOND_MS, 1];
    for (const unit of candidates) {
      if (bucket === 'hour' && unit > HOUR_MS) continue;
      if (instants.every((value) => floorMod(value, unit) === 0)) return unit;
    }
    return 1;
  }

  /** The first instant at which the wall clock reads `wall` or later (a day starting in a DST gap starts at the gap). */
  startOfWall(wall: number): number {
    for (const segment of this.offsetSegments(wall - 2 * DAY_MS, wall + 2 * DAY_MS)) {
      const instant = Math.max(segment.start, wall - segment.offset);
      if (instant < segment.end) return instant;
    }
    return wall - this.offsetAt(wall);
  }

  /** Constant-offset segments covering [from, to], in order (the first starts at or before `from`). */
  offsetSegments(from: number, to: number): OffsetSegment[] {
    const segments: OffsetSegment[] = [];
    const firstDay = Math.floor(from / DAY_MS);
    const lastDay = Math.floor(to / DAY_MS);
    let start = firstDay * DAY_MS;
    let offset = this.#sampledOffset(firstDay);
    for (let day = firstDay; day <= lastDay; day++) {
      const next = this.#sampledOffset(day + 1);
      if (next === offset) continue;
      const transition = this.#transition(day);
      segments.push({ start, end: transition, offset });
      start = transition;
      offset = next;
    }
    segments.push({ start, end: (lastDay + 1) * DAY_MS, offset });
    return segments;
  }

  #sampledOffset(day: number): number {
    let offset = this.#dayOffsets.get(day);
    if (offset === undefined) {
      offset = this.#intlOffset(day * DAY_MS);
      this.#dayOffsets.set(day, offset);
    }
    return offset;
  }

  /** The instant in (day start, next day start] at which the offset changes from the day's sampled one. */
  #transition(day: number): number {
    const cached = this.#transitions.get(day);
    if (cached !== undefined) return cached;
    const before = this.#sampledOffset(day);
    let low = day * DAY_MS;
    let high = low + DAY_MS;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.#intlOffset(middle) === before) low = middle;
      else high = middle;
    }
    this.#transitions.set(day, high);
    return high;
  }

  #intlOffset(instant: number): number {
    const values: Record<string, number> = {};
    for (const part of this.#format.formatToParts(instant)) values[part.type] = Number(part.value);
    const [year, month, day, hour, minute, second] = wallFields.map((field) => values[field] ?? 0);
    const wall = Date.UTC(year!, month! - 1, day, hour, minute, second);
    return wall - (instant - floorMod(instant, SECOND_MS));
  }
}

const calendars = new Map<string, ZoneCalendar>();

/** The (cached) calendar of an IANA zone; throws a UsageError naming an unknown zone. */
export function zoneCalendar(timeZone: string): ZoneCalendar {
  let calendar = calendars.get(timeZone);
  if (calendar === undefined) {
    calendar = new ZoneCalendar(timeZone);
    if (calendars.size >= 64) calendars.clear();
    calendars.set(timeZone, calendar);
  }
  return calendar;
}
