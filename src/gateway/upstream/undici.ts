import { createRequire } from 'node:module';
import type { errors, Pool as UndiciPool } from 'undici';

/** The parts of npm `undici` 7 the gateway uses: its Pool (calls go through its `dispatch`) and its error classes. */
export type UndiciParts = {
  readonly Pool: typeof UndiciPool;
  readonly errors: typeof errors;
};

/**
 * Only the Pool and the errors, required from undici's own files: the package's entry point also
 * loads fetch, WebSocket, caches, mocks and interceptors (~3 MB of heap that stays for the life of the process,
 * ~10 MB of RSS at startup), and installs its Agent as the process-wide dispatcher unless one exists, after which
 * Node 20's built-in fetch fails on requests with an explicit content-length ("invalid content-length header":
 * MEASUREMENTS.md). These files do neither. Undefined when undici's layout is not the one expected.
 */
function leanParts(): UndiciParts | undefined {
  try {
    const require = createRequire(import.meta.url);
    const Pool = require('undici/lib/dispatcher/pool.js') as typeof UndiciPool;
    const errorClasses = require('undici/lib/core/errors.js') as typeof errors;
    if (
      typeof Pool !== 'function' ||
      typeof errorClasses.HeadersTimeoutError !== 'function' ||
      typeof errorClasses.BodyTimeoutError !== 'function' ||
      typeof errorClasses.ConnectTimeoutError !== 'function'
    ) {
      return undefined;
    }
    return { Pool, errors: errorClasses };
  } catch {
    return undefined;
  }
}

/**
 * The whole package, loaded without breaking Node 20's own `fetch`: Node creates its dispatcher on the first
 * fetch, so one fetch of a `data:` URL (no network) before the import keeps Node's own.
 */
async function wholePackage(): Promise<UndiciParts> {
  await fetch('data:,').then((response) => response.arrayBuffer());
  const undici = await import('undici');
  return { Pool: undici.Pool, errors: undici.errors };
}

export const { Pool, errors: undiciErrors } = leanParts() ?? (await wholePackage());
export type { Dispatcher } from 'undici';
