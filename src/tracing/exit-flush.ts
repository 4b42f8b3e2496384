/** A flush to run before the process ends; it must settle on its own (bounded by its own timeout). */
export type ExitFlush = () => Promise<void>;

const exitSignals = ['SIGINT', 'SIGTERM'] as const;
type ExitSignal = (typeof exitSignals)[number];

const flushes = new Set<ExitFlush>();
let installed = false;

/** However a registered flush behaves, a signal is re-raised after at most this long. */
const signalFlushCapMs = 10_000;

const flushAll = () => Promise.allSettled([...flushes].map((flush) => flush()));

/** Every flush, but never longer than the cap (the timer keeps the process alive while we wait). */
async function flushAllCapped(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, signalFlushCapMs);
  });
  await Promise.race([flushAll(), cap]);
  clearTimeout(timer);
}

const onBeforeExit = () => {
  void flushAll();
};

const signalHandlers: Record<ExitSignal, () => void> = {
  SIGINT: () => handleSignal('SIGINT'),
  SIGTERM: () => handleSignal('SIGTERM'),
};

/**
 * On SIGINT/SIGTERM: flush, then — when nothing else in the process listens to the signal — remove our
 * handler and raise the signal again, so the process ends exactly as it would have without frugal (killed by
 * that signal). When the application has its own handler, it decides when to exit; frugal only flushes.
 */
function handleSignal(signal: ExitSignal): void {
  void flushAllCapped().then(() => {
    if (process.listenerCount(signal) > 1) return;
    process.removeListener(signal, signalHandlers[signal]);
    process.kill(process.pid, signal);
  });
}

/**
 * Registers a flush to run on `beforeExit` (the event loop ran dry), SIGINT and SIGTERM; returns the
 * function that unregisters it. Listeners are installed while at least one flush is registered.
 */
export function registerExitFlush(flush: ExitFlush): () => void {
  flushes.add(flush);
  if (!installed) {
    installed = true;
    process.on('beforeExit', onBeforeExit);
    for (const signal of exitSignals) process.on(signal, signalHandlers[signal]);
  }
  return () => {
    flushes.delete(flush);
    if (flushes.size === 0 && installed) {
      installed = false;
      process.removeListener('beforeExit', onBeforeExit);
      for (const signal of exitSignals) process.removeListener(signal, signalHandlers[signal]);
    }
  };
}
