import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join } from 'node:path';
import type { FrugalConfig } from '../config/parse-config.js';
import type { DeploymentConfig } from '../config/parse-gateway-config.js';
import { consoleChannel, createAlertDispatcher, webhookChannel } from '../control/alert-delivery.js';
import type { BudgetCounter } from '../control/budget-counter.js';
import type { BudgetGuard } from '../control/budget-guard.js';
import { budgetsInForce } from '../control/budget-status.js';
import { createMemoryBudgetCounter } from '../control/memory-budget-counter.js';
import { createMemoryRateLimiter } from '../control/memory-rate-limiter.js';
import type { RateLimiter } from '../control/rate-limiter.js';
import { createRedisBudgetCounter } from '../control/redis-budget-counter.js';
import { createRedisRateLimiter } from '../control/redis-rate-limiter.js';
import { connectRedis, type RedisConnection } from '../control/redis-scripts.js';
import { createSharedBudgetGuard } from '../control/shared-budget-guard.js';
import type { AdmissionRequest, CallAdmission } from '../core/budgets/admission.js';
import { ConfigError } from '../core/errors.js';
import type { VirtualKeyRecord } from '../core/keys/virtual-key.js';
import { defaultPriceBook } from '../core/prices/default-price-book.js';
import type { Attribution } from '../core/spans/span.js';
import type { Store } from '../store/store.js';
import type { SpanInserter } from '../store/threaded-span-inserter.js';
import { createTracer } from '../tracing/create-tracer.js';
import { anthropicMessagesRecipe } from '../tracing/instrument-anthropic.js';
import { requestBound } from '../tracing/instrument-bound.js';
import { openAIEmbeddingsRecipe } from '../tracing/instrument-openai.js';
import { openAIChatRecipe } from '../tracing/instrument-openai-chat.js';
import { randomSpanIds } from '../tracing/span-ids.js';
import { type JournalGate, openSpanWriter } from '../tracing/span-writer.js';
import { createAdminApi } from './admin/admin-api.js';
import { cacheDirective } from './cache/cache-key.js';
import { openGatewaySemanticCache } from './cache/gateway-semantic-cache.js';
import { createMemoryResponseCache } from './cache/memory-response-cache.js';
import { createRedisResponseCache } from './cache/redis-response-cache.js';
import type { ResponseCache } from './cache/response-cache.js';
import { ClientReply, ungated } from './http/client-reply.js';
import {
  type ErrorDialect,
  errorReply,
  GatewayError,
  gatewayError,
  headerValue,
  type JsonReply,
} from './http/gateway-reply.js';
import { readBody } from './http/read-body.js';
import { parseLlmBody } from './http/validate-request.js';
import { createKeyRegistry } from './keys/key-registry.js';
import { noHeaders } from './proxy/attempt.js';
import { type LlmCallDeps, type LlmRoute, serveLlmCall } from './proxy/llm-call.js';
import { createBuiltInPolicy } from './routing/built-in-policy.js';
import { cachedOutcomeLoader, createDeployment, type Deployment } from './routing/deployment.js';
import { createDeploymentHealth } from './routing/deployment-health.js';
import type { RoutingPolicy } from './routing/routing-policy.js';
import { createUpstreamClient } from './upstream/upstream-client.js';

/** What a gateway is started from. */
export type GatewayOptions = {
  /** The parsed config: its `gateway:` section, prices, budgets and alert webhooks. */
  readonly config: FrugalConfig;
  /** The ledger spans go to (and virtual keys and stored budgets come from). Closed by `close`. */
  readonly store: Store;
  /** Where upstream keys and the master key are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Base of a relative journal directory (default `process.cwd()`). */
  readonly cwd?: string | undefined;
  /** Overrides of the config's host and port (`--port 0` picks a free one). */
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  /**
   * Where spans are inserted, when not into `store` on this thread: the CLI passes a SQLite file's threaded
   * inserter (store/threaded-span-inserter) so that batches do not hold up requests. Closed by `close`.
   */
  readonly spanInserter?: SpanInserter | undefined;
  /** Routing policies by name, for `gateway.router.policy`. */
  readonly policies?: Readonly<Record<string, RoutingPolicy>> | undefined;
  /** How often budgets and stored changes are re-read (default 5,000 ms). */
  readonly refreshMs?: number | undefined;
  readonly now?: (() => number) | undefined;
  /** Operational messages (default: stderr). Never given secrets. */
  readonly log?: ((line: string) => void) | undefined;
};

