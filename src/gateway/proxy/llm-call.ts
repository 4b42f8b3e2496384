import type { RouterConfig } from '../../config/parse-gateway-config.js';
import type { PerMinuteLimits, RateLimiter } from '../../control/rate-limiter.js';
import type { AdmissionTicket } from '../../core/budgets/admission.js';
import { BudgetExceededError, ProviderError } from '../../core/errors.js';
import type { VirtualKeyRecord } from '../../core/keys/virtual-key.js';
import { formatUsd } from '../../core/money.js';
import type { AttributeValue, Attribution } from '../../core/spans/span.js';
import type { SemanticCache } from '../../optimize/semantic-cache/semantic-cache.js';
import { requestBound } from '../../tracing/instrument-bound.js';
import type { CallRecipe } from '../../tracing/instrument-sdk-call.js';
import { requestHash } from '../../tracing/request-hash.js';
import type { LlmCallBound, Tracer } from '../../tracing/tracer.js';
import { exactCacheKey } from '../cache/cache-key.js';
import {
  costOf,
  decodeSemanticAnswer,
  encodeSemanticAnswer,
  gatewaySemanticKey,
} from '../cache/gateway-semantic-cache.js';
import type { CachedResponse, ResponseCache } from '../cache/response-cache.js';
import { ClientGoneError, type ClientReply, costComment } from '../http/client-reply.js';
import { type GatewayError, gatewayError } from '../http/gateway-reply.js';
import type { Deployment, Dialect, UpstreamOperation } from '../routing/deployment.js';
import type { DeploymentHealth } from '../routing/deployment-health.js';
import type { RoutingPolicy } from '../routing/routing-policy.js';
import { selectDeployment } from '../routing/select-deployment.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { type AttemptOutcome, attempt, type CallContext } from './attempt.js';
import { serveCascade } from './cascade-call.js';

/** The parts the LLM routes share, built once by `createGateway`. */
export type LlmCallDeps = {
  readonly tracer: Tracer;
  readonly upstream: UpstreamClient;
  /** Deployments by public model name, in model_list order. */
  readonly deployments: ReadonlyMap<string, readonly Deployment[]>;
  readonly health: DeploymentHealth;
  readonly router: RouterConfig;
  readonly policy?: RoutingPolicy | undefined;
  readonly limiter: RateLimiter;
  readonly modelLimits: Readonly<Record<string, PerMinuteLimits>>;
  readonly cache?: { readonly store: ResponseCache; readonly ttlMs: number } | undefined;
  /** Looked up after an exact-cache miss, for chat and messages requests (off unless configured). */
  readonly semantic?: SemanticCache | undefined;
  readonly now: () => number;
  readonly random?: (() => number) | undefined;
};

/** One LLM route: its protocol, the upstream operation, and how its calls become spans. */
export type LlmRoute = {
  readonly name: 'chat' | 'messages' | 'embeddings';
  readonly dialect: Dialect;
  readonly operation: UpstreamOperation;
  recipe(deployment: Deployment): CallRecipe;
};

/** A request that passed parsing and authentication. */
export type LlmCallRequest = {
  readonly body: Readonly<Record<string, unknown>>;
  /** The body's bytes as received. */
  readonly rawBody?: Buffer | undefined;
  readonly key: VirtualKeyRecord | undefined;
  /** Cache directive from the request's headers. */
  readonly cache: { readonly read: boolean; readonly write: boolean };
  readonly forwardHeaders: Readonly<Record<string, string>>;
  /** Who the call is for: the key, the `user` field, the x-frugal-* headers. */
  readonly attribution: Attribution;
  /** Extra attributes for the call's span (a cascade's stage). */
  readonly attributes?: Readonly<Record<string, AttributeValue>> | undefined;
};

const budgetProblem = (error: BudgetExceededError, now: number): GatewayError =>
  gatewayError(429, 'budget_exceeded', error.message, {
    headers: { 'retry-after': String(Math.max(1, Math.ceil((error.details.resetsAt - now) / 1000))) },
  });

