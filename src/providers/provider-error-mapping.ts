import { ProviderError } from '../core/errors.js';
import { retryAfterMs } from '../core/time/retry-delay.js';

/** HTTP statuses worth trying again: request timeout, conflict, rate limit, and every server error. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Error types that providers send in bodies or stream events for transient failures. */
const retryableCodes = new Set([
  'rate_limit_error',
  'rate_limit_exceeded',
  'overloaded_error',
  'api_error',
  'server_error',
  'timeout_error',
  'RESOURCE_EXHAUSTED',
  'UNAVAILABLE',
  'INTERNAL',
  'DEADLINE_EXCEEDED',
]);

type ErrorFields = { code?: string | undefined; message?: string | undefined; status?: number | undefined };

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The code, message and (Gemini) numeric status of a provider error body: OpenAI `{ error: { type, code,
 * message } }` (code preferred over type), Anthropic `{ type: 'error', error: { type, message } }`, Gemini
 * `{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message } }`.
 */
function errorFields(body: unknown): ErrorFields {
  if (typeof body !== 'object' || body === null) return {};
  const inner = (body as Record<string, unknown>)['error'];
  if (typeof inner === 'string') return { message: inner };
  if (typeof inner !== 'object' || inner === null) return {};
  const error = inner as Record<string, unknown>;
  return {
    code: text(error['code']) ?? text(error['status']) ?? text(error['type']),
    message: text(error['message']),
    status: typeof error['code'] === 'number' ? error['code'] : undefined,
  };
}

/** Gemini's `RetryInfo` detail (`retryDelay: "30s"`), in ms. */
function retryInfoMs(body: unknown): number | undefined {
  const details = (body as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const delay = (detail as Record<string, unknown> | null)?.['retryDelay'];
    const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
    if (match?.[1] !== undefined) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}

/** Removes every secret from a text (an API key echoed by a provider or a proxy). */
export function redact(value: string, secrets: readonly (string | undefined)[]): string {
  let result = value;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}

/** The provider's request id: `x-request-id` (OpenAI), `request-id` (Anthropic), `x-goog-request-id`. */
export function requestIdFrom(headers: Headers): string | undefined {
  return (
    headers.get('x-request-id') ?? headers.get('request-id') ?? headers.get('x-goog-request-id') ?? undefined
  );
}

/** The wait the provider asked for: `retry-after-ms`, then `retry-after` (seconds or an HTTP date). */
export function retryAfterFrom(headers: Headers, now: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms.trim()));
  return retryAfterMs(headers.get('retry-after'), now);
}

export type ErrorContext = {
  readonly provider: string;
  /** Secrets that must never appear in an error (the API key). */
  readonly secrets: readonly (string | undefined)[];
  /** Epoch ms, for `retry-after` HTTP dates. */
  readonly now: number;
};

/** One HTTP error response (status, headers, body text) as a `ProviderError`. */
export function providerErrorFromResponse(
  context: ErrorContext,
  status: number,
  headers: Headers,
  bodyText: string,
): ProviderError {
  const safeText = redact(bodyText, context.secrets);
  let body: unknown = safeText;
  try {
    body = JSON.parse(safeText);
  } catch {
    // Not JSON (a proxy's HTML page): kept as text.
  }
  const fields = errorFields(body);
  const requestId = requestIdFrom(headers);
  const message = fields.message ?? (safeText.trim().slice(0, 200) || 'no error body');
  return new ProviderError(
    context.provider,
    {
      status,
      code: fields.code,
      retryable: isRetryableStatus(status),
      retryAfterMs: retryAfterFrom(headers, context.now) ?? retryInfoMs(body),
      requestId,
      body,
    },
    `${context.provider} answered HTTP ${status}${fields.code ? ` (${fields.code})` : ''}: ${message}${requestId ? ` [request ${requestId}]` : ''}`,
  );
}

/** An error event inside a stream (`{ error: {...} }` or Anthropic's `{ type: 'error', error }`). */
export function providerErrorFromEvent(
  context: ErrorContext,
  event: unknown,
  requestId: string | undefined,
): ProviderError {
  const fields = errorFields(event);
  const retryable =
    (fields.status !== undefined && isRetryableStatus(fields.status)) ||
    (fields.code !== undefined && retryableCodes.has(fields.code));
  const message = redact(fields.message ?? 'error event in stream', context.secrets);
  return new ProviderError(
    context.provider,
    { status: fields.status, code: fields.code, retryable, requestId, body: event },
    `${context.provider} stream failed${fields.code ? ` (${fields.code})` : ''}: ${message}`,
  );
}

/** No answer within `timeoutMs`. */
export function timeoutError(provider: string, timeoutMs: number): ProviderError {
  return new ProviderError(
    provider,
    { code: 'timeout', retryable: true },
    `${provider} did not answer within ${timeoutMs} ms`,
  );
}

/** The connection failed or dropped (refused, reset, cut mid-stream). */
export function connectionError(provider: string, cause: unknown, requestId?: string): ProviderError {
  const reason =
    cause instanceof Error
      ? cause.cause instanceof Error
        ? cause.cause.message
        : cause.message
      : String(cause);
  return new ProviderError(
    provider,
    { code: 'connection_error', retryable: true, requestId },
    `${provider} connection failed: ${reason}`,
    { cause },
  );
}

/** A 2xx answer that cannot be read as the protocol says (not JSON, missing fields, a stream cut short). */
export function invalidResponseError(
  provider: string,
  problem: string,
  details: {
    readonly requestId?: string | undefined;
    readonly body?: unknown;
    readonly retryable?: boolean;
  } = {},
): ProviderError {
  return new ProviderError(
    provider,
    {
      code: 'invalid_response',
      retryable: details.retryable ?? false,
      requestId: details.requestId,
      body: details.body,
    },
    `${provider} sent an unreadable answer: ${problem}`,
  );
}
