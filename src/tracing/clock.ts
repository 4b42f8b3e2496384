/** Where a tracer reads the time: epoch milliseconds, possibly fractional. Injected in tests. */
export interface Clock {
  now(): number;
}

/** The system clock with sub-millisecond resolution (monotonic within the process, epoch-based). */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
};
