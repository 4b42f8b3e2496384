import { StoreError } from '../core/errors.js';

/** One numbered step of a store's schema, applied once, in order, inside the opening transaction. */
export type Migration = {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
};

/**
 * The migrations still to apply over a database at `current` (0 = new). A database written by a newer frugal is
 * refused with a StoreError rather than read with a schema this version does not know.
 */
export function pendingMigrations(
  migrations: readonly Migration[],
  current: number,
  location: string,
): readonly Migration[] {
  const known = migrations.at(-1)?.version ?? 0;
  if (current > known) {
    throw new StoreError(
      location,
      `database schema version ${current}, this frugal knows up to ${known}; upgrade frugal to open it`,
    );
  }
  return migrations.filter((migration) => migration.version > current);
}
