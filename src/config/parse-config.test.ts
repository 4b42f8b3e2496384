import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../core/errors.js';
import { loadConfig } from './load-config.js';
import { parseConfig } from './parse-config.js';

describe('parseConfig: valid files', () => {
  it('turns YAML prices into exact integers, overrides and custom models alike', () => {
    const config = parseConfig(
      [
        'prices:',
        '  - model: gpt-4o',
        '    input: 2.00',
        '    output: "8"',
        '    cached_input: 0.000001',
        '    batch_input: 1',
        '    effective_from: 2026-12-01',
        '  - model: llama-local',
        '    provider: self-hosted',
        '    context_window: 131072',
        '    gpu: { hourly_usd: 2.49, count: 2, concurrency: 8 }',
        '  - model: llama-throughput',
        '    gpu: { hourly_usd: "1.5", count: 1, tokens_per_second: 2500.5 }',
      ].join('\n'),
      'frugal.yaml',
    );
    expect(config.file).toBe('frugal.yaml');
    expect(config.prices).toEqual([
      {
        model: 'gpt-4o',
        origin: { file: 'frugal.yaml', path: 'prices[0]' },
        effectiveFrom: '2026-12-01',
        pricing: {
          kind: 'tokens',
          rates: { input: 2_000_000n, cachedInput: 1n, output: 8_000_000n },
          batch: { input: 1_000_000n },
        },
      },
      {
        model: 'llama-local',
        origin: { file: 'frugal.yaml', path: 'prices[1]' },
        provider: 'self-hosted',
        contextWindow: 131_072,
        pricing: {
          kind: 'gpu-hours',
          gpu: { hourlyPerGpu: 2_490_000_000_000n, gpuCount: 2, concurrency: 8 },
        },
      },
      {
        model: 'llama-throughput',
        origin: { file: 'frugal.yaml', path: 'prices[2]' },
        pricing: {
          kind: 'gpu-hours',
          gpu: { hourlyPerGpu: 1_500_000_000_000n, gpuCount: 1, tokensPerSecond: 2500.5 },
        },
      },
    ]);
  });

  it('reads JSON (with a $schema key) and treats an empty file as no prices', () => {
    const json =
      '{"$schema": "./schema/frugal.schema.json", "prices": [{"model": "m", "input": "0.1", "output": 0.2}]}';
    expect(parseConfig(json, 'frugal.json').prices[0]?.pricing).toEqual({
      kind: 'tokens',
      rates: { input: 100_000n, output: 200_000n },
      batch: {},
    });
    expect(parseConfig('', 'frugal.yaml').prices).toEqual([]);
    expect(parseConfig('# nothing yet\n', 'frugal.yaml').prices).toEqual([]);
  });
});

describe('parseConfig: budgets, alerts and anomaly thresholds', () => {
  it('reads budgets with defaults from the file, webhooks and anomaly overrides', () => {
    const config = parseConfig(
      [
        'time_zone: Europe/Berlin',
        'budgets:',
        '  - scope: global',
        '    period: month',
        '    limit_usd: 500',
        '    hard: true',
        '  - id: search-daily',
        '    scope: feature:search',
        '    period: day',
        '    limit_usd: "12.50"',
        '    thresholds: [80, 100]',
        '    time_zone: UTC',
        'alerts:',
        '  webhooks:',
        '    - https://hooks.slack.com/services/T/B/x',
        '    - { url: "https://alerts.example.com/in", headers: { authorization: "Bearer t" } }',
        'anomalies:',
        '  retry_storm: { window: 5m, min_calls: 6 }',
        '  eval_sprawl: { max_share: 0.1, min_total_usd: 2 }',
      ].join('\n'),
      'frugal.yaml',
    );
    expect(config.timeZone).toBe('Europe/Berlin');
    expect(config.budgets).toEqual([
      {
        id: 'global/month',
        scope: { kind: 'global' },
        period: 'month',
        timeZone: 'Europe/Berlin',
        limit: 500_000_000_000_000n,
        hard: true,
        thresholds: [50, 80, 90, 100],
        origin: { file: 'frugal.yaml', path: 'budgets[0]' },
      },
      {
        id: 'search-daily',
        scope: { kind: 'feature', value: 'search' },
        period: 'day',
        timeZone: 'UTC',
        limit: 12_500_000_000_000n,
        hard: false,
        thresholds: [80, 100],
        origin: { file: 'frugal.yaml', path: 'budgets[1]' },
      },
    ]);
    expect(config.alerts).toEqual({
      webhooks: [
        { url: 'https://hooks.slack.com/services/T/B/x', headers: {} },
        { url: 'https://alerts.example.com/in', headers: { authorization: 'Bearer t' } },
      ],
    });
    expect(config.anomalies).toEqual({
      retryStorm: { windowMs: 300_000, minCalls: 6 },
      evalSprawl: { maxShare: 0.1, minTotalUsd: '2' },
    });
  });
});

