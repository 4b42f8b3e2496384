import { describeError } from './describe-error.js';
import type { LlmSpanEnd, LlmSpanHandle } from './tracer.js';

/** Watches one streamed answer on its way to the caller. */
export type StreamWatcher = {
  /** Sees each event; returns what the caller gets in its place, or undefined to hide it from the caller. */
  see(event: unknown): unknown;
  /** What is known so far, for a span that fails mid-stream (no counting). */
  partial(): LlmSpanEnd;
  /** A failure the stream reported in-band while ending normally (e.g. Responses' `response.failed`). */
  failure(): Error | undefined;
  /** The span's end; `complete` is false when the caller stopped reading early. Async when counting. */
  ended(complete: boolean): LlmSpanEnd | Promise<LlmSpanEnd>;
};

/** The parts of the SDKs' `Stream` used here: async iterable, with the controller that aborts it. */
type SdkStream = AsyncIterable<unknown> & { readonly controller: AbortController };
type StreamClass = new (
  iterator: () => AsyncIterator<unknown>,
  controller: AbortController,
  client?: unknown,
) => SdkStream;

export function isSdkStream(data: unknown): data is SdkStream {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as Partial<SdkStream>)[Symbol.asyncIterator] === 'function' &&
    (data as Partial<SdkStream>).controller instanceof AbortController
  );
}

/** `read()`, or `fallback` if reading throws: watching a stream must never break it. */
function attempt<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Ends a span with a result that may still be counting; a failure to compute it still ends the span. */
export function endWith(handle: LlmSpanHandle, compute: () => LlmSpanEnd | Promise<LlmSpanEnd>): void {
  const unknown = (error: unknown): LlmSpanEnd => ({
    attributes: { 'frugal.instrumentation.error': describeError(error).message },
  });
  try {
    const result = compute();
    if (result instanceof Promise) {
      result.then(
        (end) => handle.end(end),
        (error: unknown) => handle.end(unknown(error)),
      );
    } else handle.end(result);
  } catch (error) {
    handle.end(unknown(error));
  }
}

/**
 * A stream of the SDK's own class whose events pass through `watcher` (the SDK's `Stream` constructor takes
 * the iterator, so `tee()`, `toReadableStream()` and the SDK's stream helpers see the watched events). The span
 * ends when the stream ends, fails when it throws, and is estimated when the caller stops early.
 */
export function watchStream(
  stream: SdkStream,
  watcher: StreamWatcher,
  handle: LlmSpanHandle,
  client: unknown,
): SdkStream {
  async function* events(): AsyncGenerator<unknown> {
    let complete = false;
    let failed = false;
    try {
      for await (const event of stream) {
        let shown: unknown = event;
        try {
          shown = watcher.see(event);
        } catch {}
        if (shown !== undefined) yield shown;
      }
      complete = true;
    } catch (error) {
      failed = true;
      handle.fail(error, attempt(watcher.partial, {}));
      throw error;
    } finally {
      const failure = failed ? undefined : attempt(watcher.failure, undefined);
      if (failure) handle.fail(failure, attempt(watcher.partial, {}));
      else if (!failed) endWith(handle, () => watcher.ended(complete));
    }
  }
  try {
    return new (stream.constructor as StreamClass)(() => events(), stream.controller, client);
  } catch {
    return { controller: stream.controller, [Symbol.asyncIterator]: () => events() };
  }
}
