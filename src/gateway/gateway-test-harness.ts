import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../config/parse-config.js';
import type { Span } from '../core/spans/span.js';
import { openStore } from '../store/open-store.js';
import { type GatewayOptions, type RunningGateway, startGateway } from './gateway.js';

/** A gateway on a free loopback port with its own SQLite ledger and journal, for tests. */
export type TestGateway = {
  readonly gateway: RunningGateway;
  readonly url: string;
  readonly directory: string;
  readonly logs: string[];
  /** POSTs JSON (or raw text) and returns the status, headers and body text. */
  post(
    path: string,
    body: unknown,
    headers?: Readonly<Record<string, string>>,
    // biome-ignore lint/suspicious/noExplicitAny: tests read reply fields of many shapes, and fail when one is missing
  ): Promise<{ status: number; headers: Headers; text: string; json: () => any }>;
  /** Closes the gateway (drains, flushes) and returns the spans of these traces from the ledger. */
  closeAndRead(traceIds: readonly string[]): Promise<Span[][]>;
};

/** Starts a gateway from a frugal.yaml text (`gateway:` section and all). */
export async function startTestGateway(
  yaml: string,
  options: Partial<Omit<GatewayOptions, 'config' | 'store'>> = {},
): Promise<TestGateway> {
  const directory = mkdtempSync(join(tmpdir(), 'frugal-gateway-'));
  const file = join(directory, 'frugal.db');
  const config = parseConfig(yaml, 'frugal.yaml');
  const store = await openStore(file);
  const logs: string[] = [];
  const gateway = await startGateway({
    config,
    store,
    cwd: directory,
    port: 0,
    env: {},
    log: (line) => logs.push(line),
    ...options,
  });
  return {
    gateway,
    url: gateway.url,
    directory,
    logs,
    async post(path, body, headers = {}) {
      const response = await fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
    },
    async closeAndRead(traceIds) {
      await gateway.close();
      const ledger = await openStore(file);
      try {
        return await Promise.all(traceIds.map((id) => ledger.getTrace(id)));
      } finally {
        await ledger.close();
      }
    },
  };
}
