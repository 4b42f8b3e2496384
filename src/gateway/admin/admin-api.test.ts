import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InspectableStore } from '../../store/inspectable-store.js';
import { openStore } from '../../store/open-store.js';
import type { GatewayRequest, JsonReply } from '../http/gateway-reply.js';
import { createKeyRegistry, type KeyRegistry } from '../keys/key-registry.js';
import { hashKeySecret } from '../keys/key-secret.js';
import { type AdminApi, createAdminApi } from './admin-api.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-admin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const masterKey = 'sk-master-correct-horse-battery-staple';
const t0 = Date.UTC(2026, 5, 1, 12);
const clock = { time: t0 };

let store: InspectableStore;
let registry: KeyRegistry;
let admin: AdminApi;
let counter = 0;

beforeEach(async () => {
  clock.time = t0;
  store = await openStore(join(root, `admin-${counter++}.db`));
  registry = createKeyRegistry({ store, now: () => clock.time, cacheTtlMs: 60_000 });
  admin = createAdminApi({ store, masterKey, registry, now: () => clock.time });
});
afterEach(async () => {
  await store.close();
});

function request(
  method: string,
  path: string,
  body?: unknown,
  bearer: string | null = masterKey,
): GatewayRequest {
  return {
    method,
    path,
    headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
    body,
  };
}

type Body = Record<string, unknown> & {
  error?: { message: string; type: string; param: string | null; code: string };
};
const bodyOf = (reply: JsonReply) => reply.body as Body;

async function create(body: unknown = {}) {
  const reply = await admin.handle(request('POST', '/admin/keys', body));
  expect(reply.status).toBe(201);
  return bodyOf(reply) as Body & { id: string; key: string };
}

describe('admin API: keys', () => {
  it('creates a key whose secret authenticates, lists it without the secret, and revokes it', async () => {
    const created = await create({
      name: 'search prod',
      models: ['gpt-4o', 'sim/fast'],
      rpm: 600,
      tpm: 100_000,
      feature: 'search',
      metadata: { team: 'search' },
    });
    expect(created.key).toMatch(/^sk-frugal-[0-9A-Za-z]{32}$/);
    expect(created).toStrictEqual({
      id: expect.stringMatching(/^key_[0-9a-f]{16}$/),
      key: created.key,
      prefix: created.key.slice(0, 14),
      name: 'search prod',
      models: ['gpt-4o', 'sim/fast'],
      rpm: 600,
      tpm: 100_000,
      feature: 'search',
      metadata: { team: 'search' },
      created_at: '2026-06-01T12:00:00.000Z',
      expires_at: null,
      revoked_at: null,
      budgets: [],
    });
    const stored = await store.getVirtualKey(created.id);
    expect(stored?.hash).toBe(hashKeySecret(created.key));
    expect(stored).toMatchObject({ allowedModels: ['gpt-4o', 'sim/fast'], defaultFeature: 'search' });

    const authenticated = await registry.authenticate(created.key);
    expect(authenticated).toStrictEqual({ ok: true, key: stored });

    const list = await admin.handle(request('GET', '/admin/keys'));
    expect(list.status).toBe(200);
    const { key: _secret, ...shown } = created;
    expect(bodyOf(list)).toStrictEqual({ data: [shown] });
    const one = await admin.handle(request('GET', `/admin/keys/${created.id}`));
    expect(bodyOf(one)).toStrictEqual(shown);
    for (const reply of [list, one]) {
      expect(JSON.stringify(reply.body)).not.toContain(created.key.slice(10));
      expect(JSON.stringify(reply.body)).not.toContain(stored!.hash);
    }

    clock.time += 1_000;
    const revoked = await admin.handle(request('DELETE', `/admin/keys/${created.id}`));
    expect(revoked.status).toBe(200);
    expect(bodyOf(revoked)).toStrictEqual({ id: created.id, revoked_at: '2026-06-01T12:00:01.000Z' });
    // The registry had the key cached for a minute: the admin API's invalidate makes revocation immediate.
    expect(await registry.authenticate(created.key)).toStrictEqual({ ok: false, reason: 'revoked' });
    clock.time += 1_000;
    const again = await admin.handle(request('DELETE', `/admin/keys/${created.id}`));
    expect(bodyOf(again)).toStrictEqual({ id: created.id, revoked_at: '2026-06-01T12:00:01.000Z' });
    const after = bodyOf(await admin.handle(request('GET', `/admin/keys/${created.id}`)));
    expect(after['revoked_at']).toBe('2026-06-01T12:00:01.000Z');
  });

  it('creates a key from an empty body: every model, no limits, no budget', async () => {
    const created = await create(undefined);
    expect(created).toMatchObject({ name: null, models: null, rpm: null, metadata: {}, budgets: [] });
    expect(await store.listBudgets()).toEqual([]);
    expect((await registry.authenticate(created.key)).ok).toBe(true);
  });

  it('makes a key that expires, refused from its expiry on', async () => {
    const created = await create({ expires_at: '2026-06-01T14:00:01+02:00' });
    expect(created['expires_at']).toBe('2026-06-01T12:00:01.000Z');
    expect((await store.getVirtualKey(created.id))?.expiresAt).toBe(t0 + 1_000);
    expect((await registry.authenticate(created.key)).ok).toBe(true);
    clock.time += 999;
    expect((await registry.authenticate(created.key)).ok).toBe(true);
    clock.time += 1;
    expect(await registry.authenticate(created.key)).toStrictEqual({ ok: false, reason: 'expired' });
  });

  it('stores a budget as an ordinary Budget row, exactly, with the defaults', async () => {
    const created = await create({ budget_usd: '0.000000000001' });
    expect(await store.listBudgets()).toStrictEqual([
      {
        id: `key:${created.id}/month`,
        scope: { kind: 'key', value: created.id },
        period: 'month',
        timeZone: 'UTC',
        limit: 1n,
        hard: true,
        thresholds: [50, 80, 90, 100],
      },
    ]);
    expect(created['budgets']).toStrictEqual([
      {
        id: `key:${created.id}/month`,
        period: 'month',
        limit_usd: '0.000000000001',
        hard: true,
        time_zone: 'UTC',
        thresholds: [50, 80, 90, 100],
      },
    ]);
    const custom = await create({
      budget_usd: 12.34,
      budget_period: 'day',
      budget_hard: false,
      budget_time_zone: 'Europe/Berlin',
      budget_thresholds: [75, 100],
    });
    const budgets = await store.listBudgets();
    expect(budgets.find((budget) => budget.id === `key:${custom.id}/day`)).toStrictEqual({
      id: `key:${custom.id}/day`,
      scope: { kind: 'key', value: custom.id },
      period: 'day',
      timeZone: 'Europe/Berlin',
      limit: 12_340_000_000_000n,
      hard: false,
      thresholds: [75, 100],
    });
    const large = await create({ budget_usd: '123456789.123456789012' });
    const shown = bodyOf(await admin.handle(request('GET', `/admin/keys/${large.id}`)));
    expect((shown['budgets'] as { limit_usd: string }[])[0]?.limit_usd).toBe('123456789.123456789012');
    expect((await store.listBudgets()).find((budget) => budget.id === `key:${large.id}/month`)?.limit).toBe(
      123_456_789_123_456_789_012n,
    );
  });

  it('answers 404 for an unknown key, and never echoes a secret sent as an id', async () => {
    for (const method of ['GET', 'DELETE']) {
      const reply = await admin.handle(request(method, '/admin/keys/key_0000000000000000'));
      expect(reply.status).toBe(404);
      expect(bodyOf(reply).error).toMatchObject({
        type: 'not_found_error',
        code: 'key_not_found',
        param: 'id',
      });
    }
    const { key } = await create();
    const reply = await admin.handle(request('DELETE', `/admin/keys/${key}`));
    expect(reply.status).toBe(404);
    expect(JSON.stringify(reply.body)).not.toContain(key.slice(10));
  });
});

