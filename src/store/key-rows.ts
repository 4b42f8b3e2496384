import { StoreError } from '../core/errors.js';
import type { VirtualKeyRecord } from '../core/keys/virtual-key.js';
import {
  checkCount,
  checkText,
  type EvalColumnValue,
  fail,
  optionalColumn,
  optionalText,
} from './eval-columns.js';
import { exactJson, parseJsonObject } from './exact-json.js';
import type { SpendDialect } from './spend-sql.js';

/** The columns of the `virtual_keys` table, in the order `keyValues` returns them. */
export const keyColumns = [
  'id',
  'hash',
  'prefix',
  'name',
  'created_at',
  'revoked_at',
  'expires_at',
  'allowed_models',
  'requests_per_minute',
  'tokens_per_minute',
  'default_feature',
  'metadata',
] as const;

const sha256Hex = /^[0-9a-f]{64}$/;

/** A key's column values; a RangeError naming the key (by id, never by hash) and the field otherwise. */
export function keyValues(key: VirtualKeyRecord): EvalColumnValue[] {
  const subject = `virtual key '${String(key.id)}'`;
  checkText(subject, 'id', key.id, true);
  if (typeof key.hash !== 'string' || !sha256Hex.test(key.hash)) {
    fail(subject, 'hash must be 64 lowercase hex digits (a SHA-256)');
  }
  const optionalCount = (field: string, value: unknown) =>
    value === undefined ? null : checkCount(subject, field, value);
  let models: string | null = null;
  if (key.allowedModels !== undefined) {
    if (!Array.isArray(key.allowedModels)) fail(subject, 'allowedModels must be a list of model names');
    key.allowedModels.forEach((model, index) => {
      checkText(subject, `allowedModels[${index}]`, model, true);
    });
    models = exactJson(key.allowedModels, `${subject}: allowedModels`);
  }
  if (typeof key.metadata !== 'object' || key.metadata === null || Array.isArray(key.metadata)) {
    fail(subject, 'metadata must be an object of strings');
  }
  for (const [label, value] of Object.entries(key.metadata)) checkText(subject, `metadata.${label}`, value);
  return [
    key.id,
    key.hash,
    checkText(subject, 'prefix', key.prefix),
    optionalText(subject, 'name', key.name),
    checkCount(subject, 'createdAt', key.createdAt),
    optionalCount('revokedAt', key.revokedAt),
    optionalCount('expiresAt', key.expiresAt),
    models,
    optionalCount('requestsPerMinute', key.requestsPerMinute),
    optionalCount('tokensPerMinute', key.tokensPerMinute),
    optionalText(subject, 'defaultFeature', key.defaultFeature),
    exactJson(key.metadata, `${subject}: metadata`),
  ];
}

/** Creates or replaces the key with this id (every column but the id takes the new value). */
export function putKeySql(dialect: SpendDialect): string {
  const placeholders = keyColumns.map((_, index) => dialect.placeholder(index + 1));
  const updates = keyColumns.slice(1).map((column) => `${column} = excluded.${column}`);
  return (
    `INSERT INTO virtual_keys (${keyColumns.join(', ')}) VALUES (${placeholders.join(', ')}) ` +
    `ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}`
  );
}

/** One key by a column: `id` (the primary key) or `hash` (its unique index). */
export const selectKeySql = (dialect: SpendDialect, column: 'id' | 'hash') =>
  `SELECT ${keyColumns.join(', ')} FROM virtual_keys WHERE ${column} = ${dialect.placeholder(1)}`;

/** Every key, oldest first, then by id (bytes). */
export const listKeysSql = (dialect: SpendDialect) =>
  `SELECT ${keyColumns.join(', ')} FROM virtual_keys ORDER BY created_at, id${dialect.byteOrder}`;

/** Revokes a key not revoked yet (parameters: time, id): one row changed, or none. */
export const revokeKeySql = (dialect: SpendDialect) =>
  `UPDATE virtual_keys SET revoked_at = ${dialect.placeholder(1)} ` +
  `WHERE id = ${dialect.placeholder(2)} AND revoked_at IS NULL`;

/** The values `revokeKeySql` binds; a RangeError when the time is not integer epoch ms. */
export function revokeKeyValues(id: string, at: number): [number, string] {
  return [checkCount(`virtual key '${id}'`, 'revokedAt', at), id];
}

/** Reads a `virtual_keys` row back; a StoreError naming the store and key when it is not one frugal wrote. */
export function keyFromRow(row: Readonly<Record<string, unknown>>, location: string): VirtualKeyRecord {
  const id = String(row['id']);
  try {
    const metadata = parseJsonObject(row['metadata'], 'metadata');
    for (const [label, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') throw new RangeError(`metadata '${label}' is not text`);
    }
    const allowedModels = optionalColumn(row['allowed_models'], (text) => {
      const value: unknown = JSON.parse(String(text));
      if (!Array.isArray(value) || !value.every((model) => typeof model === 'string')) {
        throw new RangeError('column allowed_models does not hold a JSON list of names');
      }
      return value as string[];
    });
    const name = optionalColumn(row['name'], String);
    const revokedAt = optionalColumn(row['revoked_at'], Number);
    const expiresAt = optionalColumn(row['expires_at'], Number);
    const requestsPerMinute = optionalColumn(row['requests_per_minute'], Number);
    const tokensPerMinute = optionalColumn(row['tokens_per_minute'], Number);
    const defaultFeature = optionalColumn(row['default_feature'], String);
    return {
      id,
      hash: String(row['hash']),
      prefix: String(row['prefix']),
      ...(name === undefined ? {} : { name }),
      createdAt: Number(row['created_at']),
      ...(revokedAt === undefined ? {} : { revokedAt }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(allowedModels === undefined ? {} : { allowedModels }),
      ...(requestsPerMinute === undefined ? {} : { requestsPerMinute }),
      ...(tokensPerMinute === undefined ? {} : { tokensPerMinute }),
      ...(defaultFeature === undefined ? {} : { defaultFeature }),
      metadata: metadata as Record<string, string>,
    };
  } catch (error) {
    throw new StoreError(location, `stored virtual key '${id}' is unreadable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
