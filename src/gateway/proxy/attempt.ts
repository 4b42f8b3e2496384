import type { AdmissionTicket } from '../../core/budgets/admission.js';
import { ProviderError } from '../../core/errors.js';
import type { AttributeValue, Attribution, Span } from '../../core/spans/span.js';
import type { GenerateResult } from '../../providers/chat-model.js';
import { connectionError, invalidResponseError } from '../../providers/provider-error-mapping.js';
import { estimateUsage } from '../../tracing/instrument-estimate.js';
import type { CallRecipe } from '../../tracing/instrument-sdk-call.js';
import type { LlmSpanEnd, LlmSpanHandle, Tracer } from '../../tracing/tracer.js';
import { ClientGoneError, type ClientReply, costComment, costHeaders } from '../http/client-reply.js';
import { gatewayError } from '../http/gateway-reply.js';
import type { Deployment, Dialect, UpstreamOperation } from '../routing/deployment.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { createSseSplitter, type SseFrame, sseFrame, withoutNullUsage } from './sse-frames.js';
import { answerRenderer, generateRequestOf, openAIUsage, streamErrorFrame } from './translate.js';

/** What every attempt of one request shares. */
export type CallContext = {
  readonly operation: UpstreamOperation;
  /** The protocol the client speaks. */
  readonly dialect: Dialect;
  /** The client's body. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The body's bytes as received: sent as they are when nothing in them changes upstream. */
  readonly rawBody?: Buffer | undefined;
  readonly stream: boolean;
  readonly reply: ClientReply;
  readonly tracer: Tracer;
  readonly upstream: UpstreamClient;
  readonly requestHash: string;
  /** Who the call is for (key, feature, user, tags). */
  readonly attribution: Attribution;
  /** Attributes every attempt's span carries (public model, route decision, cache status). */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Client headers passed through to a same-protocol upstream (`anthropic-version`, `anthropic-beta`). */
  readonly forwardHeaders: Readonly<Record<string, string>>;
  /** The recipe that turns the call into a span, for a deployment. */
  recipe(deployment: Deployment): CallRecipe;
  readonly now: () => number;
};

/** A finished attempt: its span, and what a cache may keep of the reply (only for complete replies). */
export type AttemptOutcome = {
  readonly span: Span;
  readonly cacheable?: { readonly kind: 'json' | 'sse'; readonly body: string; readonly contentType: string };
};

/**
 * Sends the request to one deployment and writes the answer to the client, recording its span before the client
 * sees the end of it (so spend acknowledged to a client is in the journal). Rejects, with nothing written to the
 * client, when the deployment failed before answering: the caller may then try another.
 */
export function attempt(
  context: CallContext,
  deployment: Deployment,
  ticket: AdmissionTicket | undefined,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const sameProtocol = deployment.dialect === context.dialect;
  if (sameProtocol) return passThrough(context, deployment, ticket, timeoutMs);
  if (context.operation === 'embeddings') return embedInProcess(context, deployment, ticket);
  return generateThroughModel(context, deployment, ticket);
}

/** The `forwardHeaders` of a request that has none to forward (compared by identity on the hot path). */
export const noHeaders: Readonly<Record<string, string>> = Object.freeze({});

const isTerminal = (frame: SseFrame, dialect: Dialect) =>
  dialect === 'openai' ? frame.data.trim() === '[DONE]' : frame.event === 'message_stop';

/** The span's attributes: the request's, the deployment, then the recipe's (assigned: spreads cost more here). */
function spanAttributes(
  context: CallContext,
  deployment: Deployment,
  extra?: Readonly<Record<string, AttributeValue>>,
): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const name in context.attributes) attributes[name] = context.attributes[name]!;
  attributes['frugal.gateway.deployment'] = deployment.id;
  if (extra !== undefined) for (const name in extra) attributes[name] = extra[name]!;
  return attributes;
}

