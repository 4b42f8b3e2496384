import { otelAttributes } from '../core/spans/otel-attributes.js';
import type { AttributeValue, Span } from '../core/spans/span.js';

/** An OTLP `AnyValue` in the JSON encoding (64-bit integers as decimal strings). */
export type OtlpAnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number | string }
  | { readonly arrayValue: { readonly values: readonly OtlpAnyValue[] } };

/** An OTLP `KeyValue`. */
export type OtlpKeyValue = { readonly key: string; readonly value: OtlpAnyValue };

/** An OTLP span in the JSON encoding: hex ids, enum values as integers, unix nanoseconds as strings. */
export type OtlpSpan = {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly status: { readonly code: number; readonly message?: string };
};

/** The body of `POST /v1/traces`: one resource, one instrumentation scope. */
export type ExportTraceServiceRequest = {
  readonly resourceSpans: readonly {
    readonly resource: { readonly attributes: readonly OtlpKeyValue[] };
    readonly scopeSpans: readonly {
      readonly scope: { readonly name: string; readonly version?: string };
      readonly spans: readonly OtlpSpan[];
    }[];
  }[];
};

/** OTLP `Span.SpanKind` values used: LLM and embedding calls are CLIENT, the caller's steps INTERNAL. */
export const otlpSpanKind = { internal: 1, client: 3 } as const;
/** OTLP `Status.StatusCode`: successful spans stay UNSET (as instrumentation libraries should), errors ERROR. */
export const otlpStatusCode = { unset: 0, error: 2 } as const;

/** Numeric attributes that are doubles by definition: written as `doubleValue` even when integral (0, 1). */
const doubleAttributes = new Set([
  'gen_ai.request.temperature',
  'gen_ai.request.top_p',
  'gen_ai.request.top_k',
  'gen_ai.request.frequency_penalty',
  'gen_ai.request.presence_penalty',
  'frugal.time_to_first_token_ms',
]);

/** One attribute value in OTLP JSON: integers as `intValue` strings, other numbers as `doubleValue`. */
export function otlpValue(key: string, value: AttributeValue): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && !doubleAttributes.has(key)) return { intValue: String(value) };
    return { doubleValue: Number.isFinite(value) ? value : String(value) };
  }
  return { arrayValue: { values: value.map((item) => ({ stringValue: item })) } };
}

/** Attributes as OTLP key-values, in the order given. */
export function otlpAttributes(attributes: Readonly<Record<string, AttributeValue>>): OtlpKeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: otlpValue(key, value) }));
}

const nanosPerMilli = 1_000_000n;

/** One frugal span as an OTLP span, with every attribute of `otelAttributes`. */
export function otlpSpan(span: Span): OtlpSpan {
  const start = BigInt(span.startTime) * nanosPerMilli;
  const end = start + BigInt(Math.round(span.durationMs * 1_000_000));
  return {
    traceId: span.traceId,
    spanId: span.id,
    ...(span.parentId === undefined ? {} : { parentSpanId: span.parentId }),
    name: span.name,
    kind: span.kind === 'step' ? otlpSpanKind.internal : otlpSpanKind.client,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    attributes: otlpAttributes(otelAttributes(span)),
    status:
      span.status === 'error'
        ? { code: otlpStatusCode.error, ...(span.error ? { message: span.error.message } : {}) }
        : { code: otlpStatusCode.unset },
  };
}

/** Who sends the spans: `service.name` and further resource attributes, and the instrumentation scope. */
export type OtlpResource = {
  readonly serviceName: string;
  readonly attributes?: Readonly<Record<string, AttributeValue>> | undefined;
  readonly scope: { readonly name: string; readonly version?: string | undefined };
};

/** The `ExportTraceServiceRequest` for a batch of spans. */
export function otlpTraceRequest(spans: readonly Span[], resource: OtlpResource): ExportTraceServiceRequest {
  const scope = resource.scope;
  return {
    resourceSpans: [
      {
        resource: {
          attributes: otlpAttributes({ ...resource.attributes, 'service.name': resource.serviceName }),
        },
        scopeSpans: [
          {
            scope: { name: scope.name, ...(scope.version === undefined ? {} : { version: scope.version }) },
            spans: spans.map(otlpSpan),
          },
        ],
      },
    ],
  };
}
