import type { UnpricedReason } from '../cost/cost-result.js';
import type { Picodollars } from '../money.js';
import type { Usage } from '../usage.js';

/** `llm`: a chat/completion/responses/messages call; `embedding`: an embeddings call; `step`: the caller's own work. */
export const spanKinds = ['llm', 'embedding', 'step'] as const;
export type SpanKind = (typeof spanKinds)[number];

export const spanStatuses = ['ok', 'error'] as const;
export type SpanStatus = (typeof spanStatuses)[number];

/** Who and what a span's spend belongs to. Every field optional; `tags` are free labels ("eval", "batch"). */
export type Attribution = {
  readonly feature?: string | undefined;
  readonly user?: string | undefined;
  readonly apiKeyId?: string | undefined;
  readonly runId?: string | undefined;
  readonly tags?: readonly string[] | undefined;
};

/**
 * The cost of an LLM span: exact and traceable to a price entry (`source`, e.g. `litellm:gpt-4o`), or unpriced
 * with the reason. An unpriced span is counted as such in every report — never as $0.
 */
export type SpanCost =
  | {
      readonly status: 'priced';
      readonly total: Picodollars;
      /** The catalog/config id of the price used. */
      readonly priceId: string;
      readonly source: string;
    }
  | { readonly status: 'unpriced'; readonly reason: UnpricedReason; readonly message: string };

/** An OpenTelemetry-compatible attribute value. */
export type AttributeValue = string | number | boolean | readonly string[];

/**
 * One unit of traced work. LLM spans carry the OpenTelemetry GenAI fields (see `otel-attributes.ts` for the
 * `gen_ai.*` names), usage, exact cost and latency; step spans are the caller's own steps around them.
 * Times are epoch milliseconds; ids are OpenTelemetry-shaped (trace id 32 hex, span id 16 hex).
 */
export type Span = {
  readonly id: string;
  readonly traceId: string;
  readonly parentId?: string | undefined;
  readonly name: string;
  readonly kind: SpanKind;
  /** Epoch milliseconds (integer). */
  readonly startTime: number;
  readonly durationMs: number;
  /** Streams only: milliseconds from the request to the first content token. */
  readonly timeToFirstTokenMs?: number | undefined;
  readonly status: SpanStatus;
  readonly error?: { readonly type: string; readonly message: string } | undefined;
  /** `gen_ai.operation.name`: chat, text_completion, embeddings, ... */
  readonly operation?: string | undefined;
  /** `gen_ai.provider.name`: openai, anthropic, gcp.gemini, aws.bedrock, sim, ... */
  readonly provider?: string | undefined;
  readonly requestModel?: string | undefined;
  readonly responseModel?: string | undefined;
  readonly usage?: Usage | undefined;
  /** True when usage was counted by frugal because the provider reported none. */
  readonly usageEstimated?: boolean | undefined;
  readonly cost?: SpanCost | undefined;
  /**
   * A hash of the request as sent (model, messages, tools, sampling parameters; not the stream flag or the
   * caller's ids): equal for the same request sent twice. Retry storms are found by it.
   */
  readonly requestHash?: string | undefined;
  /** True for calls answered by frugal's offline simulator: never presented as a real model's. */
  readonly simulated?: boolean | undefined;
  readonly attribution: Attribution;
  /** Further attributes (OpenTelemetry names), e.g. `gen_ai.request.temperature`. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
};

/** The model a span's spend is reported under: what answered if known, else what was asked for. */
export function spanModel(span: Span): string | undefined {
  return span.responseModel ?? span.requestModel;
}