/** What to record for a call that failed: the prompt was sent, so when the client left it is counted. */
async function failedEnd(
  context: CallContext,
  deployment: Deployment,
  error: unknown,
): Promise<LlmSpanEnd | undefined> {
  if (!(error instanceof ClientGoneError)) return undefined;
  const usage = await estimateUsage({
    model: deployment.model,
    messages: context.body['messages'],
    tools: context.body['tools'],
    prompt: context.body['input'] ?? context.body['system'],
    output: '',
  }).catch(() => undefined);
  return usage === undefined ? undefined : { usage, usageEstimated: true };
}

async function passThrough(
  context: CallContext,
  deployment: Deployment,
  ticket: AdmissionTicket | undefined,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const recipe = context.recipe(deployment);
  // A copy only when the deployment's model differs from the one asked (recipes never change the body).
  const body =
    context.body['model'] === deployment.model ? context.body : { ...context.body, model: deployment.model };
  const sent = recipe.send?.(body) ?? body;
  const start = recipe.start(body);
  // Fields named one by one: a spread of the recipe's start object costs more than the rest of this literal.
  const handle = context.tracer.startLlmSpan({
    name: start.name,
    kind: start.kind,
    operation: start.operation,
    provider: deployment.provider,
    requestModel: start.requestModel,
    simulated: start.simulated,
    requestHash: context.requestHash,
    traceId: context.reply.requestId,
    attribution: context.attribution,
    ticket,
    attributes: spanAttributes(context, deployment, start.attributes),
  });
  const target = deployment.target(context.operation);
  const withHeaders =
    context.forwardHeaders === noHeaders
      ? target
      : { ...target, headers: { ...target.headers, ...context.forwardHeaders } };
  let answer: Awaited<ReturnType<UpstreamClient['post']>>;
  try {
    // The client's bytes go upstream untouched unless the model name or the stream options change.
    const payload =
      sent === body && context.rawBody !== undefined && context.body['model'] === deployment.model
        ? context.rawBody
        : JSON.stringify(sent);
    answer = await context.upstream.post(withHeaders, payload, timeoutMs, context.reply.cancel);
  } catch (error) {
    handle.fail(error, await failedEnd(context, deployment, error));
    throw error;
  }
  const contentType = answer.contentType;
  if (context.stream && contentType.includes('text/event-stream') && recipe.watch) {
    return relayStream(context, deployment, handle, recipe, body, answer.body, contentType);
  }
  let text: string;
  let data: unknown;
  try {
    text = await answer.body.text();
    data = JSON.parse(text);
    if (typeof data !== 'object' || data === null) throw new Error('not a JSON object');
  } catch (error) {
    const failure = context.reply.cancel.aborted
      ? context.reply.cancel.reason
      : invalidResponseError(
          deployment.provider,
          `the answer is not a JSON object (${(error as Error).message})`,
          {
            requestId: answer.requestId,
            retryable: true,
          },
        );
    handle.fail(failure, await failedEnd(context, deployment, failure));
    throw failure;
  }
  const span = handle.end(await recipe.ended(data, body));
  context.reply.json(200, text, costHeaders(span));
  return { span, cacheable: { kind: 'json', body: text, contentType: 'application/json' } };
}

/**
 * The JSON text of an event the watcher changed: when the change is only its `usage: null` dropped (a stream frugal
 * asked usage for on the client's behalf), the original text with that member cut out; else `shown` serialised.
 */
function rewrittenData(data: string, event: unknown, shown: unknown): string {
  const before = event as Record<string, unknown> | null;
  const after = shown as Record<string, unknown> | null;
  if (
    typeof before === 'object' &&
    before !== null &&
    before['usage'] === null &&
    typeof after === 'object' &&
    after !== null &&
    !('usage' in after)
  ) {
    let same = true;
    let count = 0;
    for (const name in after) {
      count++;
      if (after[name] !== before[name]) {
        same = false;
        break;
      }
    }
    let original = 0;
    for (const _name in before) original++;
    const cut = same && count === original - 1 ? withoutNullUsage(data) : undefined;
    if (cut !== undefined) return cut;
  }
  return JSON.stringify(shown);
}

