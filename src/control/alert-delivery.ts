import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Alert } from '../core/alerts/alert.js';
import { backoffMs, retryAfterMs } from '../core/time/retry-delay.js';

/** Somewhere alerts go: the console, a webhook. `deliver` may throw; the dispatcher reports it. */
export type AlertChannel = {
  readonly name: string;
  deliver(alert: Alert): Promise<void>;
};

const icons = { info: 'ℹ', warning: '⚠', critical: '⛔' } as const;

/** One line per alert: `⚠ [budget-threshold] Budget global/day reached 80%: …`. */
export function alertLine(alert: Alert): string {
  return `${icons[alert.severity]} [${alert.kind}] ${alert.message}`;
}

/** Writes each alert as one line (default: stderr, so that it never mixes with a command's output). */
export function consoleChannel(write: (line: string) => void = (line) => console.error(line)): AlertChannel {
  return {
    name: 'console',
    deliver: async (alert) => write(alertLine(alert)),
  };
}

/** Where and how a webhook channel posts. */
export type WebhookOptions = {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Tries per alert, the first included (default 4). */
  readonly maxAttempts?: number | undefined;
  /** First backoff, doubling per retry with jitter (default 500 ms); `Retry-After` wins when sent. */
  readonly initialBackoffMs?: number | undefined;
  readonly maxBackoffMs?: number | undefined;
  /** Per request (default 5,000 ms). */
  readonly timeoutMs?: number | undefined;
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
};

/**
 * The JSON a webhook receives: Slack's incoming-webhook shape (`text`, shown as the message) with the alert
 * itself beside it for machines (`alert`; Slack ignores it).
 */
export function webhookPayload(alert: Alert): { text: string; alert: Alert } {
  return { text: alertLine(alert), alert };
}

/** A webhook's address without its path and query, which often hold its secret (Slack's do). */
function redacted(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'a webhook';
  }
}

/**
 * Posts each alert as Slack-compatible JSON. 408, 429 and 5xx answers and network failures are retried with
 * capped exponential backoff honouring `Retry-After`; other answers fail at once. Errors name the webhook by
 * origin only: its path is a secret.
 */
export function webhookChannel(options: WebhookOptions): AlertChannel {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const initial = options.initialBackoffMs ?? 500;
  const maximum = options.maxBackoffMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const where = redacted(options.url);
  return {
    name: `webhook ${where}`,
    async deliver(alert) {
      const body = JSON.stringify(webhookPayload(alert));
      for (let attempt = 1; ; attempt++) {
        let failure: string;
        let retryable = true;
        let waitMs: number | undefined;
        try {
          const response = await fetch(options.url, {
            method: 'POST',
            headers: { ...options.headers, 'content-type': 'application/json' },
            body,
            signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
          });
          await response.arrayBuffer().catch(() => undefined);
          if (response.ok) return;
          failure = `answered ${response.status}`;
          retryable = response.status === 408 || response.status === 429 || response.status >= 500;
          waitMs = retryAfterMs(response.headers.get('retry-after'), Date.now());
        } catch (error) {
          failure = `failed: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (!retryable || attempt >= maxAttempts) {
          throw new Error(`alert ${alert.id} to ${where} ${failure} (after ${attempt} attempt(s))`);
        }
        await sleep(Math.min(maximum, waitMs ?? backoffMs(attempt, initial, maximum)));
      }
    },
  };
}

/** Sends alerts to every channel in the background; never throws into the caller. */
export type AlertDispatcher = {
  dispatch(alert: Alert): void;
  /** Resolves when every alert dispatched so far has been delivered or given up. */
  settled(): Promise<void>;
};

/** Fans alerts out to channels; a channel's failure is told to `onError` (default: stderr) and nothing else. */
export function createAlertDispatcher(
  channels: readonly AlertChannel[],
  onError: (error: Error) => void = (error) => console.error(`frugal alerts: ${error.message}`),
): AlertDispatcher {
  const pending = new Set<Promise<void>>();
  return {
    dispatch(alert) {
      for (const channel of channels) {
        const delivery = channel.deliver(alert).catch((error: unknown) => {
          try {
            onError(error instanceof Error ? error : new Error(String(error)));
          } catch {}
        });
        pending.add(delivery);
        void delivery.finally(() => pending.delete(delivery));
      }
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
