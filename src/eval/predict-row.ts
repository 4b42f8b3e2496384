import { FrugalError, ProviderError } from '../core/errors.js';
import type { ChatModel, GenerateRequest, GenerateResult, RateLimitState } from '../providers/chat-model.js';
import type { Candidate, PredictFunction } from './candidate.js';
import type { EvalRow } from './eval-row.js';
import { renderPrompt } from './render-prompt.js';
import { type CachedResponse, type ResponseCache, responseCacheKey } from './response-cache.js';

/** What is being evaluated: a model configuration (through a traced model) or a predict function. */
export type Target =
  | { readonly kind: 'model'; readonly candidate: Candidate; readonly traced: ChatModel }
  | { readonly kind: 'function'; readonly predict: PredictFunction };

export type PredictOutcome = {
  readonly text: string;
  /** Fresh latency; undefined for a cached answer. */
  readonly latencyMs?: number | undefined;
  readonly cached?: CachedResponse | undefined;
  /** Where a fresh answer would be cached. */
  readonly cacheKey?: string | undefined;
  readonly rateLimit?: RateLimitState | undefined;
  readonly responseModel?: string | undefined;
};

export function requestFor(candidate: Candidate, row: EvalRow, signal?: AbortSignal): GenerateRequest {
  const user = renderPrompt(row, candidate.prompt);
  return {
    ...candidate.parameters,
    messages: [
      ...(candidate.systemPrompt === undefined
        ? []
        : [{ role: 'system' as const, content: candidate.systemPrompt }]),
      { role: 'user' as const, content: user },
    ],
    ...(signal === undefined ? {} : { signal }),
  };
}

async function callModel(
  model: ChatModel,
  request: GenerateRequest,
  stream: boolean,
): Promise<GenerateResult> {
  if (!stream) return model.generate(request);
  for await (const part of model.stream(request)) if (part.type === 'finish') return part.result;
  throw new FrugalError(`${model.id}: the stream ended without a result`);
}

/** Gets the candidate's answer for one row (and repeat): from the run cache when it has it, else fresh. */
export async function predictRow(
  target: Target,
  row: EvalRow,
  repeat: number,
  cache: ResponseCache | undefined,
  signal: AbortSignal | undefined,
): Promise<PredictOutcome> {
  if (target.kind === 'function') {
    const begin = performance.now();
    const text: unknown = await target.predict(row.inputs);
    const latencyMs = performance.now() - begin;
    if (typeof text !== 'string') {
      throw new FrugalError(
        `the predict function returned ${typeof text} for row '${row.id}'; expected a string`,
      );
    }
    return { text, latencyMs };
  }
  const { candidate, traced } = target;
  const request = requestFor(candidate, row, signal);
  const cacheKey = cache === undefined ? undefined : responseCacheKey(candidate.model, request, repeat);
  if (cache !== undefined && cacheKey !== undefined) {
    const cached = await cache.get(cacheKey);
    if (cached !== undefined) return { text: cached.text, cached, responseModel: cached.responseModel };
  }
  const result = await callModel(traced, request, candidate.stream === true);
  return {
    text: result.text,
    latencyMs: result.latencyMs,
    rateLimit: result.rateLimit,
    responseModel: result.responseModel,
    ...(cacheKey === undefined ? {} : { cacheKey }),
  };
}

function header(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * When `error` is a provider's 429 (frugal's ProviderError or an SDK error with `status` 429), the wait it
 * asked for (undefined if none); otherwise `false`.
 */
export function rateLimitWait(error: unknown): number | undefined | false {
  if (error instanceof ProviderError) return error.status === 429 ? error.details.retryAfterMs : false;
  if (error === null || typeof error !== 'object' || (error as { status?: unknown }).status !== 429)
    return false;
  const headers = (error as { headers?: unknown }).headers;
  const ms = Number(header(headers, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && header(headers, 'retry-after-ms') !== undefined) return ms;
  const seconds = Number(header(headers, 'retry-after'));
  return Number.isFinite(seconds) && header(headers, 'retry-after') !== undefined
    ? seconds * 1000
    : undefined;
}