/** The client-facing error for the last upstream failure, once every deployment and fallback was tried. */
function upstreamProblem(error: unknown, model: string): GatewayError {
  if (error instanceof ProviderError) {
    const status = error.status;
    const code = error.details.code;
    const retryAfter =
      error.details.retryAfterMs === undefined
        ? undefined
        : { 'retry-after': String(Math.max(1, Math.ceil(error.details.retryAfterMs / 1000))) };
    if (status === 429) {
      return gatewayError(
        429,
        'upstream_rate_limited',
        `every deployment of ${model} is rate limited: ${error.message}`,
        {
          ...(retryAfter ? { headers: retryAfter } : {}),
        },
      );
    }
    if (code === 'timeout') return gatewayError(504, 'upstream_timeout', `${model}: ${error.message}`);
    if (status !== undefined && status >= 400 && status < 500) {
      // The upstream refused the request itself (bad parameter, context too long): the client's to fix.
      return gatewayError(
        status === 401 || status === 403 ? 502 : status,
        code ?? 'upstream_refused',
        `${model}: ${error.message}`,
      );
    }
    return gatewayError(502, code ?? 'upstream_error', `${model}: ${error.message}`);
  }
  return gatewayError(502, 'upstream_error', `${model}: ${(error as Error)?.message ?? String(error)}`);
}

/**
 * Serves one LLM request: routing policy, exact cache, rate limits per key and model, then attempts on the
 * name's deployments (balanced, skipping those cooling down or over their own limits), each admitted by the
 * budgets before it is sent; retryable failures move to another deployment, then to the fallback names.
 * Problems before anything was written are thrown as GatewayErrors for the server to answer.
 */
