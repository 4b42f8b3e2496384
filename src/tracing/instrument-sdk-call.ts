import type { AdmissionTicket } from '../core/budgets/admission.js';
import { currentTracer } from './default-tracer.js';
import { requestBound } from './instrument-bound.js';
import { endWith, isSdkStream, type StreamWatcher, watchStream } from './instrument-stream.js';
import { requestHash } from './request-hash.js';
import type { LlmSpanEnd, LlmSpanHandle, LlmSpanStart, Tracer } from './tracer.js';

/** Options every instrumentation takes. */
export type InstrumentOptions = {
  /** The tracer to record with (default: the current one, see `currentTracer`, looked up at each call). */
  readonly tracer?: Tracer | undefined;
};

/** How calls of one SDK method become spans. */
export type CallRecipe = {
  start(body: Record<string, unknown>): LlmSpanStart;
  /** The body to send instead (e.g. with usage requested in the stream); default: the caller's. */
  send?(body: Record<string, unknown>): Record<string, unknown>;
  /** The span's end from a non-streamed answer. Async when usage must be counted. */
  ended(data: unknown, body: Record<string, unknown>): LlmSpanEnd | Promise<LlmSpanEnd>;
  /** A watcher for a streamed answer (a method that never streams has none). */
  watch?(body: Record<string, unknown>, handle: LlmSpanHandle): StreamWatcher;
};

/** A method of an SDK resource or client, as called here. */
export type SdkMethod = (...args: unknown[]) => unknown;

/** The parts of the Stainless SDKs' `APIPromise` used here (openai and @anthropic-ai/sdk share them). */
type SdkPromise = PromiseLike<unknown> & {
  _thenUnwrap?: (transform: (data: unknown) => unknown) => unknown;
  asResponse?: () => Promise<unknown>;
};

/**
 * Wraps an SDK method (`create(body, options)`) so that each call becomes an LLM span: started when the call
 * is made (in the caller's trace and attribution scope), failed with the SDK's error, ended with the answer's
 * usage. The SDK's `APIPromise` is kept (`.withResponse()`, `.asResponse()`, `_thenUnwrap` helpers work).
 * Tracing never breaks the call: without a tracer, or if the span cannot start, the original runs untouched.
 */
export function traceSdkMethod(
  original: SdkMethod,
  target: unknown,
  recipe: CallRecipe,
  options: InstrumentOptions,
  client: unknown,
): SdkMethod {
  return function traced(body, requestOptions) {
    const tracer = options.tracer ?? currentTracer();
    if (tracer === undefined || typeof body !== 'object' || body === null) {
      return original.call(target, body, requestOptions);
    }
    const request = body as Record<string, unknown>;
    let start: LlmSpanStart;
    try {
      start = { ...recipe.start(request), requestHash: requestHash(request) };
    } catch {
      return original.call(target, body, requestOptions);
    }
    const send = (ticket?: AdmissionTicket) =>
      sendTraced(original, target, recipe, client, tracer, request, requestOptions, { ...start, ticket });
    if (tracer.admit === undefined) return send();
    return admitted(tracer.admit, request, start, send);
  };
}

/**
 * The call sent only once budgets admit it: a promise of the SDK's answer that also offers the APIPromise's
 * `.withResponse()` and `.asResponse()`. A refusal rejects with the BudgetExceededError and sends nothing.
 */
function admitted(
  admit: NonNullable<Tracer['admit']>,
  request: Record<string, unknown>,
  start: LlmSpanStart,
  send: (ticket: AdmissionTicket) => unknown,
): unknown {
  const sending = requestBound(request, start.kind === 'embedding')
    .then(admit)
    .then((ticket) => ({
      promise: send(ticket) as SdkPromise & Partial<Record<'withResponse' | 'asResponse', () => unknown>>,
    }));
  const answer = sending.then(({ promise }) => promise);
  return Object.assign(answer, {
    withResponse: () => sending.then(({ promise }) => promise.withResponse?.() ?? promise),
    asResponse: () => sending.then(({ promise }) => promise.asResponse?.() ?? promise),
  });
}

/** Sends the call and ends its span with the answer (or the stream's end, or the error). */
function sendTraced(
  original: SdkMethod,
  target: unknown,
  recipe: CallRecipe,
  client: unknown,
  tracer: Tracer,
  request: Record<string, unknown>,
  requestOptions: unknown,
  start: LlmSpanStart,
): unknown {
  let handle: LlmSpanHandle;
  let sent: Record<string, unknown>;
  try {
    sent = recipe.send?.(request) ?? request;
    handle = tracer.startLlmSpan(start);
  } catch {
    // Sent untraced: its cost will be unknown, so it keeps its whole reservation.
    start.ticket?.settle({ cost: undefined, status: 'ok' });
    return original.call(target, request, requestOptions);
  }
  let promise: SdkPromise;
  try {
    promise = original.call(target, sent, requestOptions) as SdkPromise;
  } catch (error) {
    handle.fail(error);
    throw error;
  }
  const seen = (data: unknown): unknown => {
    if (isSdkStream(data) && recipe.watch)
      return watchStream(data, recipe.watch(request, handle), handle, client);
    endWith(handle, () => recipe.ended(data, request));
    return data;
  };
  if (typeof promise?._thenUnwrap !== 'function') {
    return Promise.resolve(promise).then(seen, (error: unknown) => {
      handle.fail(error);
      throw error;
    });
  }
  promise.asResponse?.().then(undefined, (error: unknown) => handle.fail(error));
  return promise._thenUnwrap(seen);
}

const instrumented = Symbol.for('frugal.instrumented');

/**
 * Replaces `target[name]` (a method) with `wrap(original)` as an own property, once: a method already wrapped
 * is left alone, so instrumenting a client twice records each call once. Missing targets are skipped.
 */
export function patchMethod(target: unknown, name: string, wrap: (original: SdkMethod) => SdkMethod): void {
  if (typeof target !== 'object' || target === null) return;
  const holder = target as Record<string, unknown>;
  const original = holder[name];
  if (typeof original !== 'function' || (original as { [instrumented]?: boolean })[instrumented]) return;
  const wrapped = wrap(original as SdkMethod);
  Object.defineProperty(wrapped, instrumented, { value: true });
  Object.defineProperty(holder, name, {
    value: wrapped,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
