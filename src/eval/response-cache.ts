import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Usage } from '../core/usage.js';
import type { ChatModel, GenerateRequest } from '../providers/chat-model.js';
import { requestHash } from '../tracing/request-hash.js';

/** A candidate's answer kept for re-runs, with what it cost when it was fresh. */
export type CachedResponse = {
  readonly text: string;
  readonly usage: Usage | undefined;
  /** Pico-dollars as a decimal string; absent when the original call was unpriced. */
  readonly cost?: string | undefined;
  readonly responseModel: string;
  readonly simulated: boolean;
  /** The trace of the fresh call this answer came from. */
  readonly traceId?: string | undefined;
  readonly recordedAt: number;
};

export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>;
  put(key: string, response: CachedResponse): Promise<void>;
}

/**
 * The cache key of a candidate's request: the full request (model, provider, endpoint, messages, every parameter)
 * and the repeat number, so repeats stay independent samples.
 */
export function responseCacheKey(model: ChatModel, request: GenerateRequest, repeat: number): string {
  const { signal: _signal, ...rest } = request;
  return requestHash({
    ...rest,
    model: model.id,
    provider: model.provider,
    endpoint: model.endpoint ?? null,
    repeat,
  });
}

/**
 * A response cache in a directory, one JSON file per request (written to a temporary name, then renamed, so a
 * crash never leaves a torn entry). An unreadable entry is a miss.
 */
export function fileResponseCache(directory: string): ResponseCache {
  const pathOf = (key: string) => join(directory, key.slice(0, 2), `${key}.json`);
  return {
    async get(key) {
      try {
        return JSON.parse(await readFile(pathOf(key), 'utf8')) as CachedResponse;
      } catch {
        return undefined;
      }
    },
    async put(key, response) {
      const path = pathOf(key);
      await mkdir(join(directory, key.slice(0, 2)), { recursive: true });
      const temporary = `${path}.${process.pid}.${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 8)}`;
      await writeFile(temporary, JSON.stringify(response));
      await rename(temporary, path);
    },
  };
}
