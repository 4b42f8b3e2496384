import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../../testing/fake-openai-server.js';

const quoraPath = join(
  import.meta.dirname,
  '../../../../shared/data/semantic_cache/qqp_pairs_sample_4000.jsonl',
);
const files = { 'qqp.jsonl': readFileSync(quoraPath, 'utf8') };
const calibrate = (...argv: string[]) =>
  runCli(['cache', 'calibrate', '--pairs', 'qqp.jsonl', ...argv], { files });

/** The table's rows as arrays of cells. */
const rows = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => /^ +0\.\d\d /.test(line))
    .map((line) => line.trim().split(/ +/));

describe('frugal cache calibrate', () => {
  it("prints the seed's table from the Quora pairs, and recommends nothing for a 1% budget", async () => {
    const { code, stdout, stderr } = await calibrate();
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toContain(
      'Semantic cache threshold calibration: 4,000 labelled pairs from qqp.jsonl (1,531 duplicates), ' +
        'embedder local/hash-v1-384 (lexical, not semantic)',
    );
    expect(stdout).toMatch(
      /^Separation: ROC AUC 0\.74\d \(0\.5 = chance\); best F1 0\.\d+ at similarity 0\.\d+$/m,
    );
    expect(stdout).toMatch(/^Threshold {2}Hit Rate {2}False Hits {2}Monthly Savings {2}Risk Level$/m);
    const table = rows(stdout);
    expect(table.map((row) => row[0])).toEqual([
      '0.70',
      '0.75',
      '0.80',
      '0.85',
      '0.90',
      '0.92',
      '0.95',
      '0.98',
      '0.99',
    ]);
    // 239 hits, 46 of them non-duplicates: 6.0% and 19.2%; 193 correct × 100,000 / 4,000 × $0.01 = $48.25.
    expect(table[6]).toEqual(['0.95', '6.0%', '19.2%', '$48.25', 'HIGH']);
    expect(stdout).toContain(
      'Recommended: none. No threshold keeps false hits ≤ 1.0% (the lowest is 19.2%, at 0.95)',
    );
  });

  it('recommends the lowest threshold within a looser budget', async () => {
    const { stdout } = await calibrate('--max-false-hits', '0.25');
    expect(stdout).toContain(
      'Recommended: 0.95, the lowest threshold with false hits ≤ 25.0% (19.2%; hit rate 6.0%, $48.25/month).',
    );
  });

  it('prices savings exactly at the stated volume and cost per query, rounding half to even', async () => {
    // 300,000 × $0.003 × 193 / 4,000 = $43.425 → $43.42.
    const { stdout } = await calibrate(
      '--volume',
      '300000',
      '--cost-per-query',
      '0.003',
      '--thresholds',
      '0.95',
    );
    expect(rows(stdout)).toEqual([['0.95', '6.0%', '19.2%', '$43.42', 'HIGH']]);
    expect(stdout).toContain('Savings at 300,000 queries/month and $0.003 per query');
  });

  it('prints JSON with exact savings', async () => {
    const { code, stdout } = await calibrate('--json', '--thresholds', '0.9,0.95', '--max-false-hits', '0.2');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      embedder: 'local/hash-v1-384',
      pairs: 4000,
      duplicates: 1531,
      budget: 0.2,
    });
    expect(report.rows[1]).toMatchObject({
      threshold: 0.95,
      hits: 239,
      falseHits: 46,
      monthlySavings: '48.25',
      monthlySavingsPicodollars: '48250000000000',
      risk: 'HIGH',
    });
    expect(report.recommended.threshold).toBe(0.95);
    expect(report.rocAuc).toBeGreaterThan(0.73);
  });

  it.each([
    [['cache'], 'frugal cache: expected a subcommand: calibrate'],
    [['cache', 'purge'], "frugal cache: unknown subcommand 'purge'"],
    [['cache', 'calibrate'], 'frugal cache calibrate: --pairs FILE is required'],
    [['cache', 'calibrate', '--pairs', 'missing.jsonl'], "cannot read 'missing.jsonl': no such file"],
    [['cache', 'calibrate', '--pairs', 'bad.jsonl'], 'bad.jsonl at line 2: not JSON'],
    [['cache', 'calibrate', '--pairs', 'negatives.jsonl'], 'no duplicate pairs (label 1) among 2'],
    [
      ['cache', 'calibrate', '--pairs', 'qqp.jsonl', '--volume', 'lots'],
      '--volume must be a non-negative integer',
    ],
    [
      ['cache', 'calibrate', '--pairs', 'qqp.jsonl', '--max-false-hits', '5'],
      '--max-false-hits must be at most 1',
    ],
    [
      ['cache', 'calibrate', '--pairs', 'qqp.jsonl', '--thresholds', '0.9,1.2'],
      "--thresholds must be in (0, 1], got '1.2'",
    ],
    [
      ['cache', 'calibrate', '--pairs', 'qqp.jsonl', '--cost-per-query', '-1'],
      '--cost-per-query must be a dollar amount',
    ],
    [['cache', 'calibrate', '--pairs', 'qqp.jsonl', '--embedder', 'bert'], "unknown embedder 'bert'"],
    [['cache', 'calibrate', '--pairs', 'qqp.jsonl', 'extra'], "unexpected argument 'extra'"],
  ])('exits 2 on %j with a clear message', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv, {
      files: {
        ...files,
        'bad.jsonl': '{"text_a": "a", "text_b": "b", "label": 1}\n{"text_a": "a",\n',
        'negatives.jsonl':
          '{"text_a": "a", "text_b": "b", "label": 0}\n{"text_a": "c", "text_b": "d", "label": 0}\n',
      },
    });
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toContain(message);
  });

  it('prints its help', async () => {
    const { code, stdout } = await runCli(['cache', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: frugal cache calibrate --pairs FILE');
  });
});

