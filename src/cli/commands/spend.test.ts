import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';
import { cost } from '../../core/cost/cost.js';
import type { Span } from '../../core/spans/span.js';
import type { Usage } from '../../core/usage.js';
import { openStore } from '../../store/open-store.js';

const now = Date.parse('2026-11-22T12:00:00Z');
const hour = 3_600_000;
let sequence = 0;

/** A priced LLM span, costed by the real catalog exactly as the tracer does. */
function llmSpan(model: string, usage: Usage, at: number, attribution: Span['attribution']): Span {
  const result = cost(usage, model);
  sequence++;
  return {
    id: sequence.toString(16).padStart(16, '0'),
    traceId: sequence.toString(16).padStart(32, '0'),
    name: `chat ${model}`,
    kind: 'llm',
    startTime: at,
    durationMs: 420,
    status: 'ok',
    operation: 'chat',
    provider: model.startsWith('claude') ? 'anthropic' : 'openai',
    requestModel: model,
    responseModel: model,
    usage,
    cost:
      result.status === 'priced'
        ? { status: 'priced', total: result.total, priceId: result.model, source: result.source }
        : { status: 'unpriced', reason: result.reason, message: result.message },
    attribution,
    attributes: {},
  };
}

let directory: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'frugal-spend-'));
  const store = await openStore(`sqlite:${join(directory, 'ledger.db')}`);
  const spans: Span[] = [];
  // Yesterday: 3 × gpt-4o for "search" (alice), 2 × gpt-4o-mini for "chat" (bob), 1 unknown model.
  for (let index = 0; index < 3; index++) {
    spans.push(
      llmSpan('gpt-4o', { input: 1000, output: 500 }, now - 20 * hour + index, {
        feature: 'search',
        user: 'alice',
        tags: ['prod'],
      }),
    );
  }
  for (let index = 0; index < 2; index++) {
    spans.push(
      llmSpan('gpt-4o-mini', { input: 2000, output: 1000 }, now - 19 * hour + index, {
        feature: 'chat',
        user: 'bob',
      }),
    );
  }
  spans.push(
    llmSpan('my-secret-model', { input: 10, output: 10 }, now - 18 * hour, { feature: 'chat', user: 'bob' }),
  );
  // Ten days ago: one claude call, outside --since 7d.
  spans.push(
    llmSpan('claude-sonnet-4-5', { input: 100_000, output: 0 }, now - 240 * hour, {
      feature: 'search',
      user: 'carol',
    }),
  );
  await store.insertSpans(spans);
  await store.close();
});

const spend = (...args: string[]) =>
  runCli(['spend', '--store', 'ledger.db', ...args], { cwd: directory, now });