async function relayStream(
  context: CallContext,
  deployment: Deployment,
  handle: LlmSpanHandle,
  recipe: CallRecipe,
  body: Record<string, unknown>,
  upstream: AsyncIterable<Uint8Array>,
  contentType: string,
): Promise<AttemptOutcome> {
  const watcher = recipe.watch!(body, handle);
  const splitter = createSseSplitter();
  const sent: string[] = [];
  let terminal: string | undefined;
  // The client's headers go out with the first event: one write fewer, and until then the attempt can still fail
  // as a whole (an upstream that answers 200 and drops the stream before its first event), for another deployment.
  const start = () => {
    if (!context.reply.started) context.reply.startStream();
  };
  // The frames of the upstream chunk that brought the terminal event (and of any after it): they leave in the
  // stream's last write, with its cost comment and terminal event (one socket write fewer per stream).
  let held = '';
  let broken: unknown;
  try {
    for await (const chunk of upstream) {
      // The frames that arrived together leave together: one socket write per upstream chunk, not per event.
      let out = '';
      for (const frame of splitter.push(chunk)) {
        if (isTerminal(frame, context.dialect)) {
          terminal = frame.raw;
          continue;
        }
        let text = frame.raw;
        if (frame.data !== '') {
          let event: unknown;
          try {
            event = JSON.parse(frame.data);
          } catch {
            event = undefined;
          }
          if (event !== undefined) {
            let shown: unknown = event;
            try {
              shown = watcher.see(event);
            } catch {}
            if (shown === undefined) continue;
            if (shown !== event) text = sseFrame(rewrittenData(frame.data, event, shown), frame.event);
          }
        }
        sent.push(text);
        out += text;
      }
      if (terminal !== undefined) held += out;
      else if (out !== '') {
        start();
        await context.reply.write(out);
      }
    }
  } catch (error) {
    broken = context.reply.cancel.aborted ? context.reply.cancel.reason : error;
  }
  const failure =
    broken ??
    watcher.failure() ??
    (terminal === undefined
      ? invalidResponseError(deployment.provider, 'the stream ended before its last event')
      : undefined);
  let end: LlmSpanEnd;
  try {
    end = await watcher.ended(failure === undefined);
  } catch {
    end = watcher.partial();
  }
  if (failure !== undefined && !context.reply.started) {
    handle.fail(failure, end);
    throw failure instanceof ProviderError ||
      failure instanceof ClientGoneError ||
      context.reply.cancel.aborted
      ? failure
      : connectionError(deployment.provider, failure);
  }
  start();
  if (failure !== undefined) {
    const span = handle.fail(failure, end);
    const message = failure instanceof Error ? failure.message : String(failure);
    await context.reply.write(
      held + streamErrorFrame(context.dialect, `the upstream stream failed: ${message}`),
    );
    context.reply.end();
    return { span };
  }
  const span = handle.end(end);
  context.reply.endStream(costComment(span), terminal, held);
  return { span, cacheable: { kind: 'sse', body: sent.join('') + terminal, contentType } };
}

/** The span of a call served through the provider port (the simulator, or a deployment of the other protocol). */
function startInProcessSpan(
  context: CallContext,
  deployment: Deployment,
  ticket: AdmissionTicket | undefined,
  operation: 'chat' | 'embeddings',
): LlmSpanHandle {
  return context.tracer.startLlmSpan({
    ...(operation === 'embeddings' ? { kind: 'embedding' as const } : {}),
    operation,
    provider: deployment.provider,
    requestModel: deployment.model,
    simulated: deployment.simulated,
    requestHash: context.requestHash,
    traceId: context.reply.requestId,
    attribution: context.attribution,
    ticket,
    attributes: spanAttributes(context, deployment),
  });
}

