import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';

const base = [
  'breakeven',
  '--api-per-1m',
  '10',
  '--tokens-per-query',
  '700',
  '--gpu-monthly',
  '2000',
  '--self-host-per-1m',
  '0.30',
];

describe('frugal breakeven', () => {
  it('prints the break-even volume and a table including it', async () => {
    const { code, stdout, stderr } = await runCli(base);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toContain('API:        $0.007 per query (700 tokens)');
    expect(stdout).toContain('Self-host:  $2,000.00 per month + $0.00021 per query');
    expect(stdout).toContain(
      'Break-even: 294,551 queries/month. From there on, self-hosting costs no more than the API.',
    );
    expect(stdout).toMatch(/^ +10,000 +\$70\.00 +1 +\$2,002\.10 +api$/m);
    expect(stdout).toMatch(/^ +294,551 +\$2,061\.86 +1 +\$2,061\.86 +self-host$/m);
    expect(stdout).toMatch(/^ +100,000,000 +\$700,000\.00 +1 +\$23,000\.00 +self-host$/m);
  });

  it('steps GPUs with traffic and says when self-hosting stays cheaper', async () => {
    const { code, stdout } = await runCli([...base, '--gpu-tokens-per-second', '100']);
    expect(code).toBe(0);
    expect(stdout).toContain('Capacity:   370,286 queries per GPU per month');
    expect(stdout).toContain(
      'Break-even: 294,551 queries/month, but each added GPU makes the API cheaper again until it fills; self-hosting stays cheaper from 1,178,204 queries/month.',
    );
    expect(stdout).toMatch(/^ +1,178,204 +\$8,247\.43 +4 +\$8,247\.42 +self-host$/m);
    expect(stdout).toMatch(/^ +100,000,000 +\$700,000\.00 +271 +\$563,000\.00 +self-host$/m);
  });

  it.each([
    [
      'input and output priced apart',
      [
        'breakeven',
        '--api-input-per-1m',
        '2.50',
        '--api-output-per-1m',
        '10',
        '--input-tokens',
        '500',
        '--output-tokens',
        '200',
        '--gpu-monthly',
        '2000',
        '--self-host-per-1m',
        '0.3',
      ],
      'Break-even: 657,895 queries/month.',
    ],
    [
      'an API cheaper at the margin',
      [...base.slice(0, 2), '0.2', ...base.slice(3)],
      "No break-even: the API's marginal cost ($0.00014 per query) is no more than self-hosting's ($0.00021), so self-hosting is never cheaper.",
    ],
    [
      'a GPU that never pays for itself',
      [...base, '--gpu-tokens-per-second', '10'],
      'No break-even: a fully used GPU serves 37,029 queries/month and saves $251.42, less than its $2,000.00, so self-hosting is never cheaper.',
    ],
    [
      'a GPU that saves exactly its cost',
      [
        'breakeven',
        '--api-per-1m',
        '1',
        '--tokens-per-query',
        '1000',
        '--gpu-monthly',
        '2.592',
        '--self-host-per-1m',
        '0',
        '--gpu-tokens-per-second',
        '1',
      ],
      'Break-even only at full GPUs (multiples of 2,592 queries/month)',
    ],
    [
      'utilization halving capacity',
      [...base, '--gpu-tokens-per-second', '200', '--utilization', '0.5', '--days-per-month', '30'],
      'Capacity:   370,286 queries per GPU per month',
    ],
  ])('explains %s', async (_name, argv, sentence) => {
    const { code, stdout } = await runCli(argv);
    expect(code).toBe(0);
    expect(stdout).toContain(sentence);
  });

  it('tabulates the given volumes as JSON', async () => {
    const { code, stdout } = await runCli([...base, '--volumes', '1k, 2.5M,3000000', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.break_even).toEqual({
      kind: 'volume',
      queries_per_month: 294551,
      cheaper_from_queries_per_month: 294551,
    });
    expect(result.api_per_query_usd).toBe('0.007');
    expect(result.self_host_per_query_usd).toBe('0.00021');
    expect(result.queries_per_gpu_per_month).toBeNull();
    expect(result.volumes).toEqual([
      { queries_per_month: 1000, api_usd: '7.00', gpus: 1, self_host_usd: '2000.21', cheaper: 'api' },
      {
        queries_per_month: 2500000,
        api_usd: '17500.00',
        gpus: 1,
        self_host_usd: '2525.00',
        cheaper: 'self-host',
      },
      {
        queries_per_month: 3000000,
        api_usd: '21000.00',
        gpus: 1,
        self_host_usd: '2630.00',
        cheaper: 'self-host',
      },
    ]);
  });

  it('reports no break-even in JSON with its reason', async () => {
    const { stdout } = await runCli([...base, '--gpu-tokens-per-second', '10', '--json', '--volumes', '0']);
    const result = JSON.parse(stdout);
    expect(result.break_even).toEqual({ kind: 'none', reason: 'gpu-never-pays-off' });
    expect(result.volumes).toEqual([
      { queries_per_month: 0, api_usd: '0.00', gpus: 1, self_host_usd: '2000.00', cheaper: 'api' },
    ]);
  });

  it.each([
    [
      'an unknown flag',
      [...base, '--gpus', '2'],
      "frugal breakeven: unknown option '--gpus' (see 'frugal breakeven --help')",
    ],
    [
      'a stray argument',
      [...base, 'now'],
      "frugal breakeven: unexpected argument 'now' (see 'frugal breakeven --help')",
    ],
    [
      'a missing GPU cost',
      base.slice(0, 5).concat(base.slice(7)),
      "frugal breakeven: --gpu-monthly is required (see 'frugal breakeven --help')",
    ],
    [
      'a missing API price',
      ['breakeven', ...base.slice(3)],
      "frugal breakeven: --api-per-1m is required (see 'frugal breakeven --help')",
    ],
    [
      'a negative GPU cost',
      [...base.slice(0, 5), '--gpu-monthly=-5', ...base.slice(7)],
      "frugal breakeven: --gpu-monthly must be a non-negative decimal number, got '-5'",
    ],
    [
      'a non-numeric price',
      [...base.slice(0, 8), 'cheap'],
      "frugal breakeven: --self-host-per-1m must be a non-negative decimal number, got 'cheap'",
    ],
    [
      'zero tokens per query',
      [...base.slice(0, 4), '0', ...base.slice(5)],
      "frugal breakeven: --tokens-per-query must be more than 0, got '0'",
    ],
    [
      'a utilization above 1',
      [...base, '--gpu-tokens-per-second', '10', '--utilization', '1.5'],
      "frugal breakeven: --utilization must be more than 0 and at most 1, got '1.5'",
    ],
    [
      'a utilization without throughput',
      [...base, '--utilization', '0.5'],
      'frugal breakeven: --utilization needs --gpu-tokens-per-second',
    ],
    [
      'a zero throughput',
      [...base, '--gpu-tokens-per-second', '0'],
      "frugal breakeven: --gpu-tokens-per-second must be more than 0, got '0'",
    ],
    [
      'a zero-day month',
      [...base, '--days-per-month', '0'],
      "frugal breakeven: --days-per-month must be more than 0, got '0'",
    ],
    [
      'both pricing forms',
      [...base, '--input-tokens', '5'],
      "frugal breakeven: give either --api-per-1m or --input-tokens, not both (see 'frugal breakeven --help')",
    ],
    [
      'an incomplete split pricing',
      ['breakeven', '--api-input-per-1m', '1', '--gpu-monthly', '1', '--self-host-per-1m', '0'],
      "frugal breakeven: --api-output-per-1m is required (see 'frugal breakeven --help')",
    ],
    [
      'a fractional volume',
      [...base, '--volumes', '10,1.5'],
      "frugal breakeven: --volumes must be whole numbers of queries per month like 10000 or 2.5M, separated by commas; got '1.5'",
    ],
    [
      'a negative volume',
      [...base, '--volumes=-10'],
      "frugal breakeven: --volumes must be whole numbers of queries per month like 10000 or 2.5M, separated by commas; got '-10'",
    ],
    [
      'an empty volume',
      [...base, '--volumes', '10,,20'],
      "frugal breakeven: --volumes must be whole numbers of queries per month like 10000 or 2.5M, separated by commas; got ''",
    ],
  ])('exits 2 with one line for %s', async (_name, argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(`${message}\n`);
  });

  it('documents every flag in --help', async () => {
    const { stdout } = await runCli(['breakeven', '--help']);
    for (const flag of [
      '--api-per-1m',
      '--tokens-per-query',
      '--api-input-per-1m',
      '--api-output-per-1m',
      '--input-tokens',
      '--output-tokens',
      '--gpu-monthly',
      '--self-host-per-1m',
      '--gpu-tokens-per-second',
      '--utilization',
      '--days-per-month',
      '--volumes',
      '--json',
    ]) {
      expect(stdout).toContain(flag);
    }
  });
});
