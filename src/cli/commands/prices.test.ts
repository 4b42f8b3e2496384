import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';

describe('frugal prices', () => {
  it('search ranks models by closeness with input/output $/1M', async () => {
    const { code, stdout } = await runCli(['prices', 'search', 'sonnet-4-5', '--limit', '3']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^model\s+provider\s+mode\s+input \$\/1M\s+output \$\/1M\s+context$/);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^claude-sonnet-4-5\s+anthropic\s+chat\s+3\.00\s+15\.00\s+200,000$/);
  });

  it('search --json lists summaries; no match is an empty list', async () => {
    const hits = JSON.parse(
      (await runCli(['prices', 'search', 'gpt-4o-mini', '--json', '--limit', '2'])).stdout,
    );
    expect(hits[0]).toEqual({
      model: 'gpt-4o-mini',
      provider: 'openai',
      mode: 'chat',
      input_usd_per_1m: '0.15',
      output_usd_per_1m: '0.60',
      context_window: 128000,
      source: 'litellm:gpt-4o-mini',
    });
    expect(JSON.parse((await runCli(['prices', 'search', 'zzqqxx', '--json'])).stdout)).toEqual([]);
    expect((await runCli(['prices', 'search', 'zzqqxx'])).stdout).toBe("no model matches 'zzqqxx'\n");
  });

  it('show prints every rate, tier and band, the context window, max output and source', async () => {
    const { code, stdout } = await runCli(['prices', 'show', 'gpt-5.4']);
    expect(code).toBe(0);
    expect(stdout).toContain('gpt-5.4 (openai, chat)');
    expect(stdout).toContain('source: litellm:gpt-5.4');
    expect(stdout).toContain('context window: 1,050,000 tokens; max output: 128,000 tokens');
    for (const row of [
      /^standard\s+2\.50\s+0\.25\s/m,
      /^batch\s+1\.25\s/m,
      /^priority\s+5\.00\s/m,
      /^flex\s+1\.25\s/m,
    ]) {
      expect(stdout).toMatch(row);
    }
    expect(stdout).toMatch(/^input > 272,000\s+5\.00\s+0\.50\s+—\s+—\s+22\.50\s+—$/m);
  });

  it('show --json gives exact decimal strings and how the name matched', async () => {
    const json = JSON.parse(
      (await runCli(['prices', 'show', 'anthropic/claude-sonnet-4-5', '--json'])).stdout,
    );
    expect(json).toMatchObject({
      model: 'claude-sonnet-4-5',
      match: 'provider-prefix',
      provider: 'anthropic',
      context_window: 200000,
      max_output: 64000,
      source: 'litellm:claude-sonnet-4-5',
      rates: {
        input: '3.00',
        cached_input: '0.30',
        cache_write: '3.75',
        cache_write_1h: '6.00',
        output: '15.00',
      },
      batch: null,
      bands: [
        {
          kind: 'above-threshold',
          above_input_tokens: 200000,
          rates: { input: '6.00', cache_write_1h: '12.00' },
        },
      ],
      history: [{ effective_from: null, source: 'litellm:claude-sonnet-4-5' }],
    });
  });

  it('show includes config prices and their history', async () => {
    const files = {
      'frugal.yaml':
        'prices:\n  - model: gpt-4o\n    input: 1\n    output: 4\n    effective_from: 2026-12-01\n',
    };
    const { stdout } = await runCli(['prices', 'show', 'gpt-4o', '--date', '2027-01-01'], { files });
    expect(stdout).toContain('source: config:frugal.yaml#prices[0], effective from 2026-12-01');
    expect(stdout).toMatch(
      /price history:\n {2}always {2}litellm:gpt-4o\n {2}2026-12-01 {2}config:frugal\.yaml#prices\[0\]/,
    );
  });

  const failures: [string, string[], string][] = [
    [
      'unknown model',
      ['prices', 'show', 'claude-sonet-4'],
      "frugal prices: no price for model 'claude-sonet-4'; did you mean 'claude-sonnet-4-20250514'",
    ],
    [
      'no action',
      ['prices'],
      "frugal prices: expected 'search <text>' or 'show <model>' (see 'frugal prices --help')",
    ],
    ['unknown action', ['prices', 'list', 'x'], "frugal prices: expected 'search <text>' or 'show <model>'"],
    ['unknown flag', ['prices', 'search', 'gpt', '--all'], "frugal prices: unknown option '--all'"],
    [
      'bad limit',
      ['prices', 'search', 'gpt', '--limit', '0'],
      'frugal prices: --limit must be an integer ≥ 1',
    ],
    [
      'bad date',
      ['prices', 'show', 'gpt-4o', '--date', 'today'],
      "frugal prices: --date must be YYYY-MM-DD, got 'today'",
    ],
  ];
  it.each(failures)('%s → exit 2', async (_name, argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