export async function serveLlmCall(
  deps: LlmCallDeps,
  route: LlmRoute,
  request: LlmCallRequest,
  reply: ClientReply,
): Promise<void> {
  const { body, key } = request;
  const asked = body['model'] as string;
  const attributes: Record<string, AttributeValue> = {
    'frugal.gateway.route': route.name,
    ...request.attributes,
  };
  let model = asked;
  if (deps.policy) {
    const decision = await deps.policy.route({
      route: route.name,
      model: asked,
      body,
      attribution: request.attribution,
      models: [...deps.deployments.keys()],
    });
    if (decision?.cascade !== undefined)
      return serveCascade(serveLlmCall, deps, route, request, reply, decision.cascade, asked);
    if (decision !== undefined) {
      model = decision.model;
      attributes['frugal.route.requested_model'] = asked;
      if (decision.reason !== undefined) attributes['frugal.route.reason'] = decision.reason;
    }
  }
  if (!deps.deployments.has(model)) {
    throw gatewayError(
      404,
      'model_not_found',
      `The model '${model}' does not exist on this gateway; GET /v1/models lists the models`,
      {
        param: 'model',
      },
    );
  }
  if (key?.allowedModels !== undefined && !key.allowedModels.includes(model)) {
    throw gatewayError(
      403,
      'model_not_allowed',
      `This key may not call '${model}'; it may call ${key.allowedModels.join(', ') || 'no model'}`,
      {
        param: 'model',
      },
    );
  }
  attributes['frugal.gateway.model'] = model;
  const stream = body['stream'] === true;
  const hash = requestHash(body);

  const cacheKey =
    deps.cache && (request.cache.read || request.cache.write)
      ? exactCacheKey({ route: route.name, model, body, requestHash: hash })
      : undefined;
  if (cacheKey !== undefined && deps.cache && request.cache.read) {
    const hit = await deps.cache.store.get(cacheKey);
    if (hit !== undefined) {
      await serveHit(deps, route, hit, reply, hash, attributes, request.attribution);
      return;
    }
  }
  const semanticKey =
    deps.semantic && route.operation !== 'embeddings' && (request.cache.read || request.cache.write)
      ? gatewaySemanticKey(body, route.dialect, route.name, model)
      : undefined;
  let semanticVector: Float32Array | undefined;
  if (semanticKey !== undefined && deps.semantic && request.cache.read) {
    try {
      const found = await deps.semantic.lookup({ namespace: semanticKey.parts, text: semanticKey.text });
      const cached = found.hit ? decodeSemanticAnswer(found.answer) : undefined;
      if (found.hit && cached !== undefined) {
        await serveHit(deps, route, cached, reply, hash, attributes, request.attribution, found.score);
        return;
      }
      semanticVector = found.vector;
      attributes['frugal.cache.semantic'] = 'miss';
      if (found.score !== undefined) attributes['frugal.cache.similarity'] = found.score;
    } catch (error) {
      // The embedder failed: the request goes on as a miss, and the span says why.
      attributes['frugal.cache.semantic'] = 'error';
      attributes['frugal.cache.semantic_error'] = (error as Error).message;
    }
  }
  const caching = cacheKey !== undefined || semanticKey !== undefined;
  reply.header('x-frugal-cache', caching ? 'miss' : 'bypass');
  attributes['frugal.cache.status'] = caching ? 'miss' : 'bypass';

  // Made on first use: most requests count no tokens before sending.
  let bounds: Map<string, Promise<LlmCallBound>> | undefined;
  const boundFor = (upstreamModel: string) => {
    bounds ??= new Map();
    let bound = bounds.get(upstreamModel);
    if (bound === undefined) {
      bound = requestBound({ ...body, model: upstreamModel }, route.operation === 'embeddings');
      bounds.set(upstreamModel, bound);
    }
    return bound;
  };
  const tokensOf = async (upstreamModel: string) => {
    const bound = await boundFor(upstreamModel);
    return bound.promptTokens + (bound.maxOutputTokens ?? 0);
  };
  const firstModel = deps.deployments.get(model)![0]!.model;
  const limits: [string, PerMinuteLimits][] = [];
  if (key && (key.requestsPerMinute !== undefined || key.tokensPerMinute !== undefined)) {
    limits.push([
      `key:${key.id}`,
      { requestsPerMinute: key.requestsPerMinute, tokensPerMinute: key.tokensPerMinute },
    ]);
  }
  const modelLimit = deps.modelLimits[model];
  if (modelLimit) limits.push([`model:${model}`, modelLimit]);
  for (const [name, limit] of limits) {
    const tokens = limit.tokensPerMinute === undefined ? 0 : await tokensOf(firstModel);
    const decision = await deps.limiter.take(name, { requests: 1, tokens }, limit, deps.now());
    if (!decision.allowed) {
      const after = decision.retryAfterMs;
      throw gatewayError(
        429,
        'rate_limit_exceeded',
        `Rate limit reached for ${name.startsWith('key:') ? 'this key' : `model ${model}`}: ${decision.dimension} per minute${after === undefined ? ' (this request alone exceeds the limit)' : `; retry in ${Math.ceil(after / 1000)} s`}`,
        after === undefined
          ? {}
          : { headers: { 'retry-after': String(Math.max(1, Math.ceil(after / 1000))) } },
      );
    }
  }

  const context: CallContext = {
    operation: route.operation,
    dialect: route.dialect,
    body,
    rawBody: request.rawBody,
    stream,
    reply,
    tracer: deps.tracer,
    upstream: deps.upstream,
    requestHash: hash,
    attributes,
    forwardHeaders: request.forwardHeaders,
    attribution: request.attribution,
    recipe: route.recipe,
    now: deps.now,
  };
  const outcome = await attemptAll(deps, context, model, boundFor, tokensOf);
  if (!request.cache.write || !outcome.cacheable || outcome.span.status !== 'ok') return;
  const response: CachedResponse = {
    kind: outcome.cacheable.kind,
    body: outcome.cacheable.body,
    contentType: outcome.cacheable.contentType,
    model: outcome.span.responseModel ?? outcome.span.requestModel ?? model,
    provider: outcome.span.provider ?? 'unknown',
    usage: outcome.span.usage,
    cost: outcome.span.cost,
    spanId: outcome.span.id,
    storedAt: deps.now(),
  };
  if (cacheKey !== undefined && deps.cache) await deps.cache.store.set(cacheKey, response, deps.cache.ttlMs);
  if (semanticKey !== undefined && deps.semantic) {
    await deps.semantic
      .store({
        namespace: semanticKey.parts,
        text: semanticKey.text,
        answer: encodeSemanticAnswer(response),
        cost: costOf(response.cost),
        vector: semanticVector,
      })
      .catch(() => {
        // An embedder failure only loses this entry; the client already has its answer.
      });
  }
}

