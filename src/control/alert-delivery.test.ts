import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../core/alerts/alert.js';
import { alertLine, consoleChannel, createAlertDispatcher, webhookChannel } from './alert-delivery.js';

const alert: Alert = {
  id: 'budget:global/day:2026-11-22T00:00:00.000Z:80',
  kind: 'budget-threshold',
  severity: 'warning',
  time: Date.parse('2026-11-22T10:00:00Z'),
  message: 'budget global/day reached 80%: $8.00 of $10.00 (80%) this day, resets 2026-11-23T00:00:00.000Z',
  details: { budget_id: 'global/day', threshold_percent: 80, spent_usd: '8.00' },
};

type Received = { path: string; headers: IncomingMessage['headers']; body: unknown };

/** A webhook receiver on 127.0.0.1 answering each request with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = [], headers: Record<string, string> = {}) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: JSON.parse(text) });
      const status = statuses.shift() ?? 200;
      response.writeHead(status, status === 200 ? {} : headers).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  servers.push(server);
  return { received, url: `http://127.0.0.1:${port}/services/T000/B000/secret-token` };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const noSleep = async () => {};

describe('alert delivery', () => {
  it('posts Slack-compatible JSON (text + the alert) with the configured headers', async () => {
    const hook = await receiver();
    await webhookChannel({ url: hook.url, headers: { authorization: 'Bearer t' } }).deliver(alert);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]).toMatchObject({
      path: '/services/T000/B000/secret-token',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: { text: `⚠ [budget-threshold] ${alert.message}`, alert },
    });
  });

  it('retries 5xx and 429 (honouring Retry-After), then succeeds', async () => {
    const hook = await receiver([503, 429], { 'retry-after': '0' });
    const waits: number[] = [];
    const channel = webhookChannel({
      url: hook.url,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await channel.deliver(alert);
    expect(hook.received).toHaveLength(3);
    expect(waits).toEqual([0, 0]);
  });

  it('gives up after maxAttempts or at once on a 4xx, naming the webhook by origin only', async () => {
    const failing = await receiver([500, 500, 500]);
    await expect(
      webhookChannel({ url: failing.url, maxAttempts: 3, sleep: noSleep }).deliver(alert),
    ).rejects.toThrow(
      /^alert budget:global\/day:.* to http:\/\/127\.0\.0\.1:\d+ answered 500 \(after 3 attempt\(s\)\)$/,
    );
    expect(failing.received).toHaveLength(3);
    const gone = await receiver([404]);
    const error = await webhookChannel({ url: gone.url, sleep: noSleep })
      .deliver(alert)
      .catch((e: Error) => e);
    expect(gone.received).toHaveLength(1);
    expect(String(error)).not.toContain('secret-token');
  });

  it('dispatches to every channel, never throws into the caller, and reports failures', async () => {
    const hook = await receiver();
    const lines: string[] = [];
    const errors: string[] = [];
    const dispatcher = createAlertDispatcher(
      [
        consoleChannel((line) => lines.push(line)),
        webhookChannel({ url: hook.url }),
        webhookChannel({ url: 'http://127.0.0.1:1/unreachable', maxAttempts: 2, sleep: noSleep }),
      ],
      (error) => errors.push(error.message),
    );
    expect(() => dispatcher.dispatch(alert)).not.toThrow();
    await dispatcher.settled();
    expect(lines).toEqual([alertLine(alert)]);
    expect(hook.received).toHaveLength(1);
    expect(errors).toEqual([
      expect.stringMatching(/^alert .* to http:\/\/127\.0\.0\.1:1 failed: .*after 2 attempt/),
    ]);
  });
});