/** A listening gateway. `close` drains requests in flight, then flushes spend and releases everything. */
export type RunningGateway = {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly deployments: ReadonlyMap<string, readonly Deployment[]>;
  close(): Promise<void>;
};

/** The simulator models served when the config lists none: everything works offline, clearly labelled. */
function simulatorDeployments(file: string): DeploymentConfig[] {
  return ['sim/small', 'sim/medium', 'sim/large', 'sim/judge', 'sim/embed'].map((name, index) => ({
    id: `${name}#${index}`,
    modelName: name,
    provider: 'sim',
    model: name.slice(4),
    headers: {},
    weight: 1,
    origin: { file, path: 'gateway.model_list (default: simulator models)' },
  }));
}

const routes: Readonly<Record<string, LlmRoute>> = (() => {
  const chat: LlmRoute = {
    name: 'chat',
    dialect: 'openai',
    operation: 'chat',
    recipe: (deployment) => openAIChatRecipe(deployment.provider, deployment.streamUsage),
  };
  const messages: LlmRoute = {
    name: 'messages',
    dialect: 'anthropic',
    operation: 'messages',
    recipe: () => anthropicMessagesRecipe,
  };
  const embeddings: LlmRoute = {
    name: 'embeddings',
    dialect: 'openai',
    operation: 'embeddings',
    recipe: (deployment) => openAIEmbeddingsRecipe(deployment.provider),
  };
  return {
    '/v1/chat/completions': chat,
    '/chat/completions': chat,
    '/v1/messages': messages,
    '/v1/embeddings': embeddings,
    '/embeddings': embeddings,
  };
})();

/** Client headers a same-protocol upstream must see (Anthropic's version and beta flags). */
const forwarded = ['anthropic-version', 'anthropic-beta'];

function bearer(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    return match?.[1]?.trim();
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey.trim() : undefined;
}

function attributionOf(
  request: IncomingMessage,
  body: Readonly<Record<string, unknown>>,
  key: VirtualKeyRecord | undefined,
): Attribution {
  const header = (name: string) => {
    const value = request.headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    return text === undefined || text.trim() === '' ? undefined : text.trim().slice(0, 200);
  };
  const metadataUser = (body['metadata'] as { user_id?: unknown } | undefined)?.user_id;
  const bodyUser =
    typeof body['user'] === 'string'
      ? body['user']
      : typeof metadataUser === 'string'
        ? metadataUser
        : undefined;
  const tags = header('x-frugal-tags')
    ?.split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  const feature = header('x-frugal-feature') ?? key?.defaultFeature;
  const user = header('x-frugal-user') ?? (bodyUser === '' ? undefined : bodyUser?.slice(0, 200));
  // Assigned, not spread: this runs on every request.
  const attribution: { -readonly [K in keyof Attribution]: Attribution[K] } = {};
  if (feature !== undefined) attribution.feature = feature;
  if (user !== undefined) attribution.user = user;
  if (key !== undefined) attribution.apiKeyId = key.id;
  if (tags !== undefined && tags.length > 0) attribution.tags = tags;
  return attribution;
}

/** Sends a JSON reply once the spans recorded so far are journaled (an error may report earlier calls' cost). */
function sendJson(response: ServerResponse, reply: JsonReply, gate: JournalGate = ungated): void {
  const send = () => {
    if (response.headersSent) {
      response.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...reply.headers,
    });
    response.end(text);
  };
  gate.whenJournaled(send);
}

