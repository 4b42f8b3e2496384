import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';

/**
 * Reads a file a config names, relative to the config file's folder: its text, where it is, and a short hash of
 * its text (what caches tell two versions of a router or cascade apart by). An unreadable file is a ConfigError
 * naming it and what it was to be (`the cascade file`).
 */
export function readFileBesideConfig(
  path: string,
  configFile: string,
  what: string,
): { text: string; path: string; fingerprint: string } {
  const resolved = resolve(dirname(configFile), path);
  let text: string;
  try {
    text = readFileSync(resolved, 'utf8');
  } catch (error) {
    throw new ConfigError(resolved, '', `cannot read ${what}: ${(error as Error).message}`);
  }
  return { text, path: resolved, fingerprint: createHash('sha256').update(text).digest('hex').slice(0, 16) };
}
