import type { Span } from '../core/spans/span.js';
import type { SinkStats, SpanSink } from './span-sink.js';

/** A sink that keeps every span in memory, in the order written: for tests and short-lived scripts. */
export type MemorySink = SpanSink & { readonly spans: readonly Span[] };

/** Creates an in-memory sink; `spans` is the live list. Writes after `close` are dropped and counted. */
export function createMemorySink(): MemorySink {
  const spans: Span[] = [];
  let closed = false;
  const stats = { written: 0, delivered: 0, dropped: 0, errors: 0 };
  return {
    spans,
    write(span) {
      stats.written++;
      if (closed) {
        stats.dropped++;
        return;
      }
      spans.push(span);
      stats.delivered++;
    },
    flush: async () => {},
    close: async () => {
      closed = true;
    },
    get stats(): SinkStats {
      return { ...stats };
    },
  };
}
