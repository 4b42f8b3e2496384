import type { AttributeValue } from '../../core/spans/span.js';
import { usageFromAnthropic, usageFromOpenAIChat } from '../../core/usage-from-wire.js';
import { anthropicFinishReason } from '../../providers/anthropic-messages-wire.js';
import type { GenerateResult } from '../../providers/chat-model.js';
import { openAIFinishReason } from '../../providers/openai-chat-wire.js';
import { ClientReply } from '../http/client-reply.js';
import { GatewayError } from '../http/gateway-reply.js';
import type { Dialect } from '../routing/deployment.js';
import type { CascadeRoute } from '../routing/routing-policy.js';
import type { LlmCallDeps, LlmCallRequest, LlmRoute } from './llm-call.js';
import { answerRenderer } from './translate.js';

type Serve = (
  deps: LlmCallDeps,
  route: LlmRoute,
  request: LlmCallRequest,
  reply: ClientReply,
) => Promise<void>;

/** A reply that keeps a stage's JSON answer instead of sending it: the cascade reads it before deciding. */
class HeldReply extends ClientReply {
  held: { status: number; text: string; headers: Record<string, string> } | undefined;
  readonly #headers: Record<string, string> = {};

  override header(name: string, value: string): void {
    this.#headers[name] = value;
  }

  override get started(): boolean {
    return this.held !== undefined;
  }

