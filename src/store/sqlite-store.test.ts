import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../core/errors.js';
import type { InspectableStore } from './inspectable-store.js';
import { openStore } from './open-store.js';
import { openSqliteStore } from './sqlite-store.js';
import { describeStoreContract, fullSpan } from './store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-sqlite-'));
let counter = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeStoreContract('SQLite', {
  async createDatabase() {
    const path = join(root, `contract-${counter++}`, 'frugal.db');
    const opened: InspectableStore[] = [];
    return {
      async open() {
        const store = await openSqliteStore({ path });
        opened.push(store);
        return store;
      },
      async dispose() {
        await Promise.all(opened.map((store) => store.close()));
      },
    };
  },
});

async function failureOf(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe('SQLite store: files', () => {
  it('creates missing directories and a WAL-mode database from a sqlite: location', async () => {
    const path = join(root, 'nested', 'deeper', 'frugal.db');
    const store = await openStore(`sqlite:${path}`);
    await store.insertSpans([fullSpan]);
    await store.close();
    const database = new Database(path, { readonly: true });
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.prepare('SELECT version FROM frugal_schema_version').all()).toEqual([{ version: 1 }]);
    database.close();
  });

  it('names the file when it is not a database', async () => {
    const path = join(root, 'corrupt.db');
    writeFileSync(path, 'this is a spreadsheet, not a database '.repeat(200));
    const error = await failureOf(openStore(path));
    expect(error.location).toBe(path);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not a SQLite database/);
  });

  it('names the file when another connection holds the write lock too long', async () => {
    const path = join(root, 'locked.db');
    (await openStore(path)).close();
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const error = await failureOf(openSqliteStore({ path, busyTimeoutMs: 50 }));
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/locked by another connection \(waited 50 ms\)/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('refuses a database written by a newer frugal, saying both versions', async () => {
    const path = join(root, 'newer.db');
    (await openStore(path)).close();
    const database = new Database(path);
    database.prepare('INSERT INTO frugal_schema_version VALUES (?, ?, ?)').run(7, 'from the future', 0);
    database.close();
    const error = await failureOf(openStore(path));
    expect(error.message).toBe(
      `${path}: database schema version 7, this frugal knows up to 1; upgrade frugal to open it`,
    );
  });

  it('reports use after close as a StoreError, and keeps an in-memory store to itself', async () => {
    const store = await openStore(':memory:');
    expect(existsSync(':memory:')).toBe(false);
    await store.close();
    await failureOf(store.getSpan('x'));
  });

  it('shows why money is split: SQLite cannot SUM pico-dollars past int64', () => {
    const database = new Database(':memory:');
    database.exec('CREATE TABLE t (picos INTEGER)');
    const insert = database.prepare('INSERT INTO t VALUES (?)');
    for (let index = 0; index < 2; index++) insert.run(2n ** 62n);
    expect(() => database.prepare('SELECT SUM(picos) FROM t').get()).toThrow(/integer overflow/);
    database.close();
  });
});
