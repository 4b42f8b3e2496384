import type { CallAdmission } from '../core/budgets/admission.js';
import { maxCallCost } from '../core/budgets/max-call-cost.js';
import { defaultPriceBook } from '../core/prices/default-price-book.js';
import type { PriceBook } from '../core/prices/price-book.js';
import type { AttributeValue, Attribution, Span, SpanCost, SpanStatus } from '../core/spans/span.js';
import { type Clock, systemClock } from './clock.js';
import { describeError } from './describe-error.js';
import { mergeAttribution } from './merge-attribution.js';
import { priceLlmCall, utcDay } from './price-llm-call.js';
import { randomSpanIds, type SpanIds } from './span-ids.js';
import type { SpanSink } from './span-sink.js';
import { currentScope, runInScope, runWithAttribution } from './trace-context.js';
import type { LlmCallBound, LlmSpanEnd, LlmSpanHandle, LlmSpanStart, Tracer } from './tracer.js';

/** What `createTracer` is built from; everything but the sink has a default. */
export type TracerOptions = {
  readonly sink: SpanSink;
  /** Prices LLM spans (default: the committed catalog). */
  readonly priceBook?: PriceBook | undefined;
  readonly clock?: Clock | undefined;
  readonly ids?: SpanIds | undefined;
  /** Attribution under every span (any `withAttributes` scope wins over it). */
  readonly defaultAttribution?: Attribution | undefined;
  /**
   * Budgets to enforce (control's `createBudgetGuard`): instrumented calls are admitted before they are sent
   * and settled with their cost. Without it the tracer only records.
   */
  readonly admission?: CallAdmission | undefined;
  /** Told about every sink failure (default: one line on stderr). */
  readonly onError?: ((error: unknown) => void) | undefined;
};

/** A tracer that owns its sink: `close` flushes and releases it. */
export type ClosableTracer = Tracer & { readonly sink: SpanSink; close(): Promise<void> };

type Opened = {
  readonly spanId: string;
  readonly traceId: string;
  readonly parentId: string | undefined;
  readonly attribution: Attribution;
  readonly start: number;
};

const isEmpty = (attribution: Attribution) => Object.keys(attribution).length === 0;

const roundToMicroseconds = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * The tracer: ids and times for every span, parent and attribution from the async context (`trace`,
 * `withAttributes`), LLM spans priced exactly on `end`/`fail` at the price of their start day (UTC), and every
 * finished span handed to the sink. Recording never throws into the traced call.
 */