  override json(status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
    this.held ??= { status, text, headers: { ...this.#headers, ...headers } };
  }

  override startStream(): void {
    throw new Error('a cascade asks its earlier stages for whole answers, not streams');
  }
}

/** The answer of a chat completion or a message as a GenerateResult (text, usage, finish), or undefined. */
function answerOf(text: string, dialect: Dialect): GenerateResult | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const base = { responseModel: String(json['model'] ?? ''), latencyMs: 0, simulated: false, raw: json };
  if (dialect === 'anthropic') {
    const content = json['content'];
    if (!Array.isArray(content)) return undefined;
    return {
      ...base,
      text: content
        .map((part: { type?: unknown; text?: unknown }) =>
          part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
        )
        .join(''),
      usage: usageFromAnthropic((json['usage'] ?? {}) as never),
      finishReason: anthropicFinishReason(json['stop_reason']),
    };
  }
  const choice = (
    json['choices'] as { message?: { content?: unknown }; finish_reason?: unknown }[] | undefined
  )?.[0];
  if (choice === undefined) return undefined;
  const content = choice.message?.content;
  return {
    ...base,
    text: typeof content === 'string' ? content : '',
    usage: usageFromOpenAIChat((json['usage'] ?? {}) as never),
    finishReason: openAIFinishReason(choice.finish_reason),
  };
}

/** The request for one stage: its model, asked whole (the cascade must read the answer), its own span notes. */
function stageRequest(
  request: LlmCallRequest,
  model: string,
  whole: boolean,
  attributes: Readonly<Record<string, AttributeValue>>,
): LlmCallRequest {
  const { stream: _stream, stream_options: _options, ...rest } = request.body;
  return {
    ...request,
    body: whole ? { ...rest, model } : { ...request.body, model },
    rawBody: undefined,
    attributes: { ...request.attributes, ...attributes },
  };
}

/** A note as a header value can carry it (printable ASCII only). */
const headerSafe = (note: string) => note.replace(/[^\x20-\x7e]/g, '?');
/** What the cascade decided, as the `x-frugal-cascade` header. */
const headerNote = (reply: ClientReply, note: string) => reply.header('x-frugal-cascade', headerSafe(note));

const fixed = (value: number) => (Number.isFinite(value) ? value.toFixed(4) : String(value));

/**
 * Serves a request through a cascade: each stage's public model answers in turn — a full gateway call of its
 * own (cache, limits, budgets, fallbacks, its own span and exact cost) asked for a whole answer — until the
 * stage's acceptance model keeps the answer; the last stage answers the rest, streamed when the client asked
 * to stream. A stage that fails upstream (5xx) escalates too. The reply reports the cost of every stage tried
 * (`x-frugal-cost-usd`) and what the cascade decided (`x-frugal-cascade`).
 */
export async function serveCascade(
  serve: Serve,
  deps: LlmCallDeps,
  route: LlmRoute,
  request: LlmCallRequest,
  reply: ClientReply,
  cascade: CascadeRoute,
  alias: string,
): Promise<void> {
  const stages = cascade.stages;
  const last = stages.length - 1;
  const notes: string[] = [];
  const base = { 'frugal.route.requested_model': alias, 'frugal.route.reason': cascade.reason };
  for (let stage = 0; stage < last; stage++) {
    const model = stages[stage]!;
    const held = new HeldReply(reply.response, reply.requestId);
    const attributes = {
      ...base,
      'frugal.cascade.stage': `${stage + 1}/${stages.length}`,
      ...(notes.length === 0 ? {} : { 'frugal.cascade.escalated_because': notes.join('; ') }),
    };
    try {
      await serve(deps, route, stageRequest(request, model, true, attributes), held);
    } catch (error) {
      if (error instanceof GatewayError && error.problem.status >= 500) {
        notes.push(`stage ${stage + 1} ${model} failed: ${error.message}`);
        continue;
      }
      throw error;
    }
    const answer = held.held;
    if (answer === undefined || answer.status !== 200) {
      reply.addEarlierCost(answer?.headers['x-frugal-cost-usd']);
      notes.push(`stage ${stage + 1} ${model} answered ${answer?.status ?? 'nothing'}`);
      continue;
    }
    const result = answerOf(answer.text, route.dialect);
    const verdict =
      result === undefined ? undefined : await cascade.judge(stage, result.text, reply.cancel.toSignal());
    if (result !== undefined && verdict?.accepted) {
      headerNote(
        reply,
        [
          ...notes,
          `stage ${stage + 1} ${model} kept: ${fixed(verdict.score)} >= ${fixed(verdict.threshold)}`,
        ].join('; '),
      );
      await sendKept(reply, request, route.dialect, answer, result, deps.now());
      return;
    }
    reply.addEarlierCost(answer.headers['x-frugal-cost-usd']);
    notes.push(
      verdict === undefined
        ? `stage ${stage + 1} ${model}: unreadable answer`
        : `stage ${stage + 1} ${model} escalated: ${fixed(verdict.score)} < ${fixed(verdict.threshold)}`,
    );
  }
  const model = stages[last]!;
  headerNote(reply, [...notes, `stage ${stages.length} ${model} answered`].join('; '));
  try {
    await serve(
      deps,
      route,
      stageRequest(request, model, false, {
        ...base,
        'frugal.cascade.stage': `${stages.length}/${stages.length}`,
        ...(notes.length === 0 ? {} : { 'frugal.cascade.escalated_because': notes.join('; ') }),
      }),
      reply,
    );
  } catch (error) {
    if (!(error instanceof GatewayError) || reply.started) throw error;
    // The earlier stages were paid for although the last failed: the error reply says what they cost, and why
    // the cascade got there.
    const note = [...notes, `stage ${stages.length} ${model} failed: ${error.message}`].join('; ');
    throw new GatewayError({
      ...error.problem,
      headers: {
        ...error.problem.headers,
        ...reply.earlierCostHeaders(),
        'x-frugal-cascade': headerSafe(note),
      },
    });
  }
}

/** Sends a kept stage's answer: as it came when the client asked for JSON, as an event stream when it asked to stream. */
async function sendKept(
  reply: ClientReply,
  request: LlmCallRequest,
  dialect: Dialect,
  answer: NonNullable<HeldReply['held']>,
  result: GenerateResult,
  now: number,
): Promise<void> {
  const { 'content-type': _type, 'content-length': _length, ...headers } = answer.headers;
  if (request.body['stream'] !== true) {
    reply.json(200, answer.text, headers);
    return;
  }
  const cost = Object.entries(headers).filter(
    ([name]) =>
      name.startsWith('x-frugal-cost') ||
      name === 'x-frugal-usage-estimated' ||
      name === 'x-frugal-simulated',
  );
  const others = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !cost.some(([costName]) => costName === name)),
  );
  const renderer = answerRenderer(dialect, reply.requestId, result.responseModel, Math.floor(now / 1000));
  const includeUsage =
    dialect === 'openai' &&
    (request.body['stream_options'] as { include_usage?: unknown } | undefined)?.include_usage === true;
  reply.startStream(others);
  await reply.write(renderer.open());
  if (result.text !== '') await reply.write(renderer.delta(result.text));
  await reply.write(renderer.close(result, includeUsage));
  if (cost.length > 0)
    await reply.write(`: ${cost.map(([name, value]) => `${name}=${value}`).join(' ')}\n\n`);
  reply.end(renderer.terminal);
}