/**
 * Starts the gateway: an OpenAI-compatible (`/v1/chat/completions`, `/v1/embeddings`, `/v1/models`) and
 * Anthropic-compatible (`/v1/messages`) HTTP server that authenticates virtual keys, enforces rate limits and
 * hard budgets (shared through Redis when `gateway.redis` is set), serves the exact cache, balances, retries
 * and falls back among deployments, and records every call as a priced span: journaled before the client gets
 * the end of its answer, stored in batches.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, store } = options;
  const settings = config.gateway;
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const cwd = options.cwd ?? process.cwd();

  const byName = new Map<string, Deployment[]>();
  const outcomeSets = cachedOutcomeLoader();
  const configured =
    settings.deployments.length > 0 ? settings.deployments : simulatorDeployments(config.file);
  for (const deploymentConfig of configured) {
    const deployment = createDeployment(deploymentConfig, env, settings.router.timeoutMs, outcomeSets);
    byName.set(deployment.modelName, [...(byName.get(deployment.modelName) ?? []), deployment]);
  }
  const policyName = settings.router.policy;
  const builtIn = policyName === undefined ? undefined : settings.policies[policyName];
  const policy =
    policyName === undefined
      ? undefined
      : builtIn !== undefined
        ? createBuiltInPolicy(builtIn, new Set(byName.keys()))
        : options.policies?.[policyName];
  if (policyName !== undefined && policy === undefined) {
    throw new ConfigError(
      config.file,
      'gateway.router.policy',
      `expected a policy of gateway.policies or one registered with startGateway, found '${policyName}'`,
    );
  }

  let redis: RedisConnection | undefined;
  if (settings.redis !== undefined)
    redis = await connectRedis(settings.redis, (error) =>
      log(`frugal gateway: redis: ${(error as Error).message}`),
    );
  const counter: BudgetCounter = redis ? createRedisBudgetCounter(redis) : createMemoryBudgetCounter({ now });
  const limiter: RateLimiter = redis ? createRedisRateLimiter(redis) : createMemoryRateLimiter();
  let cache: ResponseCache | undefined;
  if (settings.cache.enabled) {
    cache =
      settings.cache.backend === 'redis' && settings.redis !== undefined
        ? await createRedisResponseCache({
            url: settings.redis,
            onError: (error: unknown) => log(`frugal gateway: cache: ${(error as Error).message}`),
          })
        : createMemoryResponseCache({ maxEntries: settings.cache.maxEntries, now });
  }
  const semantic =
    settings.semanticCache === undefined
      ? undefined
      : await openGatewaySemanticCache(settings.semanticCache, { file: config.file, env, redis, now, log });

  const alerts = createAlertDispatcher(
    [consoleChannel((line) => log(line)), ...config.alerts.webhooks.map((hook) => webhookChannel(hook))],
    (error) => log(`frugal gateway: alert delivery: ${error.message}`),
  );
  // Budgets: the config's and the store's (per-key budgets are stored ones), re-read every refresh. The counter
  // outlives each guard, so reservations in flight survive a reload.
  let guard: BudgetGuard | undefined;
  let budgetsText = '';
  const loadBudgets = async () => {
    const stored = await store.listBudgets();
    const inForce = budgetsInForce(config.budgets, stored).budgets.map((entry) => entry.budget);
    const text = JSON.stringify(inForce, (_key, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    if (text === budgetsText) return;
    budgetsText = text;
    guard =
      inForce.length === 0
        ? undefined
        : createSharedBudgetGuard({
            budgets: inForce,
            store,
            counter,
            now,
            onAlert: (alert) => alerts.dispatch(alert),
            onError: (error) => log(`frugal gateway: budgets: ${(error as Error).message}`),
          });
  };
  await loadBudgets();
  // Warm what the first admitted request would otherwise wait for (1–2 s): each budget's period opened (the
  // ledger read once) and, when prompts are counted (budgets, tokens-per-minute limits), the models' tokenizers.
  const countsPrompts =
    guard !== undefined ||
    Object.values(settings.rateLimits).some((limit) => limit.tpm !== undefined) ||
    settings.deployments.some((deployment) => deployment.tpm !== undefined);
  await guard?.states();
  if (countsPrompts) {
    const models = new Set([...byName.values()].flat().map((deployment) => deployment.model));
    await Promise.all(
      [...models].map((model) =>
        requestBound({ model, messages: [{ role: 'user', content: 'warm-up' }] }, false),
      ),
    );
  }
  const admission: CallAdmission = {
    // A reload may leave no budget while a request is being admitted: it then has nothing to reserve.
    admit: async (request: AdmissionRequest) =>
      guard === undefined ? { settle() {} } : guard.admit(request),
  };

  const journal = isAbsolute(settings.journal) ? settings.journal : join(cwd, settings.journal);
  // Requests being served (for the journal's grouping, and the drain on shutdown).
  let inFlight = 0;
  const writer = await openSpanWriter({
    store: options.spanInserter ?? store,
    journalDirectory: journal,
    // Spans are journaled before the reply; the batches to the store only need to be big enough to share a
    // transaction. Every 50 ms by default (not the writer's second) a span is released before V8 promotes it to
    // the old generation: under load that cut the GC threads' CPU per request by a quarter to a third and took
    // ~8 MB off the peak RSS (bench:gateway), for ~40% more insert CPU per span on the SQLite worker thread.
    flushIntervalMs: settings.storeFlushMs,
    batchSize: 256,
    // One journal write per event-loop turn for every span it recorded; replies wait for it (ClientReply, sendJson).
    groupJournalWrites: true,
    // Except when one request is all there is: its span is written as soon as it ends, and its reply leaves without
    // waiting for the rest of the turn (at one request at a time that took ~20 µs off the latency added, bench:gateway).
    writeJournalSoon: () => inFlight <= 1,
    flushOnExit: false,
    onError: (error) => log(`frugal gateway: spans: ${error.message}`),
  });
  const tracer = createTracer({
    sink: writer,
    priceBook: defaultPriceBook().withPrices(config.prices),
    admission,
    onError: (error) => log(`frugal gateway: tracing: ${(error as Error).message}`),
  });
  const upstream = createUpstreamClient();
  const ids = randomSpanIds();
  const health = createDeploymentHealth(settings.router);
  const masterKeyName = settings.masterKeyEnv;
  const masterKey = masterKeyName === undefined ? undefined : env[masterKeyName] || undefined;
  const requireKey = settings.requireKey ?? masterKey !== undefined;
  const registry = createKeyRegistry({ store, now });
  const admin = createAdminApi({ store, masterKey, registry, now });

  const deps: LlmCallDeps = {
    tracer: { ...tracer, admit: undefined },
    upstream,
    deployments: byName,
    health,
    router: settings.router,
    policy,
    limiter,
    modelLimits: Object.fromEntries(
      Object.entries(settings.rateLimits).map(([name, limit]) => [
        name,
        { requestsPerMinute: limit.rpm, tokensPerMinute: limit.tpm },
      ]),
    ),
    cache: cache === undefined ? undefined : { store: cache, ttlMs: settings.cache.ttlMs },
    semantic,
    now,
  };
  // Admission only while some budget is in force: without one, no prompt is counted before sending.
  const admittingDeps: LlmCallDeps = { ...deps, tracer };
  const depsNow = () => (guard === undefined ? deps : admittingDeps);

  const refresh = setInterval(() => {
    loadBudgets().catch((error: unknown) =>
      log(`frugal gateway: reloading budgets: ${(error as Error).message}`),
    );
  }, options.refreshMs ?? 5_000);
  refresh.unref();

  let draining = false;
  let drained: (() => void) | undefined;

  const authenticate = async (request: IncomingMessage): Promise<VirtualKeyRecord | undefined> => {
    const secret = bearer(request);
    if (secret === undefined) {
      if (requireKey) {
        throw gatewayError(
          401,
          'missing_api_key',
          "You didn't provide an API key. Send a frugal virtual key as 'Authorization: Bearer sk-frugal-...'",
        );
      }
      return undefined;
    }
    const found = await registry.authenticate(secret);
    if (found.ok) return found.key;
    if (!requireKey && masterKey === undefined && found.reason === 'unknown') return undefined;
    const why =
      found.reason === 'unknown' ? 'Incorrect API key provided' : `This API key has been ${found.reason}`;
    throw gatewayError(401, 'invalid_api_key', `${why}. Create keys with POST /admin/keys.`);
  };

  const listModels = (key: VirtualKeyRecord | undefined) => ({
    object: 'list',
    data: [...byName.keys()]
      .filter((name) => key?.allowedModels === undefined || key.allowedModels.includes(name))
      .map((name) => ({
        id: name,
        object: 'model',
        created: 0,
        owned_by: byName.get(name)![0]!.provider,
      })),
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?', 1)[0]!;
    const method = request.method ?? 'GET';
    const dialect: ErrorDialect = path === '/v1/messages' ? 'anthropic' : 'openai';
    let requestId: string | undefined;
    try {
      if (path === '/health' || path === '/health/liveness') {
        sendJson(response, { status: 200, body: { status: 'ok' } });
        return;
      }
      if (path === '/ready' || path === '/health/readiness') {
        sendJson(
          response,
          draining
            ? { status: 503, body: { status: 'draining' } }
            : { status: 200, body: { status: 'ready' } },
        );
        return;
      }
      if (draining)
        throw gatewayError(503, 'shutting_down', 'This gateway replica is shutting down; retry on another');
      if (path.startsWith('/admin/')) {
        const body =
          method === 'GET' || method === 'DELETE'
            ? Buffer.alloc(0)
            : await readBody(request, settings.maxBodyBytes);
        let parsed: unknown;
        if (body.length > 0) {
          try {
            parsed = JSON.parse(body.toString('utf8'));
          } catch (error) {
            throw gatewayError(
              400,
              'invalid_json',
              `The request body is not valid JSON: ${(error as Error).message}`,
            );
          }
        }
        const answer = await admin.handle({ method, path, headers: request.headers, body: parsed });
        // A key created with a budget is held to it at once on this replica (others re-read within refreshMs).
        if (method !== 'GET' && answer.status < 300) await loadBudgets();
        sendJson(response, answer);
        return;
      }
      if (path === '/v1/models' || path === '/models') {
        if (method !== 'GET') throw gatewayError(405, 'method_not_allowed', `${path} answers GET only`);
        sendJson(response, { status: 200, body: listModels(await authenticate(request)) });
        return;
      }
      const route = routes[path];
      if (route === undefined)
        throw gatewayError(404, 'not_found', `No route ${method} ${path} on this gateway`);
      if (method !== 'POST') throw gatewayError(405, 'method_not_allowed', `${path} answers POST only`);
      const raw = await readBody(request, settings.maxBodyBytes);
      const key = await authenticate(request);
      const body = parseLlmBody(raw, route.name);
      requestId = ids.traceId();
      const reply = new ClientReply(response, requestId, writer.journal);
      const attribution = attributionOf(request, body, key);
      let forwardHeaders: Readonly<Record<string, string>> = noHeaders;
      for (const name of forwarded) {
        const value = headerValue(request, name);
        if (value !== undefined) forwardHeaders = { ...forwardHeaders, [name]: value };
      }
      const current = depsNow();
      try {
        await serveLlmCall(
          current,
          route,
          { body, rawBody: raw, key, cache: cacheDirective(request.headers), forwardHeaders, attribution },
          reply,
        );
      } catch (error) {
        if (reply.started) {
          reply.end();
          if (!(error instanceof GatewayError)) log(`frugal gateway: ${path}: ${(error as Error).message}`);
          return;
        }
        throw error;
      }
    } catch (error) {
      const idHeader = requestId === undefined ? {} : { 'x-frugal-request-id': requestId };
      if (error instanceof GatewayError) {
        const reply = errorReply(error.problem, dialect);
        sendJson(response, { ...reply, headers: { ...reply.headers, ...idHeader } }, writer.journal);
        return;
      }
      if (response.destroyed) return;
      log(`frugal gateway: ${method} ${path}: ${(error as Error)?.stack ?? String(error)}`);
      const reply = errorReply(
        {
          status: 500,
          code: 'internal_error',
          message: `The gateway failed: ${(error as Error)?.message ?? String(error)}`,
        },
        dialect,
      );
      sendJson(response, { ...reply, headers: { ...reply.headers, ...idHeader } }, writer.journal);
    }
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    inFlight++;
    response.on('close', () => {
      inFlight--;
      if (draining && inFlight === 0) drained?.();
    });
    handle(request, response).catch((error: unknown) => {
      log(`frugal gateway: ${(error as Error)?.stack ?? String(error)}`);
      sendJson(
        response,
        errorReply({ status: 500, code: 'internal_error', message: 'The gateway failed' }),
        writer.journal,
      );
    });
  });
  server.on('clientError', (error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy(error);
  });
  const host = options.host ?? settings.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? settings.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    server,
    deployments: byName,
    close() {
      closing ??= (async () => {
        draining = true;
        server.close();
        server.closeIdleConnections();
        if (inFlight > 0) {
          await new Promise<void>((resolve) => {
            drained = resolve;
            setTimeout(resolve, settings.shutdownGraceMs).unref();
          });
        }
        server.closeAllConnections();
        clearInterval(refresh);
        await tracer.flush();
        await writer.close();
        await options.spanInserter?.close();
        await alerts.settled();
        await Promise.all([upstream.close(), cache?.close(), semantic?.close()]);
        await redis?.close();
        await store.close();
      })();
      return closing;
    },
  };
}
