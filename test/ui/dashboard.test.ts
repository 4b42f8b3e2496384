import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeUiData } from '../../src/cli/commands/ui.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { parseUsd } from '../../src/core/money.js';
import type { Span } from '../../src/core/spans/span.js';
import { startGateway } from '../../src/gateway/gateway.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { type RunningUi, startUiServer } from '../../src/ui/server/ui-server.js';
import { runCli } from '../support/memory-io.js';

// Debian's Chromium, installed by .ci/run (apt-get install -y chromium); never a downloaded browser.
const directory = mkdtempSync(join(tmpdir(), 'frugal-ui-'));
let store: Store;
let ui: RunningUi;
let browser: Browser;

beforeAll(async () => {
  const ledger = join(directory, 'ledger.db');
  expect((await runCli(['demo', '--store', ledger], { cwd: directory })).code).toBe(0);
  // A daily budget below what the demo spent, and the alerts its check records.
  const budget = [
    'budgets',
    'set',
    '--scope',
    'global',
    '--period',
    'day',
    '--limit',
    '0.005',
    '--hard',
    '--store',
    ledger,
  ];
  expect((await runCli(budget, { cwd: directory, now: Date.now() })).code).toBe(0);
  await runCli(['alerts', 'check', '--store', ledger], { cwd: directory, now: Date.now() });
  store = await openStore(join(directory, 'ledger.db'));
  ui = await startUiServer({ data: storeUiData(store, Date.now), port: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await ui?.close();
  await store?.close();
});

describe('frugal ui in a real browser', () => {
  it('goes from the experiments to an experiment, its chart, a question and its trace, without console errors', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(ui.url)) problems.push(`left the machine: ${request.url()}`);
    });
    await page.goto(`${ui.url}/`);
    expect(await page.locator('#experiments tbody tr').count()).toBe(1);
    await page.click('a.experiment');
    await page.waitForSelector('#pareto-chart svg');
    expect(await page.locator('#comparison tbody tr').count()).toBe(3);
    // The chart: one point per candidate; every demo candidate is on the frontier.
    const points = page.locator('#pareto-chart path[aria-roledescription="point"]');
    expect(await points.count()).toBe(3);
    const labels = await points.evaluateAll((nodes) =>
      nodes.map((node) => node.getAttribute('aria-label') ?? ''),
    );
    expect(labels.filter((label) => label.includes('status: Pareto-optimal'))).toHaveLength(3);
    expect(await page.locator('#simulated').isVisible()).toBe(true);
    await page.screenshot({ path: join(directory, 'experiment.png'), fullPage: true });
    expect(statSync(join(directory, 'experiment.png')).size).toBeGreaterThan(10_000);

    // A question's answers, then the trace of one of them.
    await page.locator('details.question').nth(1).locator('summary').click();
    const trace = page.locator('details.question').nth(1).locator('a.trace').first();
    await trace.click();
    await page.waitForSelector('#spans');
    const spans = page.locator('#spans tbody tr.span');
    expect(await spans.count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#spans').textContent()).toContain('simulated');
    await page.screenshot({ path: join(directory, 'trace.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows spend per day stacked by model, with exact totals that agree with frugal spend', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${ui.url}/`);
    await page.click('nav a[href^="/spend"]');
    await page.waitForSelector('#spend-chart svg');
    const models = await page.locator('#spend tbody tr td:first-child').allTextContents();
    const cli = JSON.parse(
      (
        await runCli(
          ['spend', '--by', 'model', '--since', '30d', '--store', join(directory, 'ledger.db'), '--json'],
          { cwd: directory, now: Date.now() },
        )
      ).stdout,
    );
    const expected = (cli.sections[0].rows as { model: string }[]).map((row) => row.model);
    expect(models.sort()).toEqual([...expected].sort());
    expect(
      await page.locator('#spend-chart path[aria-roledescription="bar"]').count(),
    ).toBeGreaterThanOrEqual(models.length);
    // The budget's bar: over its limit (the demo spent more than $0.005 today), and the alerts it raised.
    const bar = page.locator('#budgets tr.budget [role="progressbar"]');
    expect(await bar.count()).toBe(1);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(100);
    expect(await page.locator('#alerts tbody tr').count()).toBeGreaterThanOrEqual(1);
    await page.click('a[href*="by=run"]');
    await page.waitForSelector('#spend');
    expect(await page.locator('#spend thead th').first().textContent()).toBe('run');
    expect(await page.locator('#spend tbody tr').count()).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters spend by a model and by UTC days through the form, with the filters in a shareable URL', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${ui.url}/spend`);
    const total = async () => {
      const line = page.locator('#spend-total');
      return {
        calls: Number(await line.getAttribute('data-calls')),
        picos: BigInt((await line.getAttribute('data-cost-picos')) ?? '-1'),
      };
    };
    const all = await total();
    const rows = page.locator('#spend tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    const model = (await rows.nth(1).locator('td').first().textContent())!;
    const modelCalls = Number(await rows.nth(1).locator('td').nth(2).getAttribute('data-sort'));
    const modelPicos = BigInt((await rows.nth(1).locator('td').nth(1).getAttribute('data-sort'))!);

    // A model typed into the form: the URL carries it, the totals are that model's, a chip shows it.
    await page.fill('#spend-filters input[name="model"]', model);
    await Promise.all([page.waitForURL(/model=/), page.click('#spend-filters button[type="submit"]')]);
    const filtered = new URL(page.url());
    expect(filtered.searchParams.getAll('model')).toEqual([model]);
    expect(filtered.searchParams.get('by')).toBe('model');
    expect(await total()).toEqual({ calls: modelCalls, picos: modelPicos });
    expect(modelPicos).toBeLessThan(all.picos);
    expect(await page.locator('#spend tbody tr td:first-child').allTextContents()).toEqual([model]);
    expect(await page.locator('#filter-chips .chip[data-filter="model"]').textContent()).toContain(model);

    // The URL alone reproduces the view (shareable), and the chip's link removes the filter.
    const shared = await browser.newPage();
    await shared.goto(page.url());
    expect(await shared.locator('#spend-total').getAttribute('data-calls')).toBe(String(modelCalls));
    await shared.close();
    await page.click('#filter-chips .chip[data-filter="model"] a');
    await page.waitForSelector('#spend-total');
    expect(new URL(page.url()).searchParams.has('model')).toBe(false);
    expect(await total()).toEqual(all);

    // Today as a from..to range keeps the demo's calls; a day long ago has none, and says so.
    const today = new Date().toISOString().slice(0, 10);
    await page.fill('#spend-filters input[name="from"]', today);
    await page.fill('#spend-filters input[name="to"]', today);
    await Promise.all([page.waitForURL(/from=/), page.click('#spend-filters button[type="submit"]')]);
    expect(new URL(page.url()).searchParams.get('to')).toBe(today);
    expect((await total()).calls).toBe(all.calls);
    await page.goto(`${ui.url}/spend?from=2020-01-01&to=2020-01-31&feature=nope`);
    expect(await page.locator('#empty').textContent()).toContain('No calls match these filters');
    expect(await page.locator('#filter-chips .chip').count()).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers a parameter it cannot use with a 400 page naming it', async () => {
    const page = await browser.newPage();
    for (const [query, parameter] of [
      ['days=abc', 'days'],
      ['by=colour', 'by'],
      ['from=2026-02-30', 'from'],
      ['from=2026-03-02&to=2026-03-01', 'from'],
    ] as const) {
      const response = await page.goto(`${ui.url}/spend?${query}`);
      expect(response?.status(), query).toBe(400);
      expect(await page.locator('#bad-parameter').getAttribute('data-parameter')).toBe(parameter);
    }
    expect(await page.locator('#bad-parameter').textContent()).toContain(
      'a day on or before to (2026-03-01)',
    );
    await page.close();
  });

  it('sorts the spend and comparison tables by a clicked column, and serves them sorted by cost without script', async () => {
    const page = await browser.newPage();
    await page.goto(`${ui.url}/spend?by=run`);
    const column = (index: number) =>
      page
        .locator(`#spend tbody tr td:nth-child(${index})`)
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-sort') ?? ''));
    const server = (await column(2)).map(BigInt);
    expect(server).toEqual([...server].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    await page.click('#spend thead th:nth-child(2) button.sort');
    expect(await page.locator('#spend thead th:nth-child(2)').getAttribute('aria-sort')).toBe('descending');
    await page.click('#spend thead th:nth-child(2) button.sort');
    expect((await column(2)).map(BigInt)).toEqual([...server].reverse());
    await page.click('#spend thead th:nth-child(1) button.sort');
    const names = await column(1);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

    await page.goto(`${ui.url}/experiments/demo`);
    const candidates = () =>
      page
        .locator('#comparison tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-candidate') ?? ''));
    await page.click('#comparison thead th:nth-child(1) button.sort');
    const ascending = await candidates();
    expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b)));
    await page.click('#comparison thead th:nth-child(1) button.sort');
    expect(await candidates()).toEqual([...ascending].reverse());

    // Without script: the same page, no sort buttons, rows in the server's order.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const plain = await context.newPage();
    await plain.goto(`${ui.url}/spend?by=run`);
    expect(await plain.locator('button.sort').count()).toBe(0);
    expect(await plain.locator('#spend tbody tr').count()).toBe(server.length);
    await context.close();
    await page.close();
  });

  it('answers unknown pages and ids with a 404 page', async () => {
    const page = await browser.newPage();
    for (const path of ['/experiments/nope', '/traces/0123', '/nowhere']) {
      const response = await page.goto(`${ui.url}${path}`);
      expect(response?.status(), path).toBe(404);
      expect(await page.locator('h1').textContent()).toBe('Not found');
    }
    await page.close();
  });
});