describe('admin API: validation', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['a model that is not text', { models: ['gpt-4o', 3] }, 'models[1]', /expected a model name .*, found 3/],
    [
      'models that are not a list',
      { models: 'gpt-4o' },
      'models',
      /expected a list of model names, found "gpt-4o"/,
    ],
    [
      'a fractional rpm',
      { rpm: 1.5 },
      'rpm',
      /expected a whole number of requests per minute ≥ 1, found 1\.5/,
    ],
    ['a zero tpm', { tpm: 0 }, 'tpm', /expected a whole number of tokens per minute ≥ 1, found 0/],
    [
      'a metadata value that is not text',
      { metadata: { team: 7 } },
      'metadata.team',
      /expected a label value \(text\), found 7/,
    ],
    [
      'an expiry without a zone',
      { expires_at: '2026-12-31' },
      'expires_at',
      /expected an ISO 8601 date-time.*found "2026-12-31"/,
    ],
    [
      'an expiry in the past',
      { expires_at: '2026-01-01T00:00:00Z' },
      'expires_at',
      /expected a time in the future/,
    ],
    [
      'a budget in floating point',
      { budget_usd: 1e-7 },
      'budget_usd',
      /with at most 12 decimals.*found 1e-7/,
    ],
    [
      'a budget with 13 decimals',
      { budget_usd: '0.0000000000001' },
      'budget_usd',
      /found "0\.0000000000001"/,
    ],
    ['a budget of 0', { budget_usd: '0' }, 'budget_usd', /expected a USD amount above 0/],
    ['a negative budget', { budget_usd: -5 }, 'budget_usd', /found -5/],
    [
      'an unknown period',
      { budget_usd: 1, budget_period: 'year' },
      'budget_period',
      /expected one of hour, day, week, month, found "year"/,
    ],
    [
      'an unknown zone',
      { budget_usd: 1, budget_time_zone: 'Mars/Olympus' },
      'budget_time_zone',
      /found "Mars\/Olympus"/,
    ],
    [
      'thresholds out of order',
      { budget_usd: 1, budget_thresholds: [80, 50] },
      'budget_thresholds',
      /ascending.*found \[80,50\]/,
    ],
    [
      'a budget period without an amount',
      { budget_period: 'day' },
      'budget_usd',
      /expected an amount, since budget_period is given: .*, found nothing/,
    ],
    ['a body that is not an object', ['name'], 'body', /expected a JSON object, found \["name"\]/],
    ['an empty name', { name: '  ' }, 'name', /expected a name: text of 1 to 200 characters/],
  ];

  it.each(cases)('refuses %s with a 400 naming the param', async (_, body, param, message) => {
    const reply = await admin.handle(request('POST', '/admin/keys', body));
    expect(reply.status).toBe(400);
    const error = bodyOf(reply).error!;
    expect(error.param).toBe(param);
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`'${param}'`);
    expect(await store.listVirtualKeys()).toEqual([]);
    expect(await store.listBudgets()).toEqual([]);
  });

  it('refuses an unknown field, naming it and the fields it knows', async () => {
    const reply = await admin.handle(request('POST', '/admin/keys', { budget_ud: '10' }));
    expect(reply.status).toBe(400);
    expect(bodyOf(reply).error).toMatchObject({ param: 'budget_ud', code: 'unknown_parameter' });
    expect(bodyOf(reply).error?.message).toMatch(
      /Unknown field 'budget_ud': expected one of name, models, .*budget_usd/,
    );
  });

  it('takes null as absent', async () => {
    const created = await create({ name: null, models: null, budget_usd: null, expires_at: null });
    expect(created).toMatchObject({ name: null, models: null, expires_at: null, budgets: [] });
  });
});

