/** How intervals are computed: the same options and scores always give the same numbers. */
export type MetricOptions = {
  /** Two-sided confidence level; 0.95 by default. */
  readonly confidence?: number | undefined;
  /** Bootstrap resamples for numeric scores; 2,000 by default. */
  readonly resamples?: number | undefined;
  /** Seed of the bootstrap's random numbers; 0 by default, so reports are reproducible. */
  readonly seed?: number | undefined;
};
