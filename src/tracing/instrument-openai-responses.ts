import type { AttributeValue } from '../core/spans/span.js';
import type { Usage } from '../core/usage.js';
import { type OpenAIResponsesUsageWire, usageFromOpenAIResponses } from '../core/usage-from-wire.js';
import { requestAttributes, requestModel, responseAttributes } from './instrument-attributes.js';
import { endOrEstimate, promptText } from './instrument-estimate.js';
import type { CallRecipe } from './instrument-sdk-call.js';
import type { StreamWatcher } from './instrument-stream.js';
import type { LlmSpanHandle } from './tracer.js';

/** The fields of a Responses API `response` object read here. */
type ResponseLike = {
  id?: unknown;
  model?: unknown;
  status?: unknown;
  error?: { message?: unknown; code?: unknown } | null;
  incomplete_details?: { reason?: unknown } | null;
  output?: unknown;
  usage?: OpenAIResponsesUsageWire | null;
};

type ResponseEventLike = { type?: unknown; response?: ResponseLike; delta?: unknown; message?: unknown };

/** What an estimate counts of a Responses request: its instructions and input. */
function responsesPrompt(body: Readonly<Record<string, unknown>>) {
  return { model: requestModel(body), prompt: [body['instructions'], body['input']] };
}

/** `gen_ai.response.finish_reasons` for a response: its incomplete reason, else its status. */
function finishReason(response: ResponseLike): string | undefined {
  const reason = response.incomplete_details?.reason;
  if (typeof reason === 'string') return reason;
  return typeof response.status === 'string' ? response.status : undefined;
}

function knownOf(response: ResponseLike, text: string) {
  return {
    usage: response.usage ? usageFromOpenAIResponses(response.usage) : undefined,
    model: typeof response.model === 'string' ? response.model : undefined,
    text,
  };
}

/**
 * Watches a Responses event stream: first token at the first `*.delta` event, usage and model from the
 * terminal `response.completed` / `response.incomplete` / `response.failed` event's response. A failed
 * response (or an `error` event) fails the span. Events reach the caller unchanged.
 */
function watchResponseStream(body: Readonly<Record<string, unknown>>, handle: LlmSpanHandle): StreamWatcher {
  let response: ResponseLike = {};
  let text = '';
  let failure: Error | undefined;
  const end = (complete: boolean): Record<string, AttributeValue> => ({
    ...responseAttributes(response.id, [finishReason(response)]),
    ...(complete ? {} : { 'frugal.stream.incomplete': true }),
  });
  return {
    see(event) {
      const { type, delta, message, response: carried } = event as ResponseEventLike;
      if (typeof type === 'string' && type.endsWith('.delta')) {
        handle.firstToken();
        if (typeof delta === 'string') text += delta;
      }
      if (carried !== undefined) response = carried;
      if (type === 'response.failed')
        failure = new Error(String(response.error?.message ?? 'response failed'));
      if (type === 'error') failure = new Error(String(message ?? 'error event in the response stream'));
      return event;
    },
    partial() {
      const known = knownOf(response, text);
      return {
        ...(known.model === undefined ? {} : { responseModel: known.model }),
        ...(known.usage === undefined ? {} : { usage: known.usage as Usage }),
      };
    },
    failure: () => failure,
    ended: (complete) => endOrEstimate(knownOf(response, text), end(complete), responsesPrompt(body)),
  };
}

/** The Responses API (`responses.create`), streamed or not. */
export function openAIResponsesRecipe(provider: string): CallRecipe {
  return {
    start: (body) => ({
      operation: 'chat',
      provider,
      requestModel: requestModel(body),
      attributes: requestAttributes(body),
    }),
    ended(data, body) {
      const response = data as ResponseLike & { output_text?: unknown };
      const text =
        typeof response.output_text === 'string' ? response.output_text : promptText(response.output);
      const attributes = responseAttributes(response.id, [finishReason(response)]);
      return endOrEstimate(knownOf(response, text), attributes, responsesPrompt(body));
    },
    watch: watchResponseStream,
  };
}
