import { ProviderError } from '../../core/errors.js';
import { errorContext, type HttpClient } from '../http-exchange.js';
import {
  connectionError,
  invalidResponseError,
  providerErrorFromResponse,
  requestIdFrom,
  timeoutError,
} from '../provider-error-mapping.js';
import { withRetries } from '../retry-policy.js';

/** One call to the Files or Batches API: a JSON body, a multipart form (file upload) or none. */
export type BatchCall = {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly json?: unknown;
  readonly form?: FormData | undefined;
};

/** Sends Files and Batches API calls under the client's timeout, retry policy and error mapping. */
export type BatchTransport = {
  /** The answer's body as text (a file's content). */
  text(call: BatchCall, signal?: AbortSignal): Promise<string>;
  /** The answer's body as a JSON object. */
  json(call: BatchCall, signal?: AbortSignal): Promise<{ body: unknown; requestId: string | undefined }>;
};

/**
 * The transport of the batch client. Like the chat adapters: non-2xx answers become `ProviderError`s (retried
 * when retryable), a timeout covers the whole answer, body included, and the caller's abort rejects with the
 * signal's reason. Each POST carries one idempotency key across its retries, so a retried create is not a
 * second batch.
 */
export function createBatchTransport(
  client: HttpClient,
  authHeaders: Readonly<Record<string, string>>,
): BatchTransport {
  const send = (call: BatchCall, signal: AbortSignal | undefined) => {
    const idempotency = call.method === 'POST' ? { 'idempotency-key': `frugal-${crypto.randomUUID()}` } : {};
    const headers: Record<string, string> = { ...authHeaders, ...idempotency, ...client.headers };
    if (call.json !== undefined) headers['content-type'] = 'application/json';
    const body = call.form ?? (call.json === undefined ? undefined : JSON.stringify(call.json));
    return withRetries(
      client.retry,
      () => sendOnce(client, call, { method: call.method, headers, ...(body ? { body } : {}) }, signal),
      signal,
    );
  };
  return {
    text: async (call, signal) => (await send(call, signal)).text,
    async json(call, signal) {
      const { text, requestId } = await send(call, signal);
      try {
        return { body: JSON.parse(text) as unknown, requestId };
      } catch {
        throw invalidResponseError(client.provider, `${call.method} ${call.url}: the body is not JSON`, {
          requestId,
          body: text.slice(0, 200),
        });
      }
    },
  };
}

async function sendOnce(
  client: HttpClient,
  call: BatchCall,
  init: RequestInit,
  signal: AbortSignal | undefined,
): Promise<{ text: string; requestId: string | undefined }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), client.timeoutMs);
  let requestId: string | undefined;
  try {
    const response = await client.fetch(call.url, {
      ...init,
      signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
    });
    requestId = requestIdFrom(response.headers);
    const text = await response.text();
    if (!response.ok) {
      throw providerErrorFromResponse(errorContext(client), response.status, response.headers, text);
    }
    return { text, requestId };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (controller.signal.aborted) throw timeoutError(client.provider, client.timeoutMs);
    if (error instanceof ProviderError) throw error;
    throw connectionError(client.provider, error, requestId);
  } finally {
    clearTimeout(timer);
  }
}
