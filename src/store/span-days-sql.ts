/** The UTC day (since the epoch) of a start time, as both engines' trace indexes key it (migration 2: frozen). */
export const startDaySql = (startTime: string) => `${startTime} / 86400000`;

/**
 * A recursive `days (day)` CTE listing the UTC days that hold spans, found by hopping along the start-time
 * index from one day to the next: one index seek per day, whatever the number of spans. A trace is read with
 * one lookup of its trace index per listed day.
 */
export const spanDaysSql =
  'WITH RECURSIVE days (day) AS (' +
  `SELECT ${startDaySql('min(start_time)')} FROM spans UNION ALL ` +
  `SELECT (SELECT ${startDaySql('min(start_time)')} FROM spans WHERE start_time >= (day + 1) * 86400000) ` +
  'FROM days WHERE day IS NOT NULL)';
