import { UsageError } from '../core/errors.js';
import type { FrugalConfig } from './parse-config.js';

/** The config file used when none is named. */
export const defaultConfigFile = 'frugal.yaml';

/**
 * Reads and parses the config named by `--config`, else `./frugal.yaml` if there is one. A named file that
 * cannot be read is an error; a missing default file is fine (no config); a broken one is an error naming
 * it. `readText` is the caller's file reader (CommandIo.readText), which throws UsageError "no such file".
 */
export async function loadConfig(
  readText: (path: string) => Promise<string>,
  path: string | undefined,
): Promise<FrugalConfig | undefined> {
  let text: string;
  try {
    text = await readText(path ?? defaultConfigFile);
  } catch (error) {
    if (path === undefined && error instanceof UsageError && /no such file/.test(error.message))
      return undefined;
    throw error;
  }
  // Loaded only when there is a file: zod and yaml cost ~180 ms of start-up that `frugal cost` need not pay.
  const { parseConfig } = await import('./parse-config.js');
  return parseConfig(text, path ?? defaultConfigFile);
}