async function attemptAll(
  deps: LlmCallDeps,
  context: CallContext,
  model: string,
  boundFor: (upstreamModel: string) => Promise<LlmCallBound>,
  tokensOf: (upstreamModel: string) => Promise<number>,
): Promise<AttemptOutcome> {
  const names = [model, ...(deps.router.fallbacks[model] ?? [])];
  let lastError: unknown;
  let soonest: number | undefined;
  for (const name of names) {
    const tried = new Set<string>();
    let tries = 0;
    const all = deps.deployments.get(name) ?? [];
    while (tries <= deps.router.retries) {
      const now = deps.now();
      const available: Deployment[] = [];
      for (const deployment of all) {
        if (tried.has(deployment.id)) continue;
        const until = deps.health.coolingUntil(deployment.id, now);
        if (until === undefined) available.push(deployment);
        else soonest = Math.min(soonest ?? until, until);
      }
      const deployment = selectDeployment(available, deps.router.strategy, deps.random);
      if (deployment === undefined) break;
      tried.add(deployment.id);
      if (deployment.rpm !== undefined || deployment.tpm !== undefined) {
        const tokens = deployment.tpm === undefined ? 0 : await tokensOf(deployment.model);
        const taken = await deps.limiter.take(
          `deployment:${deployment.id}`,
          { requests: 1, tokens },
          { requestsPerMinute: deployment.rpm, tokensPerMinute: deployment.tpm },
          now,
        );
        if (!taken.allowed) {
          if (taken.retryAfterMs !== undefined)
            soonest = Math.min(soonest ?? now + taken.retryAfterMs, now + taken.retryAfterMs);
          continue;
        }
      }
      let ticket: AdmissionTicket | undefined;
      if (deps.tracer.admit) {
        try {
          ticket = await deps.tracer.admit({
            ...(await boundFor(deployment.model)),
            attribution: context.attribution,
          });
        } catch (error) {
          if (error instanceof BudgetExceededError) throw budgetProblem(error, deps.now());
          throw error;
        }
      }
      tries++;
      deployment.inFlight++;
      try {
        const outcome = await attempt(
          context,
          deployment,
          ticket,
          deployment.timeoutMs ?? deps.router.timeoutMs,
        );
        deps.health.succeeded(deployment.id);
        return outcome;
      } catch (error) {
        if (error instanceof ClientGoneError || context.reply.cancel.aborted) throw error;
        const retryable = error instanceof ProviderError && error.retryable;
        if (!retryable || context.reply.started)
          throw error instanceof ProviderError ? upstreamProblem(error, model) : error;
        deps.health.failed(deployment.id, deps.now(), error.details.retryAfterMs);
        lastError = error;
      } finally {
        deployment.inFlight--;
      }
    }
  }
  if (lastError !== undefined) throw upstreamProblem(lastError, model);
  const wait = soonest === undefined ? 1 : Math.max(1, Math.ceil((soonest - deps.now()) / 1000));
  throw gatewayError(
    429,
    'no_deployment_available',
    `Every deployment of ${model} is cooling down or at its own rate limit; retry in ${wait} s`,
    { headers: { 'retry-after': String(wait) } },
  );
}

async function serveHit(
  deps: LlmCallDeps,
  route: LlmRoute,
  hit: NonNullable<Awaited<ReturnType<ResponseCache['get']>>>,
  reply: ClientReply,
  hash: string,
  attributes: Record<string, AttributeValue>,
  attribution: Attribution,
  /** Set for a semantic hit: the similarity of the question it was served for. */
  similarity?: number,
): Promise<void> {
  const saved = hit.cost?.status === 'priced' ? formatUsd(hit.cost.total) : undefined;
  const status = similarity === undefined ? 'hit' : 'semantic-hit';
  const handle = deps.tracer.startLlmSpan({
    kind: route.operation === 'embeddings' ? 'embedding' : 'llm',
    operation: route.operation === 'embeddings' ? 'embeddings' : 'chat',
    provider: hit.provider,
    requestModel: hit.model,
    requestHash: hash,
    traceId: reply.requestId,
    attribution,
    attributes: {
      ...attributes,
      'frugal.cache.status': status,
      'frugal.cache.source_span': hit.spanId,
      ...(similarity === undefined ? {} : { 'frugal.cache.similarity': similarity }),
      ...(saved === undefined ? {} : { 'frugal.cache.saved_usd': saved }),
    },
  });
  // A hit bills no tokens: its cost is 0 at the model's price, and what it saved is on the span.
  const span = handle.end({ usage: { input: 0, output: 0 }, responseModel: hit.model });
  reply.header('x-frugal-cache', status);
  if (similarity !== undefined) reply.header('x-frugal-cache-similarity', similarity.toFixed(4));
  if (saved !== undefined) reply.header('x-frugal-cache-saved-usd', saved);
  if (hit.kind === 'json') {
    reply.json(200, hit.body, { 'x-frugal-cost-usd': '0' });
    return;
  }
  reply.startStream({ 'content-type': hit.contentType });
  reply.endStream(costComment(span), hit.body);
}
