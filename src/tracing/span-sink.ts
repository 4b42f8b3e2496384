import type { Span } from '../core/spans/span.js';

/** Counters every sink keeps; all only grow. */
export type SinkStats = {
  /** Spans handed to `write`. */
  readonly written: number;
  /** Spans that reached the sink's destination (a store, a collector). */
  readonly delivered: number;
  /** Spans given up on for good (a full queue, a collector that kept refusing). */
  readonly dropped: number;
  /** Failed deliveries (each failed store call or HTTP attempt counts once). */
  readonly errors: number;
};

/**
 * Where a tracer sends finished spans: the batched store writer, the OTLP exporter, memory, or several of
 * them (`combineSinks`). `write` is called on the traced call's path: it must return quickly (at most a local
 * append), never wait on the network or a database, and should not throw (the tracer catches and counts it).
 */
export interface SpanSink {
  write(span: Span): void;
  /** Delivers everything written so far (resolves even if delivery failed: failures are counted). */
  flush(): Promise<void>;
  /** Flushes, then releases timers, files and exit hooks. Writes after `close` are dropped. */
  close(): Promise<void>;
  readonly stats: SinkStats;
}
