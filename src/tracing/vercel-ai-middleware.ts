import type { AdmissionTicket } from '../core/budgets/admission.js';
import type { AttributeValue } from '../core/spans/span.js';
import { currentTracer } from './default-tracer.js';
import { requestAttributes, responseAttributes } from './instrument-attributes.js';
import { requestBound } from './instrument-bound.js';
import { endOrEstimate, promptText } from './instrument-estimate.js';
import type { InstrumentOptions } from './instrument-sdk-call.js';
import { endWith } from './instrument-stream.js';
import { requestHash } from './request-hash.js';
import type { LlmSpanEnd, LlmSpanHandle, Tracer } from './tracer.js';
import { type AiSdkUsage, providerName, usageFromAiSdk } from './vercel-ai-middleware-usage.js';

/** The parts of an AI SDK language model read here. */
type ModelLike = { readonly provider: string; readonly modelId: string };
/** A finish reason: AI SDK 6's `{ unified, raw }`, or AI SDK 5's string. */
type FinishReasonLike = string | { readonly unified?: string; readonly raw?: string | undefined } | undefined;
type ResponseLike = { readonly id?: string | undefined; readonly modelId?: string | undefined };
type GenerateResultLike = {
  readonly content?: readonly unknown[];
  readonly usage?: AiSdkUsage;
  readonly finishReason?: FinishReasonLike;
  readonly response?: ResponseLike | undefined;
};
type StreamPartLike = { readonly type: string };
/** What the AI SDK hands a middleware's `wrapGenerate` / `wrapStream`. */
type WrapOptions = {
  readonly doGenerate: () => PromiseLike<unknown>;
  readonly doStream: () => PromiseLike<unknown>;
  readonly params: object;
  readonly model: ModelLike;
};

/** frugal's middleware, shaped like the AI SDK's `LanguageModelMiddleware` (specification v3). */
export type FrugalLanguageModelMiddleware = {
  readonly specificationVersion: 'v3';
  wrapGenerate<Result extends GenerateResultLike>(
    options: Omit<WrapOptions, 'doGenerate'> & { readonly doGenerate: () => PromiseLike<Result> },
  ): PromiseLike<Result>;
  wrapStream<Part extends StreamPartLike, Result extends { readonly stream: ReadableStream<Part> }>(
    options: Omit<WrapOptions, 'doStream'> & { readonly doStream: () => PromiseLike<Result> },
  ): PromiseLike<Result>;
};

const paramFields: Readonly<Record<string, string>> = {
  temperature: 'gen_ai.request.temperature',
  topP: 'gen_ai.request.top_p',
  topK: 'gen_ai.request.top_k',
  maxOutputTokens: 'gen_ai.request.max_tokens',
  presencePenalty: 'gen_ai.request.presence_penalty',
  frequencyPenalty: 'gen_ai.request.frequency_penalty',
  seed: 'gen_ai.request.seed',
  stopSequences: 'gen_ai.request.stop_sequences',
};

const reasonOf = (reason: FinishReasonLike) =>
  typeof reason === 'object' ? (reason.raw ?? reason.unified) : reason;

/** The call as a request body: what is hashed and bounded (the abort signal and headers are not the request). */
function requestOf(model: ModelLike, params: object): Record<string, unknown> {
  const {
    abortSignal: _signal,
    headers: _headers,
    maxOutputTokens,
    ...rest
  } = params as Record<string, unknown>;
  return { ...rest, model: model.modelId, max_tokens: maxOutputTokens };
}

function start(tracer: Tracer, model: ModelLike, params: object, ticket?: AdmissionTicket): LlmSpanHandle {
  return tracer.startLlmSpan({
    operation: 'chat',
    provider: providerName(model.provider),
    requestModel: model.modelId,
    attributes: {
      ...requestAttributes(params as Record<string, unknown>, paramFields),
      'frugal.ai_sdk.provider': model.provider,
    },
    requestHash: requestHash(requestOf(model, params)),
    ticket,
  });
}

/** With budgets: the call's ticket once admitted (a refusal rejects before the model is called). */
async function admission(
  tracer: Tracer,
  model: ModelLike,
  params: object,
): Promise<AdmissionTicket | undefined> {
  if (tracer.admit === undefined) return undefined;
  return tracer.admit(await requestBound(requestOf(model, params), false));
}