describe('frugal ui access control', () => {
  it('refuses to listen beyond loopback without a token, and asks every request for it when set', async () => {
    const data = storeUiData(store, Date.now);
    await expect(startUiServer({ data, host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /set a token \(FRUGAL_UI_TOKEN\)/,
    );
    const guarded = await startUiServer({ data, host: '127.0.0.1', port: 0, token: 's3cret-token' });
    try {
      expect((await fetch(`${guarded.url}/`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/?token=wrong`)).status).toBe(401);
      const ok = await fetch(`${guarded.url}/?token=s3cret-token`);
      expect(ok.status).toBe(200);
      // Links keep the token, so clicking through works; so does the spend page's filter form.
      expect(await ok.text()).toContain('/experiments/demo?token=s3cret-token');
      const spend = await (await fetch(`${guarded.url}/spend?token=s3cret-token&model=x`)).text();
      expect(spend).toContain('<input type="hidden" name="token" value="s3cret-token">');
      expect(spend).toMatch(
        /href="\/spend\?by=model&#38;days=30&#38;token=s3cret-token" aria-label="remove model x"/,
      );
      expect(
        (await fetch(`${guarded.url}/`, { headers: { authorization: 'Bearer s3cret-token' } })).status,
      ).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('shows an empty state that tells a new user what to run', async () => {
    const empty = await openStore(join(directory, 'empty.db'));
    const server = await startUiServer({ data: storeUiData(empty, Date.now), port: 0 });
    try {
      const html = await (await fetch(`${server.url}/`)).text();
      expect(html).toContain('id="empty"');
      expect(html).toContain('npx frugal demo');
      const spend = await (await fetch(`${server.url}/spend`)).text();
      expect(spend).toContain('id="empty"');
      expect(spend).toContain('id="no-cache-hits"');
      expect(spend).toContain('enable <code>gateway.cache</code>');
      expect(spend).toContain('id="no-routed"');
      expect(spend).toContain('id="no-anomalies"');
    } finally {
      await server.close();
      await empty.close();
    }
  });
});

describe('frugal ui savings and anomalies, from real gateway traffic', () => {
  const day = 86_400_000;
  let ledger: Store | undefined;
  let server: RunningUi | undefined;
  let saved: bigint;
  afterAll(async () => {
    await server?.close();
    await ledger?.close();
  });

  beforeAll(async () => {
    // A gateway on the simulator (no model_list), with a policy routing frugal/auto to sim/small.
    const gateway = await startGateway({
      config: parseConfig('gateway:\n  router: { policy: auto }\n', 'frugal.yaml'),
      store: await openStore(join(directory, 'gateway.db')),
      cwd: directory,
      port: 0,
      env: {},
      log: () => {},
      policies: {
        auto: {
          route: (request) =>
            request.model === 'frugal/auto' ? { model: 'sim/small', reason: 'short prompt' } : undefined,
        },
      },
    });
    const ask = async (model: string, content: string) => {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
      });
      await response.text();
      return response.headers;
    };
    try {
      expect((await ask('sim/medium', 'What is a B-tree?')).get('x-frugal-cache')).toBe('miss');
      const hit = await ask('sim/medium', 'What is a B-tree?');
      expect(hit.get('x-frugal-cache')).toBe('hit');
      saved = parseUsd(hit.get('x-frugal-cache-saved-usd')!);
      expect(saved).toBeGreaterThan(0n);
      await ask('frugal/auto', 'Say hi.');
    } finally {
      await gateway.close();
    }
    // Ten quiet days at $1, then $50 today: a spend spike for the detectors of frugal alerts check.
    ledger = await openStore(join(directory, 'gateway.db'));
    const now = Date.now();
    const spend = (id: string, startTime: number, dollars: bigint): Span => ({
      id,
      traceId: `${id}-trace`,
      name: 'chat',
      kind: 'llm',
      startTime,
      durationMs: 5,
      status: 'ok',
      requestModel: 'gpt-4o',
      cost: { status: 'priced', total: dollars * 10n ** 12n, priceId: 'gpt-4o', source: 'test' },
      attribution: { feature: 'spiky' },
      attributes: {},
    });
    await ledger.insertSpans([
      ...Array.from({ length: 10 }, (_, index) => spend(`quiet-${index}`, now - (index + 1) * day, 1n)),
      spend('spike', now - 60_000, 50n),
    ]);
    server = await startUiServer({ data: storeUiData(ledger, Date.now), port: 0 });
  }, 60_000);

  it('shows the cache hit with exactly what it saved, the routed request, and the spend spike', async () => {
    const page = await browser.newPage();
    await page.goto(`${server!.url}/spend`);
    const summary = page.locator('#cache-saved');
    expect(await summary.getAttribute('data-hits')).toBe('1');
    expect(BigInt((await summary.getAttribute('data-saved-picos'))!)).toBe(saved);
    const exact = page.locator('#cache-savings tr[data-status="hit"] td');
    expect(await exact.nth(1).textContent()).toBe('1');
    expect(await page.locator('#cache-savings tr[data-status="semantic-hit"] td').nth(1).textContent()).toBe(
      '0',
    );
    const routed = await page.locator('#routed tbody tr').first().locator('td').allTextContents();
    expect(routed.slice(0, 3)).toEqual(['frugal/auto', 'sim/small', '1']);
    const spike = page.locator('#anomalies tr[data-kind="spend-spike"]');
    expect(await spike.count()).toBe(1);
    expect(await spike.textContent()).toContain('$50.00');
    await page.screenshot({ path: join(directory, 'spend.png'), fullPage: true });

    // The savings follow the page's filters: the gateway's calls have no feature.
    await page.goto(`${server!.url}/spend?feature=spiky`);
    expect(await page.locator('#no-cache-hits').count()).toBe(1);
    expect(await page.locator('#no-routed').count()).toBe(1);
    expect(await page.locator('#spend-total').getAttribute('data-calls')).toBe('11');
    await page.close();
  });
  it('judges anomalies with the code of frugal alerts check at most once a minute', async () => {
    let clock = Date.now();
    const data = storeUiData(ledger!, () => clock);
    const first = data.anomalies();
    expect((await first).map((alert) => alert.kind)).toContain('spend-spike');
    clock += 59_000;
    expect(data.anomalies()).toBe(first);
    clock += 1_000;
    const again = data.anomalies();
    expect(again).not.toBe(first);
    expect((await again).map((alert) => alert.id)).toEqual((await first).map((alert) => alert.id));
  });
});
