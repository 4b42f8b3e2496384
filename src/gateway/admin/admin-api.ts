import { type Budget, defaultBudgetId } from '../../core/budgets/budget.js';
import type { VirtualKeyRecord } from '../../core/keys/virtual-key.js';
import type { Store } from '../../store/store.js';
import {
  errorReply,
  GatewayError,
  type GatewayRequest,
  gatewayError,
  headerValue,
  type JsonReply,
} from '../http/gateway-reply.js';
import type { KeyRegistry } from '../keys/key-registry.js';
import { hashKeySecret, keyPrefix, newKeyId, newKeySecret, secretsEqual } from '../keys/key-secret.js';
import { parseCreateKeyBody } from './admin-key-body.js';
import { budgetsOfKey, keyJson } from './admin-key-json.js';

export type AdminApiOptions = {
  readonly store: Pick<
    Store,
    'putVirtualKey' | 'getVirtualKey' | 'listVirtualKeys' | 'revokeVirtualKey' | 'putBudget' | 'listBudgets'
  >;
  /** The master key (from the variable `master_key_env` names); undefined or empty: admin API off (403). */
  readonly masterKey: string | undefined;
  readonly registry: Pick<KeyRegistry, 'invalidate'>;
  /** Epoch ms (default `Date.now`). */
  readonly now?: (() => number) | undefined;
};

export type AdminApi = {
  /** Answers one request under `/admin/`; store failures are thrown for the server's error handler. */
  handle(request: GatewayRequest): Promise<JsonReply>;
};

/** Admin replies hold secrets (the creation reply) or key details: no cache may keep them. */
const noStore = { 'cache-control': 'no-store' } as const;

const reply = (status: number, body: unknown): JsonReply => ({ status, body, headers: noStore });

/**
 * The gateway's admin API, LiteLLM-like, behind `Authorization: Bearer <master key>`:
 *
 * - `POST /admin/keys` creates a virtual key (and its budget, with `budget_usd`); the reply's `key` is the
 *   secret, shown there only: the store keeps its SHA-256.
 * - `GET /admin/keys` lists keys, `GET /admin/keys/:id` shows one, each with the budgets scoped on it.
 * - `DELETE /admin/keys/:id` revokes a key: refused at once by this process's registry, by other replicas
 *   within their registries' cache time.
 *
 * Secrets and hashes appear in no other reply and in no error message. Errors are OpenAI-shaped.
 */
export function createAdminApi(options: AdminApiOptions): AdminApi {
  const { store, registry } = options;
  const now = options.now ?? Date.now;
  const masterKey = options.masterKey === '' ? undefined : options.masterKey;

  function authorize(request: GatewayRequest): void {
    if (masterKey === undefined) {
      throw gatewayError(
        403,
        'admin_disabled',
        'The admin API is disabled: set master_key_env in the gateway config to the name of an environment ' +
          'variable that holds the master key, and restart the gateway',
      );
    }
    const header = headerValue(request, 'authorization');
    const token = header === undefined ? undefined : /^Bearer[ \t]+(.+?)[ \t]*$/i.exec(header)?.[1];
    if (token === undefined) {
      throw gatewayError(
        401,
        'missing_api_key',
        "The admin API needs the master key: send 'Authorization: Bearer <master key>'",
      );
    }
    if (!secretsEqual(token, masterKey)) {
      throw gatewayError(401, 'invalid_api_key', 'Incorrect master key provided');
    }
  }

  async function createKey(body: unknown): Promise<JsonReply> {
    const time = now();
    const { budget: requested, ...fields } = parseCreateKeyBody(body, time);
    const secret = newKeySecret();
    let id = newKeyId();
    // 64 random bits collide about never; a collision must still not replace another key.
    while ((await store.getVirtualKey(id)) !== undefined) id = newKeyId();
    const key: VirtualKeyRecord = {
      id,
      hash: hashKeySecret(secret),
      prefix: keyPrefix(secret),
      createdAt: time,
      ...fields,
    };
    const budgets: Budget[] = [];
    if (requested !== undefined) {
      const scope = { kind: 'key', value: id } as const;
      budgets.push({ id: defaultBudgetId(scope, requested.period), scope, ...requested });
    }
    // The budget first: a key must never be usable without the budget it was created with.
    for (const budget of budgets) await store.putBudget(budget);
    await store.putVirtualKey(key);
    const { id: _, ...shown } = keyJson(key, budgets);
    return reply(201, { id, key: secret, ...shown });
  }

  async function showKey(id: string): Promise<JsonReply> {
    const key = await store.getVirtualKey(id);
    if (key === undefined) throw unknownKey(id);
    return reply(200, keyJson(key, budgetsOfKey(await store.listBudgets(), id)));
  }

  async function listKeys(): Promise<JsonReply> {
    const [keys, budgets] = await Promise.all([store.listVirtualKeys(), store.listBudgets()]);
    return reply(200, { data: keys.map((key) => keyJson(key, budgetsOfKey(budgets, key.id))) });
  }

  async function revokeKey(id: string): Promise<JsonReply> {
    const time = now();
    const revoked = await store.revokeVirtualKey(id, time);
    // Revoked now or before (DELETE is idempotent): either way, this process must stop accepting it.
    const key = revoked ? undefined : await store.getVirtualKey(id);
    if (!revoked && key === undefined) throw unknownKey(id);
    registry.invalidate(id);
    const revokedAt = key?.revokedAt ?? time;
    return reply(200, { id, revoked_at: new Date(revokedAt).toISOString() });
  }

  async function route(request: GatewayRequest): Promise<JsonReply> {
    const method = request.method.toUpperCase();
    const parts = request.path.replace(/\/+$/, '').split('/').slice(2);
    if (parts[0] === 'keys' && parts.length === 1) {
      if (method === 'POST') return createKey(request.body);
      if (method === 'GET') return listKeys();
      throw notAllowed(method, request.path, 'GET, POST');
    }
    if (parts[0] === 'keys' && parts.length === 2) {
      const id = decodeSegment(parts[1]!);
      if (id === undefined) throw unknownKey(parts[1]!);
      if (method === 'GET') return showKey(id);
      if (method === 'DELETE') return revokeKey(id);
      throw notAllowed(method, request.path, 'GET, DELETE');
    }
    throw gatewayError(404, 'not_found', `No admin route ${method} ${redact(request.path)}`);
  }

  return {
    async handle(request) {
      try {
        if (!/^\/admin(\/|$)/.test(request.path)) {
          throw gatewayError(404, 'not_found', `Not an admin path: ${redact(request.path)}`);
        }
        authorize(request);
        return await route(request);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        const failed = errorReply(error.problem);
        return { ...failed, headers: { ...failed.headers, ...noStore } };
      }
    },
  };
}

function unknownKey(id: string): GatewayError {
  return gatewayError(404, 'key_not_found', `No virtual key with id '${redact(id)}'`, { param: 'id' });
}

function notAllowed(method: string, path: string, allow: string): GatewayError {
  return gatewayError(
    405,
    'method_not_allowed',
    `${method} is not allowed on ${redact(path)} (allowed: ${allow})`,
    {
      headers: { allow },
    },
  );
}

/** Text echoed in an error, with anything shaped like a secret (`sk-…`) cut to its first characters. */
function redact(text: string): string {
  return text.replace(/sk-[\w-]*/gi, (secret) => `${secret.slice(0, 3)}…`).slice(0, 200);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
