import type { WireReply } from '../http-chat-model.js';
import { invalidResponseError } from '../provider-error-mapping.js';

/** Why one request of a batch has no answer: an HTTP error of its own, or the batch's (`batch_expired`...). */
export type BatchLineError = {
  /** The request's HTTP status, when it was run and failed; undefined when it was never run. */
  readonly statusCode: number | undefined;
  /** `batch_expired`, `batch_cancelled`, `rate_limit_exceeded`, `invalid_request_error`, ... */
  readonly code: string | undefined;
  readonly message: string;
};

/** One line of a batch's output or error file, matched to its request by `customId`. */
export type BatchLineResult =
  | {
      readonly customId: string;
      readonly status: 'succeeded';
      /** The answer read as the chat adapter reads a chat completion: text, usage, finish reason, model. */
      readonly reply: WireReply;
      readonly requestId: string | undefined;
      /** The response body as received. */
      readonly body: unknown;
    }
  | { readonly customId: string; readonly status: 'failed'; readonly error: BatchLineError };

type Line = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function lineError(line: Line, statusCode: number | undefined, body: unknown): BatchLineError {
  const error = ((body as { error?: unknown } | null)?.error ?? line['error']) as Line | null | undefined;
  return {
    statusCode,
    code: text(error?.['code']) ?? text(error?.['type']),
    message: text(error?.['message']) ?? (statusCode ? `HTTP ${statusCode}` : 'no error message'),
  };
}

/**
 * Reads a batch output or error file (JSONL: `{ id, custom_id, response: { status_code, request_id, body },
 * error }` per line). A 2xx response is read with `readReply`; any other status, or a line with `error` and no
 * response (expired, cancelled), is a failed request. Blank lines are skipped. A line that is not such an
 * object is an `invalidResponseError` that names the file and the line number.
 */
export function parseBatchOutput(
  provider: string,
  content: string,
  file: string,
  readReply: (body: unknown) => WireReply,
): BatchLineResult[] {
  const results: BatchLineResult[] = [];
  const seen = new Map<string, number>();
  content.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    const number = index + 1;
    const fail = (problem: string, cause?: unknown) => {
      const error = invalidResponseError(provider, `${file} line ${number}: ${problem}`, { body: raw });
      if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause });
      return error;
    };
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch (error) {
      throw fail(`not JSON (${(error as Error).message})`);
    }
    const customId = typeof line === 'object' && line !== null ? text(line['custom_id']) : undefined;
    if (customId === undefined) throw fail('no custom_id');
    const earlier = seen.get(customId);
    if (earlier !== undefined) throw fail(`custom_id '${customId}' already answered on line ${earlier}`);
    seen.set(customId, number);
    const response = line['response'] as Line | null | undefined;
    if (response === null || response === undefined) {
      if (line['error'] === null || line['error'] === undefined) throw fail('neither response nor error');
      results.push({ customId, status: 'failed', error: lineError(line, undefined, undefined) });
      return;
    }
    const statusCode = response['status_code'];
    if (typeof statusCode !== 'number') throw fail('response.status_code is not a number');
    if (statusCode < 200 || statusCode > 299) {
      results.push({ customId, status: 'failed', error: lineError(line, statusCode, response['body']) });
      return;
    }
    let reply: WireReply;
    try {
      reply = readReply(response['body']);
    } catch (error) {
      throw fail(`unreadable response body (${(error as Error).message})`, error);
    }
    const requestId = text(response['request_id']);
    results.push({ customId, status: 'succeeded', reply, requestId, body: response['body'] });
  });
  return results;
}
