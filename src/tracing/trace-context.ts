import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attribution } from '../core/spans/span.js';
import { mergeAttribution } from './merge-attribution.js';
import type { Tracer } from './tracer.js';

/** What flows through async code: the tracer in use, the span new spans hang under, the attribution. */
export type TraceScope = {
  readonly tracer?: Tracer | undefined;
  readonly parent?: { readonly spanId: string; readonly traceId: string } | undefined;
  /** The merged attribution of every `withAttributes` scope around this point (tracer defaults excluded). */
  readonly attribution: Attribution;
};

const storage = new AsyncLocalStorage<TraceScope>();
const emptyScope: TraceScope = { attribution: {} };

/** The scope at this point of the async call graph (an empty one outside every scope). */
export function currentScope(): TraceScope {
  return storage.getStore() ?? emptyScope;
}

/** Runs `fn` (and everything it starts: awaits, timers, promises) inside `scope`. */
export function runInScope<T>(scope: TraceScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Runs `fn` with `attribution` merged over the current scope's (and `tracer` carried, when given). */
export function runWithAttribution<T>(attribution: Attribution, fn: () => T, tracer?: Tracer): T {
  const scope = currentScope();
  return storage.run(
    {
      tracer: tracer ?? scope.tracer,
      parent: scope.parent,
      attribution: mergeAttribution(scope.attribution, attribution),
    },
    fn,
  );
}
