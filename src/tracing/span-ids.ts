import { randomFillSync } from 'node:crypto';

/** Makes OpenTelemetry-shaped ids: a trace id of 32 lowercase hex digits, a span id of 16. Never all zeros. */
export interface SpanIds {
  traceId(): string;
  spanId(): string;
}

const POOL_BYTES = 4096;

/** Crypto-random ids, drawn from a pooled buffer (one `randomFillSync` per 4 KiB of ids). */
export function randomSpanIds(): SpanIds {
  const pool = Buffer.alloc(POOL_BYTES);
  let offset = POOL_BYTES;
  const hex = (bytes: number): string => {
    for (;;) {
      if (offset + bytes > POOL_BYTES) {
        randomFillSync(pool);
        offset = 0;
      }
      const text = pool.toString('hex', offset, offset + bytes);
      offset += bytes;
      if (!/^0+$/.test(text)) return text;
    }
  };
  return { traceId: () => hex(16), spanId: () => hex(8) };
}

/** Deterministic ids counting up from 1 (`…0001`, `…0002`), for tests and reproducible examples. */
export function sequentialSpanIds(): SpanIds {
  let traces = 0;
  let spans = 0;
  return {
    traceId: () => (++traces).toString(16).padStart(32, '0'),
    spanId: () => (++spans).toString(16).padStart(16, '0'),
  };
}
