import { requireWhole } from './detector.js';

/** A stretch of time [start, end), epoch ms. */
export type TimeWindow = { readonly start: number; readonly end: number };

/**
 * The complete windows to judge at `now`, oldest first: windows are `windowMs` long and aligned to multiples
 * of it since the epoch (so every run between two boundaries sees the same windows); the latest one that has
 * ended by `now` is always included, and so is each earlier one that ended within the last `lookbackMs`
 * (so a run every `lookbackMs` misses none). A burst split by a boundary counts half in each window.
 */
export function completeWindows(
  now: number,
  windowMs: number,
  lookbackMs: number,
  name: string,
): TimeWindow[] {
  requireWhole(windowMs, 1, `${name}.windowMs`);
  requireWhole(lookbackMs, 0, `${name}.lookbackMs`);
  const latestEnd = Math.floor(now / windowMs) * windowMs;
  const windows: TimeWindow[] = [];
  for (let end = latestEnd; end === latestEnd || end > now - lookbackMs; end -= windowMs) {
    windows.unshift({ start: end - windowMs, end });
  }
  return windows;
}

/** "10 minutes", "1 hour", "7 days", "90 seconds": a window length for messages. */
export function durationText(ms: number): string {
  const units = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ] as const;
  for (const [size, unit] of units) {
    if (ms % size === 0) return `${ms / size} ${unit}${ms === size ? '' : 's'}`;
  }
  return `${ms} ms`;
}
