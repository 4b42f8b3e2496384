import type { SinkStats, SpanSink } from './span-sink.js';

/**
 * One sink that writes every span to each of `sinks` (e.g. the store writer and the OTLP exporter). A sink
 * that throws does not keep the span from the others; the throw is counted in `errors` (and `dropped`).
 * Stats add up: `written` is counted once per span, `delivered`/`dropped`/`errors` per sink.
 */
export function combineSinks(...sinks: SpanSink[]): SpanSink {
  const own = { written: 0, dropped: 0, errors: 0 };
  const each = async (action: (sink: SpanSink) => Promise<void>) => {
    const results = await Promise.allSettled(sinks.map(action));
    own.errors += results.filter((result) => result.status === 'rejected').length;
  };
  return {
    write(span) {
      own.written++;
      for (const sink of sinks) {
        try {
          sink.write(span);
        } catch {
          own.dropped++;
          own.errors++;
        }
      }
    },
    flush: () => each((sink) => sink.flush()),
    close: () => each((sink) => sink.close()),
    get stats(): SinkStats {
      const sum = (field: 'delivered' | 'dropped' | 'errors') =>
        sinks.reduce((total, sink) => total + sink.stats[field], 0);
      return {
        written: own.written,
        delivered: sum('delivered'),
        dropped: own.dropped + sum('dropped'),
        errors: own.errors + sum('errors'),
      };
    },
  };
}
