const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA zone this runtime knows ("UTC", "Europe/Berlin", ...). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC in milliseconds at instant `epochMs` (Berlin in summer: +7,200,000). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(Math.floor(epochMs / 1000) * 1000))
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const asUtc = Date.UTC(
    parts['year']!,
    parts['month']! - 1,
    parts['day']!,
    parts['hour']!,
    parts['minute']!,
    parts['second']!,
  );
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant (epoch ms) at which the wall-clock time y-m-d h:00 begins in `timeZone`. For a wall time that
 * a DST change skips, the first instant after the gap; for one it repeats, the first occurrence.
 */
export function zonedTimeToEpoch(
  year: number,
  month: number,
  day: number,
  timeZone: string,
  hour = 0,
): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  // The offsets in force a day before and after bracket any DST change near this wall time.
  const offsets = new Set([-86_400_000, 0, 86_400_000].map((shift) => zoneOffsetMs(wall + shift, timeZone)));
  const candidates = [...offsets].map((offset) => wall - offset);
  const exact = candidates.filter((instant) => instant + zoneOffsetMs(instant, timeZone) === wall);
  // Repeated hour: the first occurrence. Skipped hour: none is exact; the later candidate is the transition.
  return exact.length > 0 ? Math.min(...exact) : Math.max(...candidates);
}

/** The calendar date (y, m, d) of instant `epochMs` in `timeZone`. */
export function zonedDate(epochMs: number, timeZone: string): { year: number; month: number; day: number } {
  const local = new Date(epochMs + zoneOffsetMs(epochMs, timeZone));
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}
