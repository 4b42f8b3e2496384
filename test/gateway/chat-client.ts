import { parseUsd } from '../../src/core/money.js';

/** What one chat request through the gateway came to, as its client saw it. */
export type ChatOutcome =
  | {
      /** 200, body read to the end: spend acknowledged to the client. */
      readonly kind: 'ok';
      readonly tag: string;
      readonly requestId: string;
      readonly costPicos: bigint;
    }
  | { readonly kind: 'refused'; readonly tag: string; readonly status: number; readonly code: string }
  | { readonly kind: 'failed'; readonly tag: string; readonly status?: number; readonly message: string };

/**
 * Sends one non-streaming chat completion to `baseUrl` (Node's global fetch), tagged `tag` through
 * `x-frugal-tags` so the span it leaves in the ledger can be found again (so can `x-frugal-request-id`, the
 * trace id of the request's spans). Never throws.
 */
export async function sendChat(baseUrl: string, body: string, tag: string): Promise<ChatOutcome> {
  try {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-frugal-tags': tag, 'cache-control': 'no-store' },
      body,
    });
    const text = await response.text();
    if (response.status === 200) {
      const requestId = response.headers.get('x-frugal-request-id');
      const cost = response.headers.get('x-frugal-cost-usd');
      const answer = JSON.parse(text) as { choices?: unknown[] };
      if (requestId === null || cost === null || !Array.isArray(answer.choices)) {
        return { kind: 'failed', tag, status: 200, message: `incomplete 200 reply: ${text.slice(0, 200)}` };
      }
      return { kind: 'ok', tag, requestId, costPicos: parseUsd(cost) };
    }
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {}
    if (response.status === 429 && code !== undefined) return { kind: 'refused', tag, status: 429, code };
    return { kind: 'failed', tag, status: response.status, message: text.slice(0, 300) };
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return {
      kind: 'failed',
      tag,
      message: `${(error as Error).message}${cause ? `: ${cause.message}` : ''}`,
    };
  }
}
