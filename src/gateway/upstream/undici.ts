/**
 * npm `undici` 7, loaded without breaking Node 20's own `fetch`. Importing undici 7 installs its Agent as the
 * process-wide dispatcher unless one exists, and Node 20's built-in fetch then fails on requests with an
 * explicit content-length ("invalid content-length header": MEASUREMENTS.md). Node creates its dispatcher on
 * the first fetch, so one fetch of a `data:` URL (no network) before the import keeps Node's own.
 */
await fetch('data:,').then((response) => response.arrayBuffer());
const undici = await import('undici');

export const { Pool, Agent, errors: undiciErrors } = undici;
export type { Dispatcher } from 'undici';