describe('frugal cache calibrate with an OpenAI-compatible embedder', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer({ embeddingDimensions: 8 });
  });
  afterAll(() => server.close());
  const pairs = [
    '{"text_a": "How do I reset my password?", "text_b": "How do I reset my password?", "label": 1}',
    '{"text_a": "Where is my order?", "text_b": "How do I reset my password?", "label": 0}',
  ].join('\n');
  const run = (...extra: string[]) =>
    runCli(
      [
        'cache',
        'calibrate',
        '--pairs',
        'p.jsonl',
        '--embedder',
        `openai:text-embedding-3-small@${server.baseURL}`,
        ...extra,
      ],
      { files: { 'p.jsonl': pairs }, env: { OPENAI_API_KEY: 'sk-test' } },
    );

  it('embeds each distinct text once over HTTP and names the embedder', async () => {
    server.reset();
    server.setReply({});
    const { code, stdout } = await run('--dimensions', '8');
    expect(code).toBe(0);
    expect(stdout).toContain('embedder openai-compatible/text-embedding-3-small@8');
    expect(server.requests.map((request) => (request.body as { input: string[] }).input)).toEqual([
      ['How do I reset my password?', 'Where is my order?'],
    ]);
    // Identical texts: similarity 1, a hit at every threshold; the other pair is below 0.7.
    expect(rows(stdout).every((row) => row[1] === '50.0%' && row[2] === '0.0%')).toBe(true);
  });

  it('exits 1 naming the embedder when the endpoint refuses', async () => {
    server.reset();
    server.setReply({ error: { status: 401, message: 'Incorrect API key provided' } });
    const { code, stderr } = await run();
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^frugal cache: embedder openai-compatible\/text-embedding-3-small: the embeddings call failed: .*401.*Incorrect API key/,
    );
  });

  it('exits 1 saying which length to set when the vectors are not the expected length', async () => {
    server.reset();
    server.setReply({});
    const { code, stderr } = await run();
    expect(code).toBe(1);
    expect(stderr).toContain('vector 0 has 8 dimensions, expected 1536 (set dimensions to 8)');
  });
});
