/**
 * Turns a flush pass into a flush function that never runs two passes at once: a call while a pass runs is
 * served by one more pass right after it (calls meanwhile share that pass), so every span written before a
 * call is covered by the pass that call waits for.
 */
export function serialFlush(pass: () => Promise<void>): {
  flush: () => Promise<void>;
  running: () => boolean;
} {
  let active: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const run = (): Promise<void> => {
    active = pass().finally(() => {
      active = undefined;
    });
    return active;
  };
  const flush = (): Promise<void> => {
    if (!active) return run();
    queued ??= active.then(() => {
      queued = undefined;
      return run();
    });
    return queued;
  };
  return { flush, running: () => active !== undefined };
}
