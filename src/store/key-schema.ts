import type { EvalColumnTypes } from './eval-schema.js';
import type { Migration } from './migration.js';

/** An engine's column types for the virtual keys table (those of the evaluation tables that it uses). */
export type KeyColumnTypes = Pick<EvalColumnTypes, 'key' | 'text' | 'integer' | 'json'>;

/**
 * Migration 4 of both engines (frozen once released): the gateway's virtual keys. Only the secret's SHA-256 is
 * stored (`hash`, unique: requests are matched by it); allowed models (NULL: every model) and metadata are JSON
 * text written by `exactJson`; times are epoch ms.
 */
export function virtualKeysMigration(types: KeyColumnTypes): Migration {
  const { key, text, integer, json } = types;
  return {
    version: 4,
    description: 'gateway virtual keys',
    statements: [
      `CREATE TABLE virtual_keys (
        id ${key} NOT NULL PRIMARY KEY,
        hash ${key} NOT NULL,
        prefix ${text} NOT NULL,
        name ${text},
        created_at ${integer} NOT NULL,
        revoked_at ${integer},
        expires_at ${integer},
        allowed_models ${json},
        requests_per_minute ${integer},
        tokens_per_minute ${integer},
        default_feature ${text},
        metadata ${json} NOT NULL
      )`,
      'CREATE UNIQUE INDEX virtual_keys_by_hash ON virtual_keys (hash)',
      'CREATE INDEX virtual_keys_by_creation ON virtual_keys (created_at, id)',
    ],
  };
}
