import { UsageError } from '../errors.js';
import { zoneCalendar } from './zone-calendar.js';

const unitsMs = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Reads a time bound as users write it on the command line, relative to `now` (epoch ms):
 * - a duration back from now: `30m`, `24h`, `7d`, `2w`;
 * - `now`, `today` (start of today), `yesterday` (start of yesterday);
 * - a date `2026-11-01` (the start of that day);
 * - an ISO date-time with a zone, `2026-11-01T09:30:00Z` or `…+01:00`.
 * Days start at midnight in `timeZone` (default UTC). Anything else is a UsageError naming `what`.
 */
export function parseTimeBound(text: string, now: number, what: string, timeZone = 'UTC'): number {
  const value = text.trim();
  const duration = /^(\d+)([mhdw])$/.exec(value);
  if (duration) return now - Number(duration[1]) * unitsMs[duration[2] as keyof typeof unitsMs];
  if (value === 'now') return now;
  const calendar = zoneCalendar(timeZone);
  if (value === 'today' || value === 'yesterday') {
    const today = calendar.bucketStart(now, 'day');
    return value === 'today' ? today : calendar.bucketStart(today - 1, 'day');
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const check = new Date(Date.UTC(year, month - 1, date));
    if (check.getUTCMonth() === month - 1 && check.getUTCDate() === date) {
      return calendar.startOfWall(Date.UTC(year, month - 1, date));
    }
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new UsageError(
    `${what} must be a duration (30m, 24h, 7d, 2w), now, today, yesterday, a date (2026-11-01) or an ISO time with a zone (2026-11-01T09:30Z), got '${text}'`,
  );
}