export function createTracer(options: TracerOptions): ClosableTracer {
  const { sink } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomSpanIds();
  const book = options.priceBook ?? defaultPriceBook();
  const defaults = mergeAttribution({}, options.defaultAttribution ?? {});
  const counters = { recorded: 0, dropped: 0, sinkErrors: 0 };
  const report = (error: unknown) => {
    try {
      (options.onError ?? ((e) => console.error(`frugal tracing: ${describeError(e).message}`)))(error);
    } catch {}
  };

  // Scope attribution is already merged; skip merging when either side is empty (the common case).
  const attributionOf = (scoped: Attribution) =>
    isEmpty(scoped) ? defaults : isEmpty(defaults) ? scoped : mergeAttribution(defaults, scoped);

  // Explicit attribution (a gateway request's) is merged over the scope's: it needs no async context.
  const withExplicit = (scoped: Attribution, explicit: Attribution | undefined) =>
    explicit === undefined ? scoped : isEmpty(scoped) ? explicit : mergeAttribution(scoped, explicit);

  const open = (traceId?: string, explicit?: Attribution): Opened => {
    const scope = currentScope();
    return {
      spanId: ids.spanId(),
      traceId: scope.parent?.traceId ?? traceId ?? ids.traceId(),
      parentId: scope.parent?.spanId,
      attribution: attributionOf(withExplicit(scope.attribution, explicit)),
      start: clock.now(),
    };
  };

  const admission = options.admission;
  const admit =
    admission &&
    ((call: LlmCallBound) => {
      // An estimated count (no public tokenizer) is padded by 25% + 16 tokens: a reservation must not be short.
      const promptTokens = call.promptExact ? call.promptTokens : Math.ceil(call.promptTokens * 1.25) + 16;
      const bound = maxCallCost(
        { model: call.requestModel, promptTokens, maxOutputTokens: call.maxOutputTokens },
        { book, on: utcDay(clock.now()) },
      );
      return admission.admit({
        model: call.requestModel,
        attribution: attributionOf(withExplicit(currentScope().attribution, call.attribution)),
        maxCost: bound.status === 'bounded' ? bound.maxCost : undefined,
        ...(bound.status === 'unbounded' ? { unboundedReason: bound.message } : {}),
      });
    });

  const record = (span: Span) => {
    try {
      sink.write(span);
      counters.recorded++;
    } catch (error) {
      counters.dropped++;
      counters.sinkErrors++;
      report(error);
    }
  };

  type MutableSpan = { -readonly [K in keyof Span]: Span[K] };
  /** A span's ids, times and attribution, for its other fields to be assigned after (in this order). */
  const spanHead = (opened: Opened, end: number): MutableSpan => {
    const span = { id: opened.spanId, traceId: opened.traceId } as MutableSpan;
    if (opened.parentId !== undefined) span.parentId = opened.parentId;
    span.startTime = Math.floor(opened.start);
    span.durationMs = roundToMicroseconds(Math.max(0, end - opened.start));
    span.attribution = opened.attribution;
    return span;
  };

  const tracer: ClosableTracer = {
    sink,
    ...(admit ? { admit } : {}),
    startLlmSpan(start: LlmSpanStart): LlmSpanHandle {
      const opened = open(start.traceId, start.attribution);
      const kind = start.kind ?? (start.operation === 'embeddings' ? 'embedding' : 'llm');
      let firstTokenAt: number | undefined;
      let finished: Span | undefined;
      const finish = (status: SpanStatus, result: LlmSpanEnd | undefined, error?: unknown): Span => {
        if (finished) return finished;
        const end = clock.now();
        const usage = result?.usage;
        let cost: SpanCost | undefined;
        if (usage) {
          const models = [result?.responseModel, start.requestModel];
          cost = priceLlmCall(usage, models, {
            book,
            startTime: opened.start,
            embedding: kind === 'embedding',
          });
        } else if (status === 'ok') {
          cost = { status: 'unpriced', reason: 'incomplete-usage', message: 'the call reported no usage' };
        }
        // Merged only when the end adds attributes (a spread of both costs on every span).
        const ended = result?.attributes;
        const attributes: Readonly<Record<string, AttributeValue>> =
          ended === undefined || isEmpty(ended)
            ? (start.attributes ?? {})
            : { ...start.attributes, ...ended };
        const simulated = start.simulated ?? (start.provider === 'sim' ? true : undefined);
        // Assigned field by field (a spread per optional field cost more on every gateway call).
        const span = spanHead(opened, end);
        span.name = start.name ?? `${start.operation} ${start.requestModel}`;
        span.kind = kind;
        span.status = status;
        if (firstTokenAt !== undefined)
          span.timeToFirstTokenMs = roundToMicroseconds(firstTokenAt - opened.start);
        if (status === 'error') span.error = describeError(error);
        span.operation = start.operation;
        span.provider = start.provider;
        span.requestModel = start.requestModel;
        if (result?.responseModel !== undefined) span.responseModel = result.responseModel;
        if (usage !== undefined) span.usage = usage;
        if (result?.usageEstimated !== undefined) span.usageEstimated = result.usageEstimated;
        if (cost !== undefined) span.cost = cost;
        if (start.requestHash !== undefined) span.requestHash = start.requestHash;
        if (simulated !== undefined) span.simulated = simulated;
        span.attributes = attributes;
        finished = span;
        try {
          start.ticket?.settle({ cost, status, responseModel: result?.responseModel });
        } catch (settleError) {
          report(settleError);
        }
        record(finished);
        return finished;
      };
      return {
        spanId: opened.spanId,
        traceId: opened.traceId,
        firstToken() {
          if (firstTokenAt === undefined && finished === undefined) firstTokenAt = clock.now();
        },
        end: (result) => finish('ok', result),
        fail: (error, partial) => finish('error', partial, error),
      };
    },

    async trace<T>(
      name: string,
      fn: () => T | Promise<T>,
      attributes?: Readonly<Record<string, AttributeValue>>,
    ): Promise<T> {
      const opened = open();
      const scope = {
        tracer,
        parent: { spanId: opened.spanId, traceId: opened.traceId },
        attribution: currentScope().attribution,
      };
      let status: SpanStatus = 'ok';
      let thrown: unknown;
      try {
        return await runInScope(scope, fn);
      } catch (error) {
        status = 'error';
        thrown = error;
        throw error;
      } finally {
        record(
          Object.assign(spanHead(opened, clock.now()), {
            name,
            kind: 'step' as const,
            status,
            ...(status === 'error' ? { error: describeError(thrown) } : {}),
            attributes: { ...attributes },
          }),
        );
      }
    },

    withAttributes<T>(attribution: Attribution, fn: () => T): T {
      return runWithAttribution(attribution, fn, tracer);
    },

    async flush() {
      try {
        await sink.flush();
      } catch (error) {
        counters.sinkErrors++;
        report(error);
      }
    },

    async close() {
      try {
        await sink.close();
      } catch (error) {
        counters.sinkErrors++;
        report(error);
      }
    },

    get stats() {
      return {
        recorded: counters.recorded,
        dropped: counters.dropped + sink.stats.dropped,
        sinkErrors: counters.sinkErrors + sink.stats.errors,
      };
    },
  };
  return tracer;
}
