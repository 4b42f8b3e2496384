import type { Usage } from '../core/usage.js';
import type { ChatModel, FinishReason, GenerateRequest, GenerateResult, StreamPart } from './chat-model.js';
import { errorContext, type HttpClient, openExchange, type WireRequest } from './http-exchange.js';
import { invalidResponseError, providerErrorFromEvent } from './provider-error-mapping.js';
import { rateLimitFromHeaders } from './rate-limit-headers.js';
import { withRetries } from './retry-policy.js';
import { serverSentEvents } from './server-sent-events.js';

/** A reply read from the wire, before timing and headers are added. */
export type WireReply = {
  readonly text: string;
  readonly usage: Usage;
  readonly finishReason: FinishReason;
  /** The model the provider named, when it did. */
  readonly responseModel: string | undefined;
};

/** What one stream event meant. */
export type StreamEventMeaning = {
  readonly text?: string | undefined;
  /** The event is the provider's in-stream error. */
  readonly error?: boolean | undefined;
};

/** Reads one stream's events into a reply. */
export type WireStreamReader = {
  /** `data` is the event's JSON, or its text when it is not JSON (`[DONE]`); `name` its SSE `event:` name. */
  read(data: unknown, name: string | undefined): StreamEventMeaning;
  /** True once the provider's closing event arrived (a stream cut before it is an error). */
  complete(): boolean;
  reply(): WireReply;
};

/** A provider's chat protocol: how a request is sent, how an answer and a stream are read. */
export type ChatWire = {
  request(request: GenerateRequest, stream: boolean): WireRequest;
  /** The JSON body of a non-streamed answer; throws an `invalidResponseError` when it cannot be read. */
  reply(body: unknown): WireReply;
  streamReader(): WireStreamReader;
};

function parseData(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A `ChatModel` over HTTP from a provider's wire protocol. `generate` retries under the client's policy; `stream`
 * retries only until the first event has arrived, never after. Latency is timed on the attempt that
 * succeeded (rate-limit waits and failed attempts excluded).
 */
export function createHttpChatModel(
  identity: { readonly provider: string; readonly model: string; readonly endpoint: string },
  client: HttpClient,
  wire: ChatWire,
): ChatModel {
  const finish = (
    reply: WireReply,
    timing: { latencyMs: number; timeToFirstTokenMs?: number | undefined },
    response: Response,
    requestId: string | undefined,
    raw: unknown,
  ): GenerateResult => ({
    text: reply.text,
    usage: reply.usage,
    finishReason: reply.finishReason,
    responseModel: reply.responseModel ?? identity.model,
    ...timing,
    requestId,
    rateLimit: rateLimitFromHeaders(response.headers, client.now()),
    simulated: false,
    raw,
  });

  return {
    id: `${identity.provider}/${identity.model}`,
    provider: identity.provider,
    model: identity.model,
    simulated: false,
    endpoint: identity.endpoint,
    generate: (request) =>
      withRetries(
        client.retry,
        async () => {
          const exchange = await openExchange(client, wire.request(request, false), request.signal);
          let text: string;
          try {
            text = await exchange.response.text();
          } catch (error) {
            throw exchange.failure(error);
          } finally {
            exchange.close();
          }
          const latencyMs = performance.now() - exchange.startedAt;
          const { requestId } = exchange;
          const body = parseData(text);
          if (typeof body !== 'object' || body === null) {
            throw invalidResponseError(identity.provider, 'the body is not a JSON object', { requestId });
          }
          return finish(wire.reply(body), { latencyMs }, exchange.response, requestId, body);
        },
        request.signal,
      ),
    stream: (request) => streamParts(request),
  };

  async function* streamParts(request: GenerateRequest): AsyncGenerator<StreamPart, void, undefined> {
    const opened = await withRetries(
      client.retry,
      async () => {
        const exchange = await openExchange(client, wire.request(request, true), request.signal);
        const body = exchange.response.body;
        const events = serverSentEvents(body ?? (async function* () {})());
        try {
          const first = await events.next();
          if (first.done) throw invalidResponseError(identity.provider, 'empty stream', { retryable: true });
          return { exchange, events, first: first.value };
        } catch (error) {
          exchange.close();
          throw exchange.failure(error);
        }
      },
      request.signal,
    );
    const { exchange, events } = opened;
    const reader = wire.streamReader();
    const raw: unknown[] = [];
    let timeToFirstTokenMs: number | undefined;
    try {
      let event: { event?: string | undefined; data: string } | undefined = opened.first;
      while (event !== undefined) {
        exchange.touch();
        const data = parseData(event.data);
        if (typeof data === 'object' && data !== null) raw.push(data);
        const meaning = reader.read(data, event.event);
        if (meaning.error) throw providerErrorFromEvent(errorContext(client), data, exchange.requestId);
        if (meaning.text) {
          timeToFirstTokenMs ??= performance.now() - exchange.startedAt;
          exchange.pause();
          yield { type: 'text-delta', text: meaning.text };
          exchange.touch();
        }
        try {
          const next = await events.next();
          event = next.done ? undefined : next.value;
        } catch (error) {
          throw exchange.failure(error);
        }
      }
      if (!reader.complete()) {
        throw invalidResponseError(identity.provider, 'the stream ended before its final event', {
          requestId: exchange.requestId,
          retryable: true,
        });
      }
      const latencyMs = performance.now() - exchange.startedAt;
      const result = finish(
        reader.reply(),
        { latencyMs, timeToFirstTokenMs },
        exchange.response,
        exchange.requestId,
        raw,
      );
      yield { type: 'finish', result };
    } finally {
      exchange.close();
      await events.return().catch(() => undefined);
    }
  }
}
