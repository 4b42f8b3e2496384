import type { AdmissionTicket } from '../core/budgets/admission.js';
import type { ChatModel, GenerateRequest, GenerateResult, StreamPart } from '../providers/chat-model.js';
import { currentTracer } from '../tracing/default-tracer.js';
import { requestBound } from '../tracing/instrument-bound.js';
import { endOrEstimate } from '../tracing/instrument-estimate.js';
import { requestHash } from '../tracing/request-hash.js';
import type { LlmSpanHandle, Tracer } from '../tracing/tracer.js';

/** The request as an OpenAI-shaped body: what budgets count and what the request hash is taken over. */
function wireBody(model: ChatModel, request: GenerateRequest): Record<string, unknown> {
  const { signal: _signal, ...rest } = request;
  return {
    ...rest,
    model: model.model,
    provider: model.provider,
    ...(request.maxOutputTokens === undefined ? {} : { max_tokens: request.maxOutputTokens }),
  };
}

function attributesOf(request: GenerateRequest): Record<string, number> {
  const attributes: Record<string, number> = {};
  if (request.temperature !== undefined) attributes['gen_ai.request.temperature'] = request.temperature;
  if (request.topP !== undefined) attributes['gen_ai.request.top_p'] = request.topP;
  if (request.maxOutputTokens !== undefined)
    attributes['gen_ai.request.max_tokens'] = request.maxOutputTokens;
  if (request.seed !== undefined) attributes['gen_ai.request.seed'] = request.seed;
  return attributes;
}

const reported = (result: GenerateResult) =>
  result.usage.input !== undefined || result.usage.output !== undefined ? result.usage : undefined;

/**
 * A ChatModel whose every call is an LLM span of the current tracer (or `tracer`): priced, attributed from the
 * async scope, marked simulated for the simulator, and admitted by the tracer's budgets before it is sent.
 * Usage the provider did not report is counted and marked estimated. Without a tracer, calls pass through.
 * A model made of other models (`mapInner`, a cascade) is traced through its inner models: a span per call.
 */
export function tracedChatModel(model: ChatModel, tracer?: Tracer): ChatModel {
  if (model.mapInner !== undefined) return model.mapInner((inner) => tracedChatModel(inner, tracer));
  async function open(
    request: GenerateRequest,
  ): Promise<{ handle: LlmSpanHandle; body: Record<string, unknown> }> {
    const active = (tracer ?? currentTracer()) as Tracer;
    const body = wireBody(model, request);
    let ticket: AdmissionTicket | undefined;
    if (active.admit !== undefined) ticket = await active.admit(await requestBound(body, false));
    const handle = active.startLlmSpan({
      operation: 'chat',
      provider: model.provider,
      requestModel: model.model,
      simulated: model.simulated,
      requestHash: requestHash(body),
      attributes: attributesOf(request),
      ...(ticket === undefined ? {} : { ticket }),
    });
    return { handle, body };
  }

  async function close(handle: LlmSpanHandle, body: Record<string, unknown>, result: GenerateResult) {
    const end = await endOrEstimate(
      { usage: reported(result), model: result.responseModel, text: result.text },
      { 'gen_ai.response.finish_reasons': [result.finishReason] },
      { model: model.model, messages: body['messages'] },
    );
    handle.end(end);
  }

  return {
    id: model.id,
    provider: model.provider,
    model: model.model,
    simulated: model.simulated,
    ...(model.endpoint === undefined ? {} : { endpoint: model.endpoint }),
    async generate(request) {
      if ((tracer ?? currentTracer()) === undefined) return model.generate(request);
      const { handle, body } = await open(request);
      let result: GenerateResult;
      try {
        result = await model.generate(request);
      } catch (error) {
        handle.fail(error);
        throw error;
      }
      await close(handle, body, result);
      return result;
    },
    async *stream(request): AsyncIterable<StreamPart> {
      if ((tracer ?? currentTracer()) === undefined) {
        yield* model.stream(request);
        return;
      }
      const { handle, body } = await open(request);
      let finished = false;
      let failed = false;
      try {
        for await (const part of model.stream(request)) {
          if (part.type === 'text-delta') handle.firstToken();
          else {
            finished = true;
            await close(handle, body, part.result);
          }
          yield part;
        }
        if (!finished) {
          failed = true;
          handle.fail(new Error('the stream ended without a finish part'));
        }
      } catch (error) {
        failed = true;
        if (!finished) handle.fail(error);
        throw error;
      } finally {
        // The caller stopped reading early: the call is over for us too, and its span (and any budget
        // reservation) must end rather than leak.
        if (!finished && !failed) handle.fail(new Error('the caller stopped reading the stream'));
      }
    },
  };
}
