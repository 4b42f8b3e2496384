import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeUiData } from '../../src/cli/commands/ui.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { type RunningUi, startUiServer } from '../../src/ui/server/ui-server.js';
import { createTestLedger, type TestLedger } from '../gateway/test-ledger.js';
import { runCli } from '../support/memory-io.js';

// `frugal ui` over a PostgreSQL store, page for page the same as over SQLite. Needs FRUGAL_TEST_PG_URL
// (`eval "$(bash ../shared/services.sh)"`): without it this file FAILS rather than skips.
const pgUrl = process.env['FRUGAL_TEST_PG_URL'];

/** The figures a page shows, without the ids that differ between two stores filled by the same demo. */
function figures(html: string): string[] {
  const cells = [...html.matchAll(/<td[^>]*>([^<]*\$[\d.,]+[^<]*)<\/td>/g)].map((match) => match[1]!);
  const candidates = [...html.matchAll(/data-candidate="([^"]+)"/g)].map((match) => match[1]!);
  return [...candidates, ...cells];
}

if (pgUrl === undefined) {
  describe('frugal ui over PostgreSQL', () => {
    it('needs FRUGAL_TEST_PG_URL', () => {
      throw new Error(
        'FRUGAL_TEST_PG_URL is not set: start PostgreSQL with `eval "$(bash ../shared/services.sh)"` and rerun',
      );
    });
  });
} else {
  describe('frugal ui over PostgreSQL', () => {
    const directory = mkdtempSync(join(tmpdir(), 'frugal-ui-pg-'));
    const ledger: TestLedger = createTestLedger(pgUrl, 'ui');
    const servers: { ui: RunningUi; store: Store }[] = [];

    beforeAll(async () => {
      for (const location of [ledger.storeUrl, join(directory, 'ledger.db')]) {
        const demo = await runCli(['demo', '--store', location], { cwd: directory, now: Date.now() });
        expect([demo.code, demo.stderr]).toEqual([0, '']);
        const store = await openStore(location);
        servers.push({ store, ui: await startUiServer({ data: storeUiData(store, Date.now), port: 0 }) });
      }
    }, 120_000);
    afterAll(async () => {
      for (const { ui, store } of servers) {
        await ui.close();
        await store.close();
      }
      await ledger.drop();
    });

    it('serves the experiments, the demo experiment, a trace and spend with the same figures as SQLite', async () => {
      const [postgres, sqlite] = servers.map(({ ui }) => ui.url) as [string, string];
      const get = async (base: string, path: string) => {
        const response = await fetch(`${base}${path}`);
        return { status: response.status, text: await response.text() };
      };
      for (const path of ['/', '/experiments/demo', '/spend?by=model&days=30', '/spend?by=run&days=30']) {
        const [fromPostgres, fromSqlite] = [await get(postgres, path), await get(sqlite, path)];
        expect(fromPostgres.status, path).toBe(200);
        expect(figures(fromPostgres.text), path).toEqual(figures(fromSqlite.text));
        if (path !== '/') expect(figures(fromPostgres.text).length, path).toBeGreaterThanOrEqual(3);
      }
      const experiment = await get(postgres, '/experiments/demo');
      expect(experiment.text.match(/data-candidate="/g)).toHaveLength(3);
      const trace = /href="(\/traces\/[^"]+)"/.exec(experiment.text)?.[1];
      expect(trace).toBeDefined();
      const page = await get(postgres, trace!);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/sim\/(small|medium|large)/);
      expect((await get(postgres, '/traces/no-such-trace')).status).toBe(404);
    });
  });
}
