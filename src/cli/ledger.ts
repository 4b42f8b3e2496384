import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { FrugalConfig } from '../config/parse-config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { CommandIo } from './command.js';

/** Where spans live when neither --store nor the config says. */
export const defaultStoreLocation = 'sqlite:.frugal/frugal.db';

/** The SQLite file a location names (resolved against cwd), or undefined for a server URL or :memory:. */
export function sqliteFile(location: string, cwd: string): string | undefined {
  if (/^postgres(ql)?:\/\//.test(location) || location === ':memory:') return undefined;
  return resolve(cwd, location.replace(/^sqlite:/, ''));
}

/** The config (from --config or ./frugal.yaml) and the store location it and --store give. */
export async function ledgerLocation(
  io: CommandIo,
  options: { readonly store?: string | undefined; readonly config?: string | undefined },
): Promise<{
  readonly config: FrugalConfig | undefined;
  readonly location: string;
  readonly file: string | undefined;
}> {
  const config = await loadConfig(io.readText, options.config);
  const location = options.store ?? config?.store ?? defaultStoreLocation;
  return { config, location, file: sqliteFile(location, io.cwd) };
}

/**
 * Opens the ledger for a command. With `mustExist`, a SQLite file that is not there yet is reported as
 * "nothing recorded yet" (exit 1) rather than created empty; returns undefined then.
 */
export async function openLedger(
  io: CommandIo,
  command: string,
  where: { readonly location: string; readonly file: string | undefined },
  mustExist: boolean,
): Promise<Store | undefined> {
  if (mustExist && where.file !== undefined && !existsSync(where.file)) {
    io.stderr(
      `frugal ${command}: no spend recorded yet: ${where.file} does not exist. Trace calls with frugal's tracer or gateway, or name a store with --store.\n`,
    );
    return undefined;
  }
  return openStore(where.file ?? where.location);
}
