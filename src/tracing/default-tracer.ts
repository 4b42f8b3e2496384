import type { AttributeValue, Attribution } from '../core/spans/span.js';
import { currentScope, runWithAttribution } from './trace-context.js';
import type { Tracer } from './tracer.js';

let processTracer: Tracer | undefined;

/** Sets (or clears, with undefined) the tracer that `trace` uses outside every tracer's scope. */
export function setDefaultTracer(tracer: Tracer | undefined): void {
  processTracer = tracer;
}

/** The tracer carried by the async context (set by a tracer's `trace`/`withAttributes`), else the default. */
export function currentTracer(): Tracer | undefined {
  return currentScope().tracer ?? processTracer;
}

/**
 * Runs `fn` inside a step span of the current tracer (see `currentTracer`); spans started inside it, across
 * awaits, timers and `Promise.all` branches, are its children. With no tracer at all, simply runs `fn`.
 */
export function trace<T>(
  name: string,
  fn: () => T | Promise<T>,
  attributes?: Readonly<Record<string, AttributeValue>>,
): Promise<T> {
  const tracer = currentTracer();
  if (tracer) return tracer.trace(name, fn, attributes);
  return (async () => fn())();
}

/**
 * Runs `fn` with `attribution` merged over the current scope's, for every span started inside it (inner
 * fields win; tags accumulate). Needs no tracer: spans started later inside it pick the attribution up.
 */
export function withAttributes<T>(attribution: Attribution, fn: () => T): T {
  return runWithAttribution(attribution, fn);
}
