import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../../core/errors.js';
import type { Span } from '../../core/spans/span.js';
import { paretoChartSpec } from '../charts/pareto-chart.js';
import { renderChartSvg } from '../charts/render-chart.js';
import { sortableTablesScript } from '../pages/sortable-tables.js';
import { type SpendData, spendPage } from '../pages/spend-route.js';
import { traceBody } from '../pages/trace-page.js';
import type { ExperimentReport } from '../report/experiment-report.js';
import { escapeHtml, htmlDocument, reportBody } from '../report/report-html.js';

/** One experiment in the list. */
export type ExperimentSummary = {
  readonly name: string;
  readonly candidates: readonly string[];
  readonly runs: number;
  /** Epoch ms of its newest run. */
  readonly lastRunAt: number;
  readonly simulated: boolean;
};

/** What the dashboard reads: a port, so ui/ depends on no engine (the CLI composes it from the store and eval). */
export interface UiData extends SpendData {
  experiments(): Promise<ExperimentSummary[]>;
  experiment(name: string): Promise<ExperimentReport | undefined>;
  trace(id: string): Promise<Span[]>;
}

export type UiServerOptions = {
  readonly data: UiData;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  /** Required on every request when set (`?token=` or `Authorization: Bearer`); required off loopback. */
  readonly token?: string | undefined;
  /** Epoch ms (default Date.now): the spend page's "last N days". */
  readonly now?: (() => number) | undefined;
};

export type RunningUi = { readonly url: string; close(): Promise<void> };

const loopback = (host: string) => host === '127.0.0.1' || host === '::1' || host === 'localhost';

const nav = (token: string | undefined) => {
  const suffix = token ? `?token=${encodeURIComponent(token)}` : '';
  return `<nav class="meta"><a href="/${suffix}">Experiments</a> · <a href="/spend${suffix}">Spend</a> · frugal</nav>`;
};

function page(
  response: ServerResponse,
  status: number,
  title: string,
  body: string,
  token: string | undefined,
) {
  const html = htmlDocument(`${title} — frugal`, `${nav(token)}\n${body}\n${sortableTablesScript}`);
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  response.end(html);
}

function authorised(request: IncomingMessage, url: URL, token: string): boolean {
  const given =
    url.searchParams.get('token') ?? /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const [a, b] = [Buffer.from(given), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `frugal ui`: server-rendered pages from the store — experiments, an experiment's comparison with its chart
 * and every answer, a trace's span tree, spend with filters, savings, budgets, alerts and anomalies — with no
 * network (charts are inline SVG from the same Vega-Lite spec as the reports) and one small inline script
 * that sorts tables (every page works without it). Bound to loopback by default; anywhere else it refuses to start without a
 * token. Unknown pages and ids answer a 404 page.
 */
export async function startUiServer(options: UiServerOptions): Promise<RunningUi> {
  const host = options.host ?? '127.0.0.1';
  const { token, data } = options;
  if (!loopback(host) && !token) {
    throw new UsageError(
      `frugal ui: bound to ${host}, not loopback: set a token (FRUGAL_UI_TOKEN) so that only you can read your spend`,
    );
  }
  const withToken = (path: string) => (token ? `${path}?token=${encodeURIComponent(token)}` : path);
  const notFound = (response: ServerResponse, what: string) =>
    page(
      response,
      404,
      'Not found',
      `<h1>Not found</h1><p>${what}</p><p><a href="${withToken('/')}">All experiments</a></p>`,
      token,
    );

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://ui');
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (token && !authorised(request, url, token)) {
      page(
        response,
        401,
        'Token required',
        '<h1>Token required</h1><p>Open the address frugal ui printed, with its <code>?token=</code>.</p>',
        undefined,
      );
      return;
    }
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    const path = decodeURIComponent(url.pathname);
    if (path === '/') {
      const experiments = await data.experiments();
      const body =
        experiments.length === 0
          ? '<h1>No experiments yet</h1><p id="empty">Run <code>npx frugal demo</code> (offline) or <code>npx frugal eval your.yaml</code>, then reload.</p>'
          : `<h1>Experiments</h1><table id="experiments"><thead><tr><th>experiment</th><th>candidates</th><th class="num">runs</th><th>last run</th></tr></thead><tbody>${experiments
              .map(
                (experiment) =>
                  `<tr><td><a class="experiment" href="${escapeHtml(withToken(`/experiments/${encodeURIComponent(experiment.name)}`))}">${escapeHtml(experiment.name)}</a>${experiment.simulated ? ' <span class="simulated-label">simulated</span>' : ''}</td><td>${escapeHtml(experiment.candidates.join(', '))}</td><td class="num">${experiment.runs}</td><td>${new Date(experiment.lastRunAt).toISOString().replace('T', ' ').slice(0, 16)} UTC</td></tr>`,
              )
              .join('')}</tbody></table>`;
      page(response, 200, 'Experiments', body, token);
      return;
    }
    const experiment = /^\/experiments\/(.+)$/.exec(path)?.[1];
    if (experiment !== undefined) {
      const report = await data.experiment(experiment);
      if (report === undefined) return notFound(response, `No experiment named ${escapeHtml(experiment)}.`);
      const svg = await renderChartSvg(paretoChartSpec(report));
      page(
        response,
        200,
        report.experiment,
        reportBody(report, svg, (id) => withToken(`/traces/${encodeURIComponent(id)}`)),
        token,
      );
      return;
    }
    if (path === '/spend') {
      const spend = await spendPage(data, url.searchParams, (options.now ?? Date.now)(), token);
      page(response, spend.status, spend.title, spend.body, token);
      return;
    }
    const traceId = /^\/traces\/([^/]+)$/.exec(path)?.[1];
    if (traceId !== undefined) {
      const spans = await data.trace(traceId);
      if (spans.length === 0) return notFound(response, `No trace ${escapeHtml(traceId)} in this store.`);
      page(response, 200, `Trace ${traceId}`, traceBody(traceId, spans), token);
      return;
    }
    notFound(response, `Nothing at ${escapeHtml(path)}.`);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        page(
          response,
          500,
          'Error',
          `<h1>Error</h1><pre>${escapeHtml((error as Error).message)}</pre>`,
          token,
        );
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5000, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
