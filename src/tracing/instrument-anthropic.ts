import type { AttributeValue } from '../core/spans/span.js';
import { type AnthropicUsageWire, usageFromAnthropic } from '../core/usage-from-wire.js';
import { requestAttributes, requestModel, responseAttributes } from './instrument-attributes.js';
import { endOrEstimate } from './instrument-estimate.js';
import {
  type CallRecipe,
  type InstrumentOptions,
  patchMethod,
  traceSdkMethod,
} from './instrument-sdk-call.js';
import type { StreamWatcher } from './instrument-stream.js';
import type { LlmSpanHandle } from './tracer.js';

/** The parts of an `@anthropic-ai/sdk` client that get instrumented (structural: frugal does not import it). */
export type AnthropicClientLike = {
  readonly messages?: object | undefined;
  readonly beta?: { readonly messages?: object | undefined } | undefined;
};

type ContentBlockLike = {
  type?: unknown;
  text?: unknown;
  thinking?: unknown;
  input?: unknown;
  name?: unknown;
};
type MessageLike = {
  id?: unknown;
  model?: unknown;
  content?: ContentBlockLike[] | null;
  stop_reason?: string | null;
  usage?: AnthropicUsageWire | null;
};
type MessageEventLike = {
  type?: unknown;
  message?: MessageLike;
  delta?: { text?: unknown; partial_json?: unknown; thinking?: unknown; stop_reason?: string | null };
  usage?: Record<string, unknown> | null;
};

/** The generated text of content blocks (text, thinking, tool names and inputs), for estimates. */
function blocksText(blocks: readonly ContentBlockLike[]): string {
  return blocks
    .map((block) =>
      [
        block.text,
        block.thinking,
        block.name,
        block.input === undefined ? undefined : JSON.stringify(block.input),
      ]
        .filter((part): part is string => typeof part === 'string')
        .join(''),
    )
    .join('');
}

/** What an estimate counts of a Messages request: its system prompt and messages. */
function messagesPrompt(body: Readonly<Record<string, unknown>>) {
  return { model: requestModel(body), prompt: [body['system'], body['messages']] };
}

/**
 * Watches a Messages event stream. Usage starts from `message_start` (input, cache reads, cache writes with
 * their 5m/1h split) and every non-null count of `message_delta.usage` replaces it (those counts are
 * cumulative totals, never increments). First token: the first `content_block_delta`.
 */
function watchMessageStream(body: Readonly<Record<string, unknown>>, handle: LlmSpanHandle): StreamWatcher {
  let wire: Record<string, unknown> | undefined;
  let model: string | undefined;
  let id: unknown;
  let stopReason: string | null | undefined;
  let text = '';
  const known = () => ({
    usage: wire ? usageFromAnthropic(wire as AnthropicUsageWire) : undefined,
    model,
    text,
  });
  return {
    see(event) {
      const { type, message, delta, usage } = event as MessageEventLike;
      if (type === 'message_start' && message) {
        if (typeof message.model === 'string') model = message.model;
        id = message.id;
        if (message.usage) wire = { ...message.usage };
      }
      if (type === 'content_block_delta') {
        handle.firstToken();
        text += [delta?.text, delta?.partial_json, delta?.thinking]
          .filter((part) => typeof part === 'string')
          .join('');
      }
      if (type === 'message_delta') {
        stopReason = delta?.stop_reason ?? stopReason;
        for (const [field, count] of Object.entries(usage ?? {})) {
          if (count !== null && count !== undefined) wire = { ...wire, [field]: count };
        }
      }
      return event;
    },
    partial() {
      const { usage } = known();
      return {
        ...(model === undefined ? {} : { responseModel: model }),
        ...(usage === undefined ? {} : { usage }),
      };
    },
    failure: () => undefined,
    ended(complete) {
      const attributes: Record<string, AttributeValue> = {
        ...responseAttributes(id, [stopReason]),
        ...(complete ? {} : { 'frugal.stream.incomplete': true }),
      };
      return endOrEstimate(known(), attributes, messagesPrompt(body));
    },
  };
}

export const anthropicMessagesRecipe: CallRecipe = {
  start: (body) => ({
    operation: 'chat',
    provider: 'anthropic',
    requestModel: requestModel(body),
    attributes: requestAttributes(body),
  }),
  ended(data, body) {
    const message = data as MessageLike;
    const known = {
      usage: message.usage ? usageFromAnthropic(message.usage) : undefined,
      model: typeof message.model === 'string' ? message.model : undefined,
      text: blocksText(message.content ?? []),
    };
    return endOrEstimate(known, responseAttributes(message.id, [message.stop_reason]), messagesPrompt(body));
  },
  watch: watchMessageStream,
};

/**
 * Instruments an `@anthropic-ai/sdk` client in place and returns it:
 * `const client = instrumentAnthropic(new Anthropic())`. Every `messages.create` (and `beta.messages.create`)
 * call, streamed or not, becomes an LLM span; `messages.stream()` goes through it and is traced too. Usage
 * keeps cache reads and 5-minute / 1-hour cache writes apart, so they are priced at their own rates.
 */
export function instrumentAnthropic<Client extends AnthropicClientLike>(
  client: Client,
  options: InstrumentOptions = {},
): Client {
  for (const resource of [client.messages, client.beta?.messages]) {
    patchMethod(resource, 'create', (original) =>
      traceSdkMethod(original, resource, anthropicMessagesRecipe, options, client),
    );
  }
  patchMethod(
    client,
    'withOptions',
    (original) =>
      (...args) =>
        instrumentAnthropic(original.apply(client, args) as AnthropicClientLike, options),
  );
  return client;
}
