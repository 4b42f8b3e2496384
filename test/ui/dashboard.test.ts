import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeUiData } from '../../src/cli/commands/ui.js';
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
      // Links keep the token, so clicking through works.
      expect(await ok.text()).toContain('/experiments/demo?token=s3cret-token');
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
    } finally {
      await server.close();
      await empty.close();
    }
  });
});
