import type { Span } from '../core/spans/span.js';
import type { SinkStats, SpanSink } from '../tracing/span-sink.js';

/** A sink that keeps an evaluation's spans by trace (so each row's usage and cost come from its spans) and passes every span on. */
export type SpanCollector = SpanSink & {
  /** The spans of a trace recorded so far. */
  spansOf(traceId: string): readonly Span[];
  /** Lets go of a trace's spans once they are accounted for. */
  forget(traceId: string): void;
};

export function createSpanCollector(next?: SpanSink): SpanCollector {
  const byTrace = new Map<string, Span[]>();
  let written = 0;
  return {
    write(span) {
      written++;
      const spans = byTrace.get(span.traceId);
      if (spans === undefined) byTrace.set(span.traceId, [span]);
      else spans.push(span);
      next?.write(span);
    },
    spansOf: (traceId) => byTrace.get(traceId) ?? [],
    forget(traceId) {
      byTrace.delete(traceId);
    },
    flush: async () => next?.flush(),
    close: async () => next?.close(),
    get stats(): SinkStats {
      return next?.stats ?? { written, delivered: written, dropped: 0, errors: 0 };
    },
  };
}