/** The simulator, or a deployment of the other protocol: through the provider port, rendered for the client. */
async function generateThroughModel(
  context: CallContext,
  deployment: Deployment,
  ticket: AdmissionTicket | undefined,
): Promise<AttemptOutcome> {
  const model =
    deployment.chatModel ??
    (() => {
      throw gatewayError(400, 'unsupported_model', `${deployment.modelName} does not serve chat requests`, {
        param: 'model',
      });
    })();
  const request = generateRequestOf(context.body, context.dialect, context.reply.cancel.toSignal());
  const handle = startInProcessSpan(context, deployment, ticket, 'chat');
  const renderer = answerRenderer(
    context.dialect,
    handle.spanId,
    deployment.model,
    Math.floor(context.now() / 1000),
  );
  const headers = deployment.simulated ? { 'x-frugal-simulated': 'true' } : {};
  const endOf = (result: GenerateResult): LlmSpanEnd => ({
    usage: result.usage,
    responseModel: result.responseModel,
  });
  if (!context.stream) {
    let result: GenerateResult;
    try {
      result = await model.generate(request);
    } catch (error) {
      handle.fail(error, await failedEnd(context, deployment, error));
      throw error;
    }
    const span = handle.end(endOf(result));
    const text = JSON.stringify(renderer.json(result));
    context.reply.json(200, text, { ...headers, ...costHeaders(span) });
    return { span, cacheable: { kind: 'json', body: text, contentType: 'application/json' } };
  }
  const includeUsage =
    context.dialect === 'openai' &&
    (context.body['stream_options'] as { include_usage?: unknown } | undefined)?.include_usage === true;
  const sent: string[] = [];
  const send = async (text: string) => {
    sent.push(text);
    await context.reply.write(text);
  };
  let streamed = '';
  let result: GenerateResult | undefined;
  try {
    for await (const part of model.stream(request)) {
      if (!context.reply.started) {
        context.reply.startStream(headers);
        await send(renderer.open());
      }
      if (part.type === 'text-delta') {
        handle.firstToken();
        streamed += part.text;
        await send(renderer.delta(part.text));
      } else result = part.result;
    }
    if (result === undefined)
      throw invalidResponseError(deployment.provider, 'the stream ended without a result');
  } catch (error) {
    const failure = context.reply.cancel.aborted ? context.reply.cancel.reason : error;
    const usage = await estimateUsage({
      model: deployment.model,
      messages: request.messages,
      output: streamed,
    }).catch(() => undefined);
    const span = handle.fail(failure, usage === undefined ? undefined : { usage, usageEstimated: true });
    if (!context.reply.started) throw failure;
    await context.reply.write(
      streamErrorFrame(context.dialect, `the upstream stream failed: ${(failure as Error).message}`),
    );
    context.reply.end();
    return { span };
  }
  const span = handle.end(endOf(result));
  await send(renderer.close(result, includeUsage));
  context.reply.endStream(costComment(span), renderer.terminal);
  return {
    span,
    cacheable: {
      kind: 'sse',
      body: sent.join('') + renderer.terminal,
      contentType: 'text/event-stream; charset=utf-8',
    },
  };
}

async function embedInProcess(
  context: CallContext,
  deployment: Deployment,
  ticket: AdmissionTicket | undefined,
): Promise<AttemptOutcome> {
  const model = deployment.embeddingModel;
  if (model === undefined) {
    throw gatewayError(400, 'unsupported_model', `${deployment.modelName} does not serve embeddings`, {
      param: 'model',
    });
  }
  const input = context.body['input'];
  const inputs = typeof input === 'string' ? [input] : Array.isArray(input) ? input : undefined;
  if (inputs === undefined || !inputs.every((item) => typeof item === 'string')) {
    throw gatewayError(400, 'invalid_request', 'expected input as a string or a list of strings', {
      param: 'input',
    });
  }
  const handle = startInProcessSpan(context, deployment, ticket, 'embeddings');
  let result: Awaited<ReturnType<typeof model.embed>>;
  try {
    const dimensions = context.body['dimensions'];
    result = await model.embed({
      inputs: inputs as string[],
      ...(typeof dimensions === 'number' ? { dimensions } : {}),
      signal: context.reply.cancel.toSignal(),
    });
  } catch (error) {
    handle.fail(error);
    throw error;
  }
  const span = handle.end({ usage: result.usage, responseModel: result.responseModel });
  const usage = openAIUsage(result.usage);
  const text = JSON.stringify({
    object: 'list',
    data: result.vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model: result.responseModel,
    usage: { prompt_tokens: usage.prompt_tokens, total_tokens: usage.prompt_tokens },
  });
  context.reply.json(200, text, costHeaders(span));
  return { span, cacheable: { kind: 'json', body: text, contentType: 'application/json' } };
}