/** The span's end from what the model returned: its usage, else usage counted from the prompt and the text. */
function ended(
  model: ModelLike,
  params: object,
  answer: {
    usage?: AiSdkUsage | undefined;
    response?: ResponseLike | undefined;
    reason: FinishReasonLike;
    text: string;
  },
  extra: Readonly<Record<string, AttributeValue>> = {},
): LlmSpanEnd | Promise<LlmSpanEnd> {
  const usage = usageFromAiSdk(answer.usage);
  const known = {
    usage: usage.input === undefined && usage.output === undefined ? undefined : usage,
    model: answer.response?.modelId,
    text: answer.text,
  };
  const attributes = { ...responseAttributes(answer.response?.id, [reasonOf(answer.reason)]), ...extra };
  const prompt = (params as { prompt?: unknown }).prompt;
  return endOrEstimate(known, attributes, { model: model.modelId, prompt });
}

/**
 * The stream of parts as the caller gets it, unchanged, with the span watching it: first token at the first
 * delta or tool call, model and id from `response-metadata`, usage and finish reason from `finish`, failure
 * from an `error` part or a broken stream. A stream the caller cancels ends as incomplete.
 */
function watchParts<Part extends StreamPartLike>(
  source: ReadableStream<Part>,
  handle: LlmSpanHandle,
  model: ModelLike,
  params: object,
): ReadableStream<Part> {
  const seen: { usage?: AiSdkUsage; response?: ResponseLike; reason?: FinishReasonLike; text: string } = {
    text: '',
  };
  let failure: unknown;
  const see = (part: Part) => {
    const fields = part as StreamPartLike & Record<string, unknown>;
    if (/-delta$/.test(part.type) || part.type === 'tool-call') {
      handle.firstToken();
      if (typeof fields['delta'] === 'string') seen.text += fields['delta'];
    }
    if (part.type === 'response-metadata') seen.response = { ...seen.response, ...(fields as ResponseLike) };
    if (part.type === 'finish') {
      seen.usage = fields['usage'] as AiSdkUsage;
      seen.reason = fields['finishReason'] as FinishReasonLike;
    }
    if (part.type === 'error') failure = fields['error'];
  };
  const finish = (complete: boolean) => {
    if (failure !== undefined) {
      handle.fail(failure);
      return;
    }
    const extra = complete ? {} : { 'frugal.stream.incomplete': true };
    endWith(handle, () => ended(model, params, { ...seen, reason: seen.reason }, extra));
  };
  const reader = source.getReader();
  return new ReadableStream<Part>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        handle.fail(error);
        controller.error(error);
        return;
      }
      if (next.done) {
        finish(true);
        controller.close();
        return;
      }
      try {
        see(next.value);
      } catch {}
      controller.enqueue(next.value);
    },
    cancel(reason) {
      finish(false);
      return reader.cancel(reason);
    },
  });
}

/**
 * A Vercel AI SDK middleware that traces every call of the model it wraps:
 * `wrapLanguageModel({ model, middleware: frugalMiddleware() })`. `generateText` and `streamText` calls become
 * LLM spans with the provider (`openai.responses` → `openai`), the model, the call settings, the AI SDK's
 * normalised usage (input with cache reads and writes, output with reasoning), exact cost and, for streams,
 * the time to the first generated part. Results and streams reach the caller unchanged.
 */
export function frugalMiddleware(options: InstrumentOptions = {}): FrugalLanguageModelMiddleware {
  const failed = (handle: LlmSpanHandle) => (error: unknown) => {
    handle.fail(error);
    throw error;
  };
  return {
    specificationVersion: 'v3',
    wrapGenerate({ doGenerate, params, model }) {
      const tracer = options.tracer ?? currentTracer();
      if (tracer === undefined) return doGenerate();
      return admission(tracer, model, params).then((ticket) => {
        const handle = start(tracer, model, params, ticket);
        return doGenerate().then((result) => {
          const answer = { ...result, reason: result.finishReason, text: promptText(result.content) };
          endWith(handle, () => ended(model, params, answer));
          return result;
        }, failed(handle));
      });
    },
    wrapStream({ doStream, params, model }) {
      const tracer = options.tracer ?? currentTracer();
      if (tracer === undefined) return doStream();
      return admission(tracer, model, params).then((ticket) => {
        const handle = start(tracer, model, params, ticket);
        return doStream().then(
          (result) => ({ ...result, stream: watchParts(result.stream, handle, model, params) }),
          failed(handle),
        );
      });
    },
  };
}
