import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';

const example = readFileSync(new URL('../../../examples/tco.yaml', import.meta.url), 'utf8');
const textbookJson = JSON.stringify({
  queries_per_day: 10000,
  api: {
    input_tokens_per_query: 500,
    output_tokens_per_query: 200,
    prices_per: '1M',
    input_price: 2.5,
    output_price: 10,
  },
  infrastructure: { vector_db: 200, cache: 50, logging: 100, storage: 30 },
  engineering: { work: { hours: 80, hourly_rate: 100 } },
  quality: { human_eval: 500, llm_judge: 200 },
});

describe('frugal tco', () => {
  it('prints the textbook breakdown from examples/tco.yaml', async () => {
    const { code, stdout, stderr } = await runCli(['tco', 'tco.yaml'], { files: { 'tco.yaml': example } });
    expect([code, stderr]).toEqual([0, '']);
    for (const line of [
      /^API \/ inference +\$975\.00 +9\.7%$/m,
      /^Infrastructure +\$380\.00 +3\.8%$/m,
      /^Engineering +\$8,000\.00 +79\.6%$/m,
      /^Quality \/ eval +\$700\.00 +7\.0%$/m,
      /^Operational +\$0\.00 +0\.0%$/m,
      /^ {2}input tokens +\$375\.00 +150,000,000 tokens × \$0\.0025\/1K$/m,
      /^ {2}prompt_and_pipeline_work +\$8,000\.00 +80 h × \$100\/h$/m,
      /^TOTAL +\$10,055\.00 +100\.0%$/m,
      /^Cost per query: +\$0\.03352$/m,
      /^Queries per month: +300,000 \(30-day month\)$/m,
    ]) {
      expect(stdout).toMatch(line);
    }
  });

  it('prints exact decimal strings with --json', async () => {
    const { code, stdout } = await runCli(['tco', 'tco.yaml', '--json'], { files: { 'tco.yaml': example } });
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.total_usd).toBe('10055.00');
    expect(report.cost_per_query_usd).toBe('0.033516666667');
    expect(report.queries_per_month).toBe('300000');
    expect(report.categories.map((category: { monthly_usd: string }) => category.monthly_usd)).toEqual([
      '975.00',
      '380.00',
      '8000.00',
      '700.00',
      '0.00',
    ]);
    expect(report.categories[0].share).toBe('0.096967');
  });

  it.each([
    ['a JSON file with prices per 1M', ['tco', 'model.json'], { files: { 'model.json': textbookJson } }],
    ['standard input', ['tco', '-'], { stdin: textbookJson }],
  ])('reads %s', async (_name, argv, options) => {
    const { code, stdout } = await runCli(argv, options);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^TOTAL +\$10,055\.00/m);
  });

  it.each([
    [
      'an unknown flag',
      ['tco', 'tco.yaml', '--csv'],
      example,
      "frugal tco: unknown option '--csv' (see 'frugal tco --help')",
    ],
    [
      'no file',
      ['tco'],
      example,
      "frugal tco: expected a model file (YAML or JSON), e.g. 'frugal tco examples/tco.yaml'",
    ],
    [
      'two files',
      ['tco', 'tco.yaml', 'other.yaml'],
      example,
      "frugal tco: unexpected argument 'other.yaml' (see 'frugal tco --help')",
    ],
    [
      'an unreadable file',
      ['tco', 'missing.yaml'],
      example,
      "frugal tco: cannot read 'missing.yaml': no such file",
    ],
    [
      'malformed YAML',
      ['tco', 'tco.yaml'],
      'api:\n  input_price: [1,\nquality: 2\n',
      'frugal tco: tco.yaml at line 3, column 1: malformed YAML:',
    ],
    [
      'duplicate YAML keys',
      ['tco', 'tco.yaml'],
      'queries_per_day: 1\nqueries_per_day: 2\n',
      'frugal tco: tco.yaml at line 2, column 1: malformed YAML: Map keys must be unique',
    ],
    [
      'an empty file',
      ['tco', 'tco.yaml'],
      '',
      'frugal tco: tco.yaml: expected a mapping, found an empty value',
    ],
    [
      'a negative amount',
      ['tco', 'tco.yaml'],
      example.replace('cache: 50', 'cache: -50'),
      'frugal tco: tco.yaml at infrastructure.cache: expected a monthly dollar amount or { hours, hourly_rate }, found -50',
    ],
    [
      'a non-numeric value',
      ['tco', 'tco.yaml'],
      example.replace('queries_per_day: 10000', 'queries_per_day: lots'),
      "frugal tco: tco.yaml at queries_per_day: expected a non-negative decimal number, found 'lots'",
    ],
    [
      'a non-integer-looking hours text',
      ['tco', 'tco.yaml'],
      example.replace('hours: 80', 'hours: 80h'),
      "frugal tco: tco.yaml at engineering.prompt_and_pipeline_work.hours: expected a non-negative decimal number, found '80h'",
    ],
    [
      'an unknown key',
      ['tco', 'tco.yaml'],
      example.replace('operational: {}', 'operations: {}'),
      'frugal tco: tco.yaml at operations: unknown key; expected one of name, days_per_month, queries_per_day',
    ],
    [
      'a misspelt key',
      ['tco', 'tco.yaml'],
      example.replace('input_price:', 'input_cost:'),
      'frugal tco: tco.yaml at api.input_price: missing: expected a non-negative decimal number (and 1 more problem)',
    ],
  ])('exits 2 with one line for %s', async (_name, argv, text, message) => {
    const { code, stdout, stderr } = await runCli(argv, { files: { 'tco.yaml': text } });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.slice(0, message.length)).toBe(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 for malformed JSON, naming line and column', async () => {
    const { code, stderr } = await runCli(['tco', 'model.json'], {
      files: { 'model.json': '{"queries_per_day": 10,\n "api": }' },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^frugal tco: model\.json at line 2, column \d+: malformed JSON: .+\n$/);
  });

  it('documents the file format in --help', async () => {
    const { code, stdout } = await runCli(['tco', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('queries_per_day');
    expect(stdout).toContain('hourly_rate');
  });
});
