import type { AttributeValue } from '../core/spans/span.js';
import { type OpenAIChatUsageWire, usageFromOpenAIChat } from '../core/usage-from-wire.js';
import { requestModel } from './instrument-attributes.js';
import { endOrEstimate } from './instrument-estimate.js';
import { openAIChatRecipe } from './instrument-openai-chat.js';
import { openAIResponsesRecipe } from './instrument-openai-responses.js';
import {
  type CallRecipe,
  type InstrumentOptions,
  patchMethod,
  traceSdkMethod,
} from './instrument-sdk-call.js';

/** The parts of an `openai` SDK client that get instrumented (structural: frugal does not import the SDK). */
export type OpenAIClientLike = {
  readonly chat?: { readonly completions?: object } | undefined;
  readonly responses?: object | undefined;
  readonly embeddings?: object | undefined;
};

/** Options of `instrumentOpenAI`. */
export type InstrumentOpenAIOptions = InstrumentOptions & {
  /**
   * `gen_ai.provider.name` of the spans (default `openai`). Set it when the client points at another
   * OpenAI-compatible API (`deepseek`, `groq`, `azure.ai.openai`...).
   */
  readonly provider?: string | undefined;
  /**
   * Ask streamed chat completions for usage (`stream_options.include_usage`) when the caller did not, hiding it
   * from the caller (default true). Turn off only for OpenAI-compatible servers that refuse the option: their
   * streams are then priced on usage counted by frugal, marked estimated.
   */
  readonly streamUsage?: boolean | undefined;
};

type EmbeddingsLike = {
  model?: unknown;
  data?: { embedding?: unknown }[];
  usage?: OpenAIChatUsageWire | null;
};

/** Embeddings (`embeddings.create`): prompt tokens in, nothing generated. */
export function openAIEmbeddingsRecipe(provider: string): CallRecipe {
  return {
    start(body) {
      const attributes: Record<string, AttributeValue> = {};
      if (typeof body['encoding_format'] === 'string') {
        attributes['gen_ai.request.encoding_formats'] = [body['encoding_format']];
      }
      if (typeof body['dimensions'] === 'number')
        attributes['gen_ai.embeddings.dimension.count'] = body['dimensions'];
      return {
        kind: 'embedding',
        operation: 'embeddings',
        provider,
        requestModel: requestModel(body),
        attributes,
      };
    },
    ended(data, body) {
      const answer = data as EmbeddingsLike;
      const first = answer.data?.[0]?.embedding;
      const attributes = Array.isArray(first) ? { 'gen_ai.embeddings.dimension.count': first.length } : {};
      const known = {
        usage: answer.usage ? usageFromOpenAIChat(answer.usage) : undefined,
        model: typeof answer.model === 'string' ? answer.model : undefined,
        text: '',
      };
      return endOrEstimate(known, attributes, { model: requestModel(body), prompt: body['input'] });
    },
  };
}

/**
 * Instruments an `openai` SDK client in place and returns it: `const client = instrumentOpenAI(new OpenAI())`.
 * Every `chat.completions.create` (streamed or not), `responses.create` (streamed or not) and
 * `embeddings.create` call becomes an LLM span with the request's model and parameters, the response's model,
 * usage converted by core/usage-from-wire, exact cost, and for streams the time to first token. The SDK's
 * helpers that go through these methods (`chat.completions.stream/parse/runTools`, `responses.stream/parse`)
 * are traced too, and so are clients made with `withOptions`. A streamed chat call costs exactly what it
 * costs unstreamed: usage is requested in the stream when the caller did not ask, and hidden from it.
 */
export function instrumentOpenAI<Client extends OpenAIClientLike>(
  client: Client,
  options: InstrumentOpenAIOptions = {},
): Client {
  const provider = options.provider ?? 'openai';
  const recipes: [unknown, CallRecipe][] = [
    [client.chat?.completions, openAIChatRecipe(provider, options.streamUsage ?? true)],
    [client.responses, openAIResponsesRecipe(provider)],
    [client.embeddings, openAIEmbeddingsRecipe(provider)],
  ];
  for (const [resource, recipe] of recipes) {
    patchMethod(resource, 'create', (original) =>
      traceSdkMethod(original, resource, recipe, options, client),
    );
  }
  patchMethod(
    client,
    'withOptions',
    (original) =>
      (...args) =>
        instrumentOpenAI(original.apply(client, args) as OpenAIClientLike, options),
  );
  return client;
}
