import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';

const base = ['cost', '--model', 'gpt-4o', '--input', '12000', '--cached-input', '8000', '--output', '800'];

describe('frugal cost', () => {
  it('prints one JSON object with exact decimal strings, the resolved id, the source and how it matched', async () => {
    const { code, stdout, stderr } = await runCli([
      ...base.map((arg) => (arg === 'gpt-4o' ? 'openai/gpt-4o' : arg)),
      '--json',
    ]);
    expect([code, stderr]).toEqual([0, '']);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({
      model: 'gpt-4o',
      provider: 'openai',
      requested: 'openai/gpt-4o',
      match: 'provider-prefix',
      cost_usd: '0.028',
      breakdown: {
        fresh_input: '0.01',
        cached_input: '0.01',
        output: '0.008',
        reasoning: '0.00',
        batch_discount: '0.00',
      },
      tokens: { fresh_input: 4000, cached_input: 8000, output: 800 },
      rates_usd_per_1m: { fresh_input: '2.50', cached_input: '1.25', output: '10.00' },
      price_source: 'litellm:gpt-4o',
      tier: 'standard',
      band: null,
      batch: 'none',
      notes: [],
    });
    expect(stdout.trim().startsWith('{') && stdout.trim().endsWith('}')).toBe(true);
  });

  it('prints a small table with a total', async () => {
    const { code, stdout } = await runCli(base);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'gpt-4o (openai)',
        'price: litellm:gpt-4o; tier: standard',
        '',
        '              tokens  $/1M tokens       cost',
        '------------  ------  -----------  ---------',
        'fresh input    4,000         2.50  $0.010000',
        'cached input   8,000         1.25  $0.010000',
        'output           800        10.00  $0.008000',
        'total                              $0.028000',
        '',
      ].join('\n'),
    );
  });

  it('shows the long-context band, the batch rule, the tier and fallback notes', async () => {
    const band = await runCli([
      'cost',
      '--model',
      'claude-sonnet-4-5',
      '--input',
      '300000',
      '--output',
      '10',
      '--json',
    ]);
    expect(JSON.parse(band.stdout)).toMatchObject({
      cost_usd: '1.800225',
      band: { kind: 'above-threshold', above_input_tokens: 200000, inclusive: false },
    });
    const batch = await runCli([
      'cost',
      '--model',
      'claude-3-haiku-20240307',
      '--input',
      '3',
      '--output',
      '1',
      '--batch',
    ]);
    expect(batch.stdout).toContain('batch discount (half price)');
    expect(batch.stdout).toContain('; batch: half-price');
    const tier = await runCli([...base, '--tier', 'priority', '--json']);
    expect(JSON.parse(tier.stdout)).toMatchObject({ tier: 'priority', cost_usd: '0.0476' });
    const note = await runCli([
      'cost',
      '--model',
      'mistral/mistral-large-latest',
      '--input',
      '10',
      '--cached-input',
      '5',
      '--output',
      '1',
    ]);
    expect(note.stdout).toContain('note: no cache-read rate: cached input priced at the input rate');
  });

  it('uses ./frugal.yaml when present, or --config, and the price in force on --date', async () => {
    const files = {
      'frugal.yaml':
        'prices:\n  - model: gpt-4o\n    input: 1\n    output: 4\n    effective_from: 2026-12-01\n',
    };
    const before = await runCli([...base, '--json'], { files, today: '2026-11-30' });
    expect(JSON.parse(before.stdout)).toMatchObject({ price_source: 'litellm:gpt-4o' });
    const after = await runCli([...base, '--json', '--date', '2026-12-01'], { files });
    expect(JSON.parse(after.stdout)).toMatchObject({
      price_source: 'config:frugal.yaml#prices[0]',
      effective_from: '2026-12-01',
      cost_usd: '0.0152',
    });
    const custom = await runCli(
      ['cost', '--model', 'my-model', '--input', '1000', '--output', '0', '--config', 'p.json', '--json'],
      {
        files: { 'p.json': '{"prices": [{"model": "my-model", "input": 3, "output": 3}]}' },
      },
    );
    expect(JSON.parse(custom.stdout)).toMatchObject({
      model: 'my-model',
      provider: 'custom',
      cost_usd: '0.003',
    });
  });

  it('prices self-hosted GPU-hour models with --duration-ms, and refuses without it', async () => {
    const files = {
      'frugal.yaml': 'prices:\n  - model: local\n    gpu: { hourly_usd: 3.6, count: 1, concurrency: 1 }\n',
    };
    const priced = await runCli(
      ['cost', '--model', 'local', '--input', '1', '--output', '1', '--duration-ms', '1000', '--json'],
      { files },
    );
    expect(JSON.parse(priced.stdout)).toMatchObject({ cost_usd: '0.001', breakdown: { gpu_time: '0.001' } });
    const missing = await runCli(['cost', '--model', 'local', '--input', '1', '--output', '1'], { files });
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe(
      "frugal cost: 'local' is priced per GPU-hour: its cost needs the request's measured duration\n",
    );
  });

  const failures: [string, string[], Record<string, string>, string][] = [
    [
      'unknown model',
      ['cost', '--model', 'gpt4o', '--input', '1', '--output', '1'],
      {},
      "frugal cost: no price for model 'gpt4o'; did you mean 'gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-2024-08-06', 'gpt-4o-2024-11-20', 'azure/gpt-4o'?",
    ],
    [
      'negative count',
      [...base.slice(0, 3), '--input=-1', '--output', '1'],
      {},
      "frugal cost: --input must be a non-negative integer, got '-1'",
    ],
    [
      'fractional count',
      [...base.slice(0, 3), '--input', '1.5', '--output', '1'],
      {},
      "frugal cost: --input must be a non-negative integer, got '1.5'",
    ],
    [
      'cached above input',
      ['cost', '--model', 'gpt-4o', '--input', '10', '--cached-input', '11', '--output', '1'],
      {},
      'frugal cost: --cached-input + --cache-write + --cache-write-1h (11) exceed --input (10); --input must include them',
    ],
    [
      'reasoning above output',
      ['cost', '--model', 'gpt-4o', '--input', '10', '--output', '1', '--reasoning', '2'],
      {},
      'frugal cost: --reasoning (2) exceeds --output (1); --output must include it',
    ],
    [
      'unknown flag',
      [...base, '--frob'],
      {},
      "frugal cost: unknown option '--frob' (see 'frugal cost --help')",
    ],
    ['missing model', ['cost', '--input', '1', '--output', '1'], {}, 'frugal cost: --model is required'],
    [
      'missing output',
      ['cost', '--model', 'gpt-4o', '--input', '1'],
      {},
      'frugal cost: --output is required (0 for embeddings)',
    ],
    [
      'bad tier',
      [...base, '--tier', 'turbo'],
      {},
      "frugal cost: --tier must be one of priority, flex, got 'turbo'",
    ],
    [
      'batch with tier',
      [...base, '--tier', 'flex', '--batch'],
      {},
      'frugal cost: --batch and --tier flex cannot be combined',
    ],
    [
      'bad date',
      [...base, '--date', '2026-1-1'],
      {},
      "frugal cost: --date must be YYYY-MM-DD, got '2026-1-1'",
    ],
    ['no tier price', [...base, '--tier', 'flex'], {}, "frugal cost: no flex price for 'gpt-4o'"],
    [
      'bad config',
      base,
      { 'frugal.yaml': 'prices:\n  - model: gpt-4o\n    input: -2\n    output: 1\n' },
      // main.ts prefixes 'frugal cost: ' only to messages not starting with 'frugal', and 'frugal.yaml' does.
      'frugal cost: frugal.yaml at prices[0].input: expected a USD price per 1M tokens: a number ≥ 0 or a decimal string such as "2.50", found -2',
    ],
    [
      'missing --config file',
      [...base, '--config', 'nope.yaml'],
      {},
      "frugal cost: cannot read 'nope.yaml': no such file",
    ],
    [
      'stray argument',
      [...base, 'extra'],
      {},
      "frugal cost: unexpected argument 'extra' (see 'frugal cost --help')",
    ],
  ];
  it.each(failures)('%s → exit 2 and one line on stderr', async (_name, argv, files, message) => {
    const { code, stdout, stderr } = await runCli(argv, { files });
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });

  it('explains the usage convention in --help', async () => {
    const { code, stdout } = await runCli(['cost', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('INCLUDING cached reads and cache writes');
    expect(stdout).toContain('INCLUDING reasoning tokens');
  });
});
