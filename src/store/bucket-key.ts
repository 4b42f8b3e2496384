import type { TimeBucket } from '../core/spans/spend-query.js';
import { DAY_MS, HOUR_MS, type OffsetSegment, type ZoneCalendar } from '../core/time/zone-calendar.js';

/**
 * How SQL computes the calendar bucket of a span (or of a rollup row) so that each piece of a spend answer
 * returns one row per group and bucket, and how that key maps back to the bucket's start. The zone's offsets
 * over the answer's stretch are inlined as a CASE over its transitions; keys are integers:
 * - hour: the bucket's start in epoch ms (t − (local time mod 1 h));
 * - day: the local day number (local wall time ÷ 1 day);
 * - week: the local Monday-based week number; month: the month's position in `monthStarts`.
 */
export type BucketKey = {
  readonly calendar: ZoneCalendar;
  readonly bucket: TimeBucket;
  /** The zone's offsets over the answer's stretch. */
  readonly segments: readonly OffsetSegment[];
  /** Month buckets: the local day number of the first day of each month in the stretch. */
  readonly monthStarts: readonly number[];
};

/** What a time column counts: epoch ms (spans), UTC hours (hourly rollup) or UTC days (daily rollup). */
export type TimeColumn = 'instant' | 'hour' | 'day';

/** Keeps integer division flooring for instants a little before 1970 in zones west of UTC (7,000 days). */
const BIAS_DAYS = 7_000;

/** The key of the stretch [from, to) of a bucketed spend query. */
export function bucketKeyFor(
  calendar: ZoneCalendar,
  bucket: TimeBucket,
  from: number,
  to: number,
): BucketKey {
  const segments = calendar
    .offsetSegments(from, to)
    .filter((segment) => segment.end > from && segment.start < to);
  const monthStarts: number[] = [];
  if (bucket === 'month') {
    const first = new Date(from + calendar.offsetAt(from));
    const lastWall = to - 1 + calendar.offsetAt(to - 1);
    for (let month = 0; ; month++) {
      const start = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + month, 1);
      if (month > 0 && start > lastWall) break;
      monthStarts.push(start / DAY_MS);
    }
  }
  return { calendar, bucket, segments, monthStarts };
}

/** The offset at `column` as SQL, in units of `scale` ms (exact integers, or this is a planning bug). */
function offsetSql(key: BucketKey, column: string, scale: number): string {
  const scaled = (value: number) => {
    if (value % scale !== 0) throw new RangeError(`offset ${value} ms is not a whole number of ${scale} ms`);
    return String(value / scale);
  };
  const [first, ...rest] = key.segments;
  if (first === undefined) return '0';
  if (rest.length === 0) return scaled(first.offset);
  const branches = rest.map((segment, index) => {
    const before = key.segments[index]!;
    return `WHEN ${column} < ${scaled(segment.start)} THEN ${scaled(before.offset)}`;
  });
  return `(CASE ${branches.join(' ')} ELSE ${scaled(rest.at(-1)!.offset)} END)`;
}

function localDaySql(key: BucketKey, source: TimeColumn, column: string): string {
  if (source === 'day') return column;
  if (source === 'hour')
    return `((${column} + ${offsetSql(key, column, HOUR_MS)} + ${BIAS_DAYS * 24}) / 24 - ${BIAS_DAYS})`;
  return `((${column} + ${offsetSql(key, column, 1)} + ${BIAS_DAYS * DAY_MS}) / ${DAY_MS} - ${BIAS_DAYS})`;
}

/** The SQL expression of the bucket key of a row whose time is `column` (counting `source` units). */
export function bucketKeySql(key: BucketKey, source: TimeColumn, column: string): string {
  switch (key.bucket) {
    case 'hour':
      if (source === 'hour') return `(${column} * CAST(${HOUR_MS} AS BIGINT))`;
      if (source === 'day') throw new RangeError('hour buckets cannot be read from daily rollups');
      return `(${column} - ((${column} + ${offsetSql(key, column, 1)} + ${BIAS_DAYS * DAY_MS}) % ${HOUR_MS}))`;
    case 'day':
      return localDaySql(key, source, column);
    case 'week':
      return `((${localDaySql(key, source, column)} + ${3 + BIAS_DAYS}) / 7 - ${BIAS_DAYS / 7})`;
    case 'month': {
      const day = localDaySql(key, source, column);
      const branches = key.monthStarts.slice(1).map((start, index) => `WHEN ${day} < ${start} THEN ${index}`);
      return branches.length === 0
        ? '0'
        : `(CASE ${branches.join(' ')} ELSE ${key.monthStarts.length - 1} END)`;
    }
  }
}

/** The start (epoch ms) of the bucket a key names. */
export function bucketStartOfKey(key: BucketKey, value: number): number {
  switch (key.bucket) {
    case 'hour':
      return value;
    case 'day':
      return key.calendar.startOfWall(value * DAY_MS);
    case 'week':
      return key.calendar.startOfWall((7 * value - 3) * DAY_MS);
    case 'month':
      return key.calendar.startOfWall(key.monthStarts[value]! * DAY_MS);
  }
}