describe('parseConfig: every bad field is a one-line ConfigError naming file, path, expected and found', () => {
  const price = (lines: string) => `prices:\n  - model: m\n${lines}`;
  const cases: [name: string, text: string, message: string][] = [
    ['prices not a list', 'prices: 3', 'frugal.yaml at prices: expected a list of prices, found 3'],
    [
      'missing model',
      'prices:\n  - input: 1\n    output: 2',
      'frugal.yaml at prices[0].model: expected a model name (a catalog id to override, or a custom name), found nothing',
    ],
    [
      'negative price',
      price('    input: -1\n    output: 2'),
      'frugal.yaml at prices[0].input: expected a USD price per 1M tokens: a number ≥ 0 or a decimal string such as "2.50", found -1',
    ],
    [
      'price as words',
      price('    input: cheap\n    output: 2'),
      'frugal.yaml at prices[0].input: expected a USD price per 1M tokens: a number ≥ 0 or a decimal string such as "2.50", found "cheap"',
    ],
    [
      'too many decimals',
      price('    input: "0.0000001"\n    output: 2'),
      "frugal.yaml at prices[0].input: expected at most 6 decimals (micro-dollars per 1M tokens), found '0.0000001'",
    ],
    [
      'misspelt key',
      price('    inptu: 1\n    output: 2'),
      "frugal.yaml at prices[0]: unknown key 'inptu' (expected one of model, provider, mode, effective_from, " +
        'context_window, max_output, input, output, cached_input, cache_write, cache_write_1h, reasoning, ' +
        'batch_input, batch_output, gpu)',
    ],
    [
      'unknown section',
      'budget: {}',
      "frugal.yaml: unknown key 'budget' (expected one of $schema, store, prices, time_zone, budgets, alerts, anomalies, gateway)",
    ],
    [
      'budget scope without a name',
      'budgets:\n  - scope: "feature:"\n    period: day\n    limit_usd: 5',
      "frugal.yaml at budgets[0].scope: expected a name after 'feature:', found nothing",
    ],
    [
      'budget scope of an unknown kind',
      'budgets:\n  - scope: team:ml\n    period: day\n    limit_usd: 5',
      "frugal.yaml at budgets[0].scope: expected 'global' or one of model:<name>, feature:<name>, user:<name>, key:<name>, tag:<name>, found 'team:ml'",
    ],
    [
      'budget period',
      'budgets:\n  - scope: global\n    period: fortnight\n    limit_usd: 5',
      'frugal.yaml at budgets[0].period: expected one of hour, day, week, month, found "fortnight"',
    ],
    [
      'budget limit in words',
      'budgets:\n  - scope: global\n    period: day\n    limit_usd: fifty',
      'frugal.yaml at budgets[0].limit_usd: expected a USD amount: a number ≥ 0 or a decimal string such as "50.00", found "fifty"',
    ],
    [
      'budget thresholds out of order',
      'budgets:\n  - scope: global\n    period: day\n    limit_usd: 5\n    thresholds: [80, 50]',
      'frugal.yaml at budgets[0].thresholds: expected thresholds in ascending order without repeats, found 50 after 80',
    ],
    [
      'budget zone',
      'budgets:\n  - scope: global\n    period: day\n    limit_usd: 5\n    time_zone: Mars/Olympus',
      'frugal.yaml at budgets[0].time_zone: expected an IANA time zone such as Europe/Berlin, found "Mars/Olympus"',
    ],
    [
      'duplicate budget ids',
      'budgets:\n  - scope: global\n    period: day\n    limit_usd: 5\n  - scope: global\n    period: day\n    limit_usd: 9',
      "frugal.yaml at budgets[1]: duplicate budget id 'global/day' (also budgets[0])",
    ],
    [
      'misspelt budget key',
      'budgets:\n  - scope: global\n    period: day\n    limit: 5',
      "frugal.yaml at budgets[0]: unknown key 'limit' (expected one of id, scope, period, limit_usd, hard, thresholds, time_zone)",
    ],
    [
      'webhook not a URL',
      'alerts:\n  webhooks: [not-a-url]',
      'frugal.yaml at alerts.webhooks[0]: expected an http(s) URL, found "not-a-url"',
    ],
    [
      'anomaly duration',
      'anomalies:\n  retry_storm: { window: ten minutes }',
      'frugal.yaml at anomalies.retry_storm.window: expected a duration such as 30s, 10m, 1h, 7d or 2w, found "ten minutes"',
    ],
    [
      'misspelt anomaly key',
      'anomalies:\n  eval_sprawl: { max_shares: 0.2 }',
      "frugal.yaml at anomalies.eval_sprawl: unknown key 'max_shares' (expected one of enabled, tags, window, max_share, min_total_usd)",
    ],
    [
      'missing output',
      price('    input: 1'),
      'frugal.yaml at prices[0].output: expected output (USD per 1M tokens) or a gpu price, found nothing',
    ],
    [
      'both per-token and gpu',
      price('    input: 1\n    gpu: { hourly_usd: 2, count: 1, concurrency: 2 }'),
      'frugal.yaml at prices[0]: expected either per-token prices or gpu, found both (input and gpu)',
    ],
    [
      'gpu without concurrency or throughput',
      price('    gpu: { hourly_usd: 2, count: 1 }'),
      'frugal.yaml at prices[0].gpu: expected exactly one of concurrency or tokens_per_second, found neither',
    ],
    [
      'fractional GPU count',
      price('    gpu: { hourly_usd: 2, count: 1.5, concurrency: 2 }'),
      'frugal.yaml at prices[0].gpu.count: expected a whole number of GPUs ≥ 1, found 1.5',
    ],
    [
      'concurrency with 4 decimals',
      price('    gpu: { hourly_usd: 2, count: 1, concurrency: 1.2345 }'),
      'frugal.yaml at prices[0].gpu.concurrency: expected at most 3 decimals, found 1.2345',
    ],
    [
      'unknown gpu key',
      price('    gpu: { hourly_usd: 2, count: 1, concurency: 2 }'),
      "frugal.yaml at prices[0].gpu: unknown key 'concurency' (expected one of hourly_usd, count, concurrency, tokens_per_second)",
    ],
    [
      'date in words',
      price('    input: 1\n    output: 2\n    effective_from: next week'),
      'frugal.yaml at prices[0].effective_from: expected a date YYYY-MM-DD, found "next week"',
    ],
    [
      'impossible date',
      price('    input: 1\n    output: 2\n    effective_from: 2026-02-30'),
      'frugal.yaml at prices[0].effective_from: expected a real calendar date, found 2026-02-30',
    ],
    [
      'unknown mode',
      price('    input: 1\n    output: 2\n    mode: image'),
      'frugal.yaml at prices[0].mode: expected one of chat, completion, responses, embedding, found "image"',
    ],
    [
      'hourly price in words',
      price('    gpu: { hourly_usd: lots, count: 1, concurrency: 2 }'),
      'frugal.yaml at prices[0].gpu.hourly_usd: expected a USD price per GPU-hour: a number ≥ 0 or a decimal string such as "2.49", found "lots"',
    ],
    ['malformed YAML', 'prices:\n  - model: [unclosed', 'frugal.yaml at line 2, column 21: malformed YAML: '],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    let error: unknown;
    try {
      parseConfig(text, 'frugal.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text_ = (error as ConfigError).message;
    expect(text_.split('\n')).toHaveLength(1);
    if (message.endsWith(': ')) expect(text_.startsWith(message)).toBe(true);
    else expect(text_).toBe(message);
  });

  it('names malformed JSON', () => {
    expect(() => parseConfig('{"prices": [', 'frugal.json')).toThrow(
      /^frugal\.json at line 1, column 13: malformed JSON: /,
    );
  });
});

describe('loadConfig', () => {
  const reader = (files: Record<string, string>) => async (path: string) => {
    const text = files[path];
    if (text === undefined) throw new UsageError(`cannot read '${path}': no such file`);
    return text;
  };

  it('uses ./frugal.yaml when present and is fine without it', async () => {
    expect(await loadConfig(reader({}), undefined)).toBeUndefined();
    const config = await loadConfig(reader({ 'frugal.yaml': 'prices: []' }), undefined);
    expect(config).toMatchObject({ file: 'frugal.yaml', prices: [], budgets: [], anomalies: {} });
  });

  it('fails on a named file that is missing, and on a broken default file', async () => {
    await expect(loadConfig(reader({}), 'prices.yaml')).rejects.toThrow(
      "cannot read 'prices.yaml': no such file",
    );
    await expect(loadConfig(reader({ 'frugal.yaml': 'prices: 3' }), undefined)).rejects.toThrow(
      'frugal.yaml at prices: expected a list of prices, found 3',
    );
  });
});
