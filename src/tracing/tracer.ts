import type { AdmissionTicket } from '../core/budgets/admission.js';
import type { AttributeValue, Attribution, Span } from '../core/spans/span.js';
import type { Usage } from '../core/usage.js';

/** What an instrumentation knows when an LLM call starts. */
export type LlmSpanStart = {
  /** Span name, e.g. `chat gpt-4o` (OpenTelemetry GenAI: `{operation} {model}`). */
  readonly name?: string | undefined;
  readonly kind?: 'llm' | 'embedding' | undefined;
  /** `gen_ai.operation.name`: chat, text_completion, embeddings, ... */
  readonly operation: string;
  /** `gen_ai.provider.name`: openai, anthropic, ... */
  readonly provider: string;
  readonly requestModel: string;
  /** Extra OpenTelemetry attributes (`gen_ai.request.temperature`, `gen_ai.request.max_tokens`, ...). */
  readonly attributes?: Readonly<Record<string, AttributeValue>> | undefined;
  /** True for frugal's offline simulator (default: true when `provider` is `sim`). */
  readonly simulated?: boolean | undefined;
  /** See `Span.requestHash`. */
  readonly requestHash?: string | undefined;
  /** Attribution merged over the async scope's (its fields win): for callers that pass it explicitly. */
  readonly attribution?: Attribution | undefined;
  /** The trace to start the span in when no parent span is in scope (e.g. the gateway's request id). */
  readonly traceId?: string | undefined;
  /** The budget reservation this call holds (from `Tracer.admit`): settled with the span's cost when it ends. */
  readonly ticket?: AdmissionTicket | undefined;
};

/** What budgets need to know of a call before it is sent. */
export type LlmCallBound = {
  readonly requestModel: string;
  /** The prompt's tokens as counted by frugal. */
  readonly promptTokens: number;
  /** False when the count is an estimate (a model without a public tokenizer): it is then padded. */
  readonly promptExact: boolean;
  /** The caller's output cap, if any. */
  readonly maxOutputTokens?: number | undefined;
  /** Attribution merged over the async scope's, as for `LlmSpanStart.attribution`. */
  readonly attribution?: Attribution | undefined;
};

/** What an instrumentation learns when the call ends. */
export type LlmSpanEnd = {
  readonly responseModel?: string | undefined;
  /** Provider-reported usage, converted with core/usage-from-wire.ts. */
  readonly usage?: Usage | undefined;
  /** True when frugal counted the usage because the provider reported none. */
  readonly usageEstimated?: boolean | undefined;
  readonly attributes?: Readonly<Record<string, AttributeValue>> | undefined;
};

/** A started LLM span. Exactly one of `end`/`fail` finishes it; further calls are ignored. */
export interface LlmSpanHandle {
  readonly spanId: string;
  readonly traceId: string;
  /** Marks the first streamed content token (sets time to first token once). */
  firstToken(): void;
  end(result: LlmSpanEnd): Span;
  fail(error: unknown, partial?: LlmSpanEnd): Span;
}

/**
 * Creates spans, prices LLM spans exactly (core `cost` over a PriceBook), takes parent and attribution from
 * the async context (`trace`, `withAttributes`), and hands finished spans to its sink. Recording never throws
 * into the traced call: sink failures are counted (`stats`) and reported, not raised.
 */
export interface Tracer {
  startLlmSpan(start: LlmSpanStart): LlmSpanHandle;
  /**
   * Present when the tracer enforces budgets: reserves the call's maximum cost in the current attribution
   * scope, or throws a BudgetExceededError before anything is sent. Pass the ticket to `startLlmSpan`.
   */
  readonly admit?: ((call: LlmCallBound) => Promise<AdmissionTicket>) | undefined;
  /** Runs `fn` inside a step span (a child of the current span); the span ends when `fn` settles. */
  trace<T>(
    name: string,
    fn: () => T | Promise<T>,
    attributes?: Readonly<Record<string, AttributeValue>>,
  ): Promise<T>;
  /** Runs `fn` with extra attribution for every span started inside it (merged over the outer scope). */
  withAttributes<T>(attribution: Attribution, fn: () => T): T;
  /** Flushes every buffered span to the sink's destination. */
  flush(): Promise<void>;
  readonly stats: { readonly recorded: number; readonly dropped: number; readonly sinkErrors: number };
}
