import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';
import { parseUsd } from '../../core/money.js';
import type { Span } from '../../core/spans/span.js';
import { openStore } from '../../store/open-store.js';

const now = Date.parse('2026-11-22T12:00:00Z');
let directory: string;
let store: string;
let sequence = 0;

/** A priced call of `usd` at `at`, for `feature`. */
function spend(usd: string, at: number, feature: string): Span {
  sequence++;
  return {
    id: sequence.toString(16).padStart(16, '0'),
    traceId: sequence.toString(16).padStart(32, '0'),
    name: 'chat gpt-4o',
    kind: 'llm',
    startTime: at,
    durationMs: 300,
    status: 'ok',
    provider: 'openai',
    requestModel: 'gpt-4o',
    usage: { input: 100, output: 100 },
    cost: { status: 'priced', total: parseUsd(usd), priceId: 'gpt-4o', source: 'litellm:gpt-4o' },
    attribution: { feature },
    attributes: {},
  };
}

const received: unknown[] = [];
let hook: Server;
let hookUrl: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'frugal-budgets-'));
  store = join(directory, 'ledger.db');
  const ledger = await openStore(store);
  // Today (UTC): $6 on search, $1.50 on chat; yesterday: $100 on search (another period).
  await ledger.insertSpans([
    spend('4', now - 3_600_000, 'search'),
    spend('2', now - 7_200_000, 'search'),
    spend('1.5', now - 600_000, 'chat'),
    spend('100', now - 86_400_000, 'search'),
  ]);
  await ledger.close();
  hook = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      received.push(JSON.parse(text));
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise((resolve) => hook.close(resolve)));

const cli = (argv: string[], files: Record<string, string> = {}) =>
  runCli([...argv, '--store', store], { now, files, cwd: directory });

describe('frugal budgets', () => {
  it('sets, lists (with this period’s spend) and deletes stored budgets', async () => {
    const set = await cli([
      'budgets',
      'set',
      '--scope',
      'feature:search',
      '--period',
      'day',
      '--limit',
      '10',
      '--hard',
    ]);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toBe(
      'budget feature:search/day set: hard limit $10.00 per day (UTC) on feature:search, alerts at 50, 80, 90, 100%\n',
    );
    await cli([
      'budgets',
      'set',
      'all-monthly',
      '--scope',
      'global',
      '--period',
      'month',
      '--limit',
      '$200',
      '--thresholds',
      '25,50',
    ]);
    const list = await cli(['budgets', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('all-monthly');
    expect(list.stdout).toMatch(
      /feature:search\/day\s+hard\s+\$10\.00\s+\$6\.00\s+60%\s+\[######\.\.\.\.\]\s+2026-11-23T00:00Z\s+store/,
    );
    expect(list.stdout).toMatch(/all-monthly\s+soft\s+\$200\.00\s+\$107\.50\s+53\.75%/);
    const json = JSON.parse((await cli(['budgets', 'list', '--json'])).stdout);
    expect(json.budgets[1]).toMatchObject({
      id: 'feature:search/day',
      spent_usd: '6.00',
      percent: '60',
      period_start: '2026-11-22T00:00:00.000Z',
      resets_at: '2026-11-23T00:00:00.000Z',
    });
    expect(await cli(['budgets', 'delete', 'all-monthly'])).toMatchObject({
      code: 0,
      stdout: 'budget all-monthly deleted\n',
    });
    expect(await cli(['budgets', 'delete', 'all-monthly'])).toMatchObject({
      code: 1,
      stderr: "frugal budgets: no stored budget 'all-monthly' (see 'frugal budgets list')\n",
    });
  });

  it('lists config budgets beside stored ones and refuses to change them from the command line', async () => {
    const files = {
      'frugal.yaml':
        'budgets:\n  - scope: feature:chat\n    period: day\n    limit_usd: 2\n    time_zone: Asia/Tokyo\n',
    };
    const list = await cli(['budgets', 'list'], files);
    // Tokyo's day began at 15:00 UTC yesterday: the $1.50 chat call at 11:50 UTC is in it.
    expect(list.stdout).toMatch(
      /feature:chat\/day\s+soft\s+\$2\.00\s+\$1\.50\s+75%.*2026-11-22T15:00Z\s+config budgets\[0\]/,
    );
    expect(await cli(['budgets', 'delete', 'feature:chat/day'], files)).toMatchObject({
      code: 2,
      stderr: "frugal budgets: 'feature:chat/day' is defined in frugal.yaml at budgets[0]; remove it there\n",
    });
  });

  it.each([
    [['budgets', 'set', '--scope', 'global', '--period', 'day'], 'frugal budgets set: missing --limit\n'],
    [
      ['budgets', 'set', '--scope', 'team:x', '--period', 'day', '--limit', '5'],
      "frugal budgets set: --scope: expected 'global' or one of model:<name>, feature:<name>, user:<name>, key:<name>, tag:<name>, found 'team:x'\n",
    ],
    [
      ['budgets', 'set', '--scope', 'global', '--period', 'day', '--limit', '0'],
      'frugal budgets set: --limit must be above $0, got 0\n',
    ],
    [
      ['budgets', 'set', '--scope', 'global', '--period', 'day', '--limit', '5', '--thresholds', '90,80'],
      'frugal budgets set: --thresholds: expected thresholds in ascending order without repeats, found 80 after 90\n',
    ],
    [
      ['budgets', 'remove'],
      "frugal budgets: expected set, list or delete, got 'remove' (see 'frugal budgets --help')\n",
    ],
  ])('rejects bad input with one line: %j', async (argv, message) => {
    expect(await cli(argv)).toMatchObject({ code: 2, stdout: '', stderr: message });
  });
});

describe('frugal alerts', () => {
  it('check raises each reached threshold once, posts it to the webhook, and list shows it', async () => {
    const files = {
      'frugal.yaml': `budgets:\n  - scope: feature:search\n    period: day\n    limit_usd: 10\n    thresholds: [50, 60, 90]\nalerts:\n  webhooks: [${hookUrl}]\n`,
    };
    const dry = await cli(['alerts', 'check', '--dry-run'], files);
    expect(dry.stdout).toContain('2 new alert(s) (dry run: not recorded or posted)');
    expect(received).toHaveLength(0);
    const first = await cli(['alerts', 'check'], files);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      [
        '2 new alert(s):',
        '  ℹ [budget-threshold] budget feature:search/day reached 50%: $6.00 of $10.00 (60%) this day, resets 2026-11-23T00:00:00.000Z',
        '  ℹ [budget-threshold] budget feature:search/day reached 60%: $6.00 of $10.00 (60%) this day, resets 2026-11-23T00:00:00.000Z',
        '',
      ].join('\n'),
    );
    expect(received).toHaveLength(2);
    expect(received[0]).toMatchObject({
      text: expect.stringContaining('reached 50%'),
      alert: { kind: 'budget-threshold' },
    });
    const again = await cli(['alerts', 'check'], files);
    expect(again.stdout).toMatch(/^No new alerts \(1 budget\(s\) and 5 anomaly detectors checked\)\.\n$/);
    expect(received).toHaveLength(2);
    const list = await cli(['alerts', '--kind', 'budget-threshold']);
    expect(list.stdout.trim().split('\n')).toHaveLength(4);
    expect(list.stdout).toMatch(
      /2026-11-22T12:00:00Z\s+info\s+budget-threshold\s+budget feature:search\/day reached 60%/,
    );
  });
});