describe('admin API: access', () => {
  it('answers 401 without the master key or with a wrong one, saying nothing of the key sent', async () => {
    const wrong = 'sk-frugal-0123456789abcdefghijABCDEFGHIJ';
    const replies = [
      await admin.handle(request('GET', '/admin/keys', undefined, null)),
      await admin.handle({ ...request('GET', '/admin/keys'), headers: { authorization: masterKey } }),
      await admin.handle(request('GET', '/admin/keys', undefined, wrong)),
      await admin.handle(request('POST', '/admin/keys', {}, `${masterKey}x`)),
      await admin.handle(request('GET', '/admin/keys', undefined, masterKey.slice(0, -1))),
    ];
    for (const reply of replies) {
      expect(reply.status).toBe(401);
      expect(bodyOf(reply).error?.type).toBe('authentication_error');
      expect(JSON.stringify(reply.body)).not.toContain(wrong.slice(10));
      expect(JSON.stringify(reply.body)).not.toContain(masterKey.slice(10));
    }
    expect(bodyOf(replies[0]!).error?.code).toBe('missing_api_key');
    expect(bodyOf(replies[2]!).error?.code).toBe('invalid_api_key');
    expect(await store.listVirtualKeys()).toEqual([]);
  });

  it('accepts the master key whatever the case of Bearer', async () => {
    const reply = await admin.handle({
      ...request('GET', '/admin/keys'),
      headers: { authorization: `bearer ${masterKey}` },
    });
    expect(reply.status).toBe(200);
  });

  it('answers 403 when no master key is configured, saying how to enable it', async () => {
    for (const disabled of [undefined, '']) {
      const off = createAdminApi({ store, masterKey: disabled, registry, now: () => clock.time });
      const reply = await off.handle(request('POST', '/admin/keys', {}, ''));
      expect(reply.status).toBe(403);
      expect(bodyOf(reply).error?.message).toMatch(/admin API is disabled.*master_key_env/);
    }
    expect(await store.listVirtualKeys()).toEqual([]);
  });

  it('answers 404 for unknown routes and 405 for wrong methods, with Allow', async () => {
    expect((await admin.handle(request('GET', '/admin/users'))).status).toBe(404);
    expect((await admin.handle(request('GET', '/admin/keys/a/b'))).status).toBe(404);
    expect((await admin.handle(request('GET', '/v1/models'))).status).toBe(404);
    const put = await admin.handle(request('PUT', '/admin/keys', {}));
    expect(put.status).toBe(405);
    expect(put.headers?.['allow']).toBe('GET, POST');
    const post = await admin.handle(request('POST', '/admin/keys/key_0000000000000000', {}));
    expect(post.status).toBe(405);
    expect(post.headers?.['allow']).toBe('GET, DELETE');
    expect((await admin.handle(request('GET', '/admin/keys/'))).status).toBe(200);
  });

  it('marks every reply not to be cached', async () => {
    const created = await admin.handle(request('POST', '/admin/keys', {}));
    const refused = await admin.handle(request('GET', '/admin/keys', undefined, 'nope'));
    for (const reply of [created, refused]) expect(reply.headers?.['cache-control']).toBe('no-store');
  });
});
