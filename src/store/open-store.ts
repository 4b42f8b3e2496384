import { UsageError } from '../core/errors.js';
import type { InspectableStore } from './inspectable-store.js';

/** Options that apply when the location names that engine. */
export type OpenStoreOptions = {
  /** SQLite: how long to wait for another process's write lock (default 5,000 ms). */
  readonly busyTimeoutMs?: number | undefined;
  /** PostgreSQL: how long to wait for a connection (default 10,000 ms). */
  readonly connectTimeoutMs?: number | undefined;
};

/** Which engine a location names and its engine-specific address. */
export type StoreLocation =
  | { readonly engine: 'sqlite'; readonly path: string }
  | { readonly engine: 'postgres'; readonly connectionString: string; readonly schema?: string | undefined };

/**
 * Reads a store location: `postgres://…` or `postgresql://…` (an optional `?schema=name` picks the schema),
 * `sqlite:<path>`, `:memory:`, or a plain file path (SQLite).
 */
export function parseStoreLocation(location: string): StoreLocation {
  const text = location.trim();
  if (/^postgres(ql)?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch (error) {
      throw new UsageError('store location is not a valid postgres:// URL', { cause: error });
    }
    const schema = url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    return { engine: 'postgres', connectionString: url.toString(), schema };
  }
  let path = /^sqlite:/i.test(text) ? text.slice('sqlite:'.length) : text;
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '') throw new UsageError(`store location '${location}' names no file`);
  return { engine: 'sqlite', path };
}

/**
 * Opens the store a location names (see `parseStoreLocation`), creating and migrating it as needed. Each engine
 * is loaded only when named: a SQLite ledger does not carry the PostgreSQL client (~2.6 MB of heap).
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<InspectableStore> {
  const parsed = parseStoreLocation(location);
  if (parsed.engine === 'postgres') {
    const { openPostgresStore } = await import('./postgres-store.js');
    return openPostgresStore({
      connectionString: parsed.connectionString,
      schema: parsed.schema,
      connectTimeoutMs: options.connectTimeoutMs,
    });
  }
  const { openSqliteStore } = await import('./sqlite-store.js');
  return openSqliteStore({ path: parsed.path, busyTimeoutMs: options.busyTimeoutMs });
}
