import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSpans } from '../src/store/generate-spans.js';
import { openStore } from '../src/store/open-store.js';
import { postgresMigrations } from '../src/store/postgres-schema.js';
import { writeSqliteAtVersion } from '../src/store/sqlite-at-version.js';
import { sqliteMigrations } from '../src/store/sqlite-schema.js';
import { runCli } from './support/memory-io.js';

// `frugal ui` (and every command that opens the store) on a store another frugal wrote: an older schema is
// migrated and served, a newer one is refused with a message saying what to do, and nothing is served. The
// executable is the real one (bin/frugal.js over the built dist/, so run after `npm run build`). The PostgreSQL
// case needs FRUGAL_TEST_PG_URL (`eval "$(bash ../shared/services.sh)"`): without it that part FAILS.
const bin = join(import.meta.dirname, '..', 'bin', 'frugal.js');
const directory = mkdtempSync(join(tmpdir(), 'frugal-versions-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

const latest = sqliteMigrations.at(-1)!.version;

/** `frugal ui` in its own process: resolves with its address once it says it listens. */
function startUi(store: string): Promise<{ origin: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, 'ui', '--port', '0', '--store', store], {
    cwd: directory,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`frugal ui did not start: ${output}`)), 20_000);
    const watch = (text: Buffer) => {
      output += text.toString('utf8');
      const origin = /listening on (http:\/\/[^\s/]+)/.exec(output)?.[1];
      if (origin === undefined) return;
      clearTimeout(timer);
      resolve({ origin, child });
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`frugal ui exited (${code}) before listening: ${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

describe('frugal on a SQLite store from an older schema', () => {
  it('migrates it on opening and serves its spans on the dashboard', async () => {
    const now = Date.now();
    const spans = generateSpans({ count: 120, seed: 5, start: now - 3 * 86_400_000, days: 2 });
    const path = join(directory, 'version-1.db');
    writeSqliteAtVersion(path, 1, { spans });

    const { origin, child } = await startUi(path);
    const trace = spans.find((span) => span.kind === 'step') ?? spans[0]!;
    const tracePage = await fetch(`${origin}/traces/${trace.traceId}`);
    expect(tracePage.status).toBe(200);
    const html = await tracePage.text();
    for (const span of spans.filter((each) => each.traceId === trace.traceId))
      expect(html).toContain(span.id);
    const spendPage = await fetch(`${origin}/spend?by=user&days=7`);
    expect(spendPage.status).toBe(200);
    expect(await spendPage.text()).toContain('user-');
    expect(await stop(child)).toBe(0);

    const database = new Database(path, { readonly: true });
    const versions = database.prepare('SELECT version FROM frugal_schema_version ORDER BY version').all();
    database.close();
    expect(versions).toEqual(sqliteMigrations.map((migration) => ({ version: migration.version })));
  }, 30_000);
});

describe('frugal on a SQLite store from a newer frugal', () => {
  const path = join(directory, 'newer.db');
  const message = `${path}: database schema version ${latest + 1}, this frugal knows up to ${latest}; upgrade frugal to open it`;

  it('refuses to serve it: says which file, both versions and to upgrade, and exits 1', async () => {
    await (await openStore(path)).close();
    const database = new Database(path);
    database.prepare('INSERT INTO frugal_schema_version VALUES (?, ?, 0)').run(latest + 1, 'from the future');
    database.close();

    const ui = spawnSync(process.execPath, [bin, 'ui', '--port', '0', '--store', path], {
      cwd: directory,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(ui.status).toBe(1);
    expect(ui.stderr).toBe(`frugal ui: ${message}\n`);
    expect(ui.stdout).not.toContain('listening');
  }, 30_000);

  it.each([
    ['spend', '--store', path],
    ['runs', '--store', path],
  ])('frugal %s refuses it the same way', async (...argv) => {
    const result = await runCli(argv, { cwd: directory });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`frugal ${argv[0]}: ${message}\n`);
  });
});

const pgUrl = process.env['FRUGAL_TEST_PG_URL'];
describe('frugal ui on a PostgreSQL schema from a newer frugal', () => {
  if (pgUrl === undefined) {
    it('needs FRUGAL_TEST_PG_URL', () => {
      throw new Error(
        'FRUGAL_TEST_PG_URL is not set: start PostgreSQL with `eval "$(bash ../shared/services.sh)"` and rerun',
      );
    });
    return;
  }
  const pgLatest = postgresMigrations.at(-1)!.version;
  const schema = `frugal_versions_${process.pid}`;
  const location = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;

  it('refuses to serve it, naming host, port and database, both versions and to upgrade', async () => {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      await (await openStore(location)).close();
      await client.query(
        `INSERT INTO ${schema}.frugal_schema_version (version, description) VALUES ($1, 'from the future')`,
        [pgLatest + 1],
      );
      const result = await runCli(['ui', '--port', '0', '--store', location], { cwd: directory });
      expect(result.code).toBe(1);
      const address = new URL(pgUrl);
      expect(result.stderr).toBe(
        `frugal ui: ${address.hostname}:${address.port || '5432'}${address.pathname} (schema ${schema}): ` +
          `database schema version ${pgLatest + 1}, ` +
          `this frugal knows up to ${pgLatest}; upgrade frugal to open it\n`,
      );
      expect(result.stdout).toBe('');
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