describe('frugal spend', () => {
  it('prints totals and By model / feature / user tables with exact amounts and shares', async () => {
    const { code, stdout, stderr } = await spend('--since', '7d');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // gpt-4o: 3 × (1000 × $2.50 + 500 × $10)/1M = $0.0225; gpt-4o-mini: 2 × (2000 × $0.15 + 1000 × $0.60)/1M = $0.0018.
    expect(stdout).toContain('Total $0.024300 · 6 calls');
    expect(stdout).toContain('1 call has no price for its model');
    expect(stdout).toMatch(/^gpt-4o\s+\$0\.022500\s+92\.59%\s+3\s/m);
    expect(stdout).toMatch(/^gpt-4o-mini\s+\$0\.001800\s+7\.41%\s+2\s/m);
    expect(stdout).toMatch(/^my-secret-model\s+unknown\s+—\s+1\s.*\s1$/m);
    expect(stdout).toContain('By feature');
    expect(stdout).toMatch(/^alice\s+\$0\.022500/m);
    expect(stdout).not.toContain('claude');
  });

  it('all time includes the older call', async () => {
    const { stdout } = await spend('--by', 'model');
    expect(stdout).toMatch(/^claude-sonnet-4-5\s+\$0\.300000/m);
    expect(stdout).toContain('Total $0.324300 · 7 calls');
  });

  it('groups by several dimensions and by day, filters and keeps the top N', async () => {
    const { stdout } = await spend(
      '--by',
      'feature,user',
      '--by',
      'day',
      '--where',
      'feature=chat',
      '--top',
      '1',
    );
    expect(stdout).toMatch(/^chat\s+bob\s+\$0\.001800/m);
    expect(stdout).toMatch(/^2026-11-21\s+\$0\.001800/m);
    expect(stdout).not.toMatch(/^search/m);
  });

  it('counts a span once per tag and reports untagged spans as (none)', async () => {
    const { stdout } = await spend('--by', 'tag', '--since', '7d');
    expect(stdout).toMatch(/^prod\s+\$0\.022500/m);
    expect(stdout).toMatch(/^\(none\)\s+\$0\.001800/m);
  });

  it('--json gives exact decimal strings and shares', async () => {
    const { stdout, code } = await spend('--by', 'model', '--since', '7d', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.total).toMatchObject({ cost_usd: '0.0243', calls: 6, unpriced_calls: 1 });
    expect(report.sections[0].rows[0]).toMatchObject({
      model: 'gpt-4o',
      cost_usd: '0.0225',
      share: 0.9259,
      calls: 3,
    });
  });

  it('--csv gives one table with a section column', async () => {
    const { stdout } = await spend('--by', 'user', '--since', '7d', '--csv');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'section,user,bucket_start,cost_usd,share,calls,unpriced_calls,input_tokens,output_tokens',
    );
    expect(lines[1]).toBe('total,,,0.0243,1,6,1,7010,3510');
    expect(lines).toContain('user,alice,,0.0225,0.9259,3,0,3000,1500');
  });

  it.each([
    [['--by', 'modle'], "--by 'modle': unknown 'modle'"],
    [['--by', 'day,week'], "--by 'day,week' names two time buckets"],
    [['--since', '7 days'], '--since must be a duration'],
    [['--since', '1d', '--until', '2d'], 'must be before --until'],
    [['--where', 'colour=red'], '--where must be DIMENSION=VALUE'],
    [['--top', '0'], '--top must be an integer ≥ 1'],
    [['--tz', 'Mars/Base'], "--tz must be an IANA time zone, got 'Mars/Base'"],
    [['--json', '--csv'], 'choose one of --json and --csv'],
    [['--colour'], "unknown option '--colour'"],
  ])('%j → exit 2 with a one-line error', async (args, message) => {
    const { code, stdout, stderr } = await spend(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });

  it('says plainly when nothing has been recorded yet, without creating a database', async () => {
    const { code, stderr } = await runCli(['spend'], { cwd: directory, now });
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(directory, '.frugal', 'frugal.db')} does not exist`);
  });

  it('prints a corrupt database file as one line naming it (exit 1), and leaves the file as it was', async () => {
    const path = join(directory, 'spreadsheet.db');
    const garbage = 'quarter,revenue\n'.repeat(400);
    writeFileSync(path, garbage);
    const { code, stdout, stderr } = await runCli(['spend', '--store', path], { cwd: directory, now });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(
        `^frugal spend: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a SQLite database \\(corrupt, or another kind of file\\): .+\\n$`,
      ),
    );
    expect(readFileSync(path, 'utf8')).toBe(garbage);
  });

  it('prints an unreachable PostgreSQL server as one line naming host and port, never the password', async () => {
    const { code, stderr } = await runCli(
      ['spend', '--store', 'postgres://frugal:s3cret@127.0.0.1:1/ledger'],
      {
        cwd: directory,
        now,
      },
    );
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^frugal spend: 127\.0\.0\.1:1\/ledger: /);
    expect(stderr).toMatch(/ECONNREFUSED|refused/);
    expect(stderr).not.toContain('s3cret');
  });
});
