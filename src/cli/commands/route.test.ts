import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';
import { readOutcomes } from '../../optimize/outcomes/read-outcomes.js';

const gsm8k = readFileSync(
  join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'routellm', 'gsm8k_gpt4_mixtral.jsonl'),
  'utf8',
);

describe('frugal route', () => {
  it('trains on GSM8K, saves the router, and simulate replays it at the saved threshold', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'frugal-route-'));
    const files = { 'gsm8k_gpt4_mixtral.jsonl': gsm8k };
    const trained = await runCli(
      [
        'route',
        'train',
        '--outcomes',
        'gsm8k_gpt4_mixtral.jsonl',
        '--output',
        'router.json',
        '--curve',
        'curve.json',
      ],
      { files, cwd },
    );
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(
      /^routellm-gsm8k: 1,307 queries — train 915, validation 131, test 261 \(seed 42\)$/m,
    );
    expect(trained.stdout).toMatch(/^learned knn +0\.\d{3} \(0\.\d{3}–\d\.\d{3}\) +\d+\.\d%/m);
    expect(trained.stdout).toMatch(/^oracle +\S+ +11\.\d%|^oracle +\S+ +\d+\.\d%/m);
    expect(trained.stdout).toMatch(/cost per query: \$0\.\d+ routed vs \$0\.\d+ all strong/);
    expect(trained.stdout).toMatch(/router saved to router\.json/);
    const curve = JSON.parse(readFileSync(join(cwd, 'curve.json'), 'utf8'));
    expect(curve.learned[0].strong_share).toBe(0);
    expect(curve.learned.at(-1).strong_share).toBe(1);
    expect(curve.oracle.length).toBeGreaterThan(2);

    const router = readFileSync(join(cwd, 'router.json'), 'utf8');
    const simulated = await runCli(
      ['route', 'simulate', '--outcomes', 'gsm8k_gpt4_mixtral.jsonl', '--router', 'router.json', '--json'],
      { files: { ...files, 'router.json': router }, cwd },
    );
    expect(simulated.code).toBe(0);
    const summary = JSON.parse(simulated.stdout);
    expect(summary.queries).toBe(1_307);
    expect(summary.threshold).toBe(JSON.parse(router).threshold);
    expect(summary.strong_share).toBeGreaterThan(0);
    expect(summary.strong_share).toBeLessThan(1);
    // Routing can only mix the two models' answers: the score lies between weak alone and the oracle.
    expect(summary.score).toBeGreaterThan(summary.weak_score);
    expect(summary.cost_per_query_usd).toMatch(/^0\.\d+$/);
  });

  it('refuses bad input with a clear message', async () => {
    const files = { 'g.jsonl': gsm8k, 'bad.jsonl': '{"hello":1}\n' };
    const cases: [string[], RegExp][] = [
      [['route'], /--action must be one of train, evaluate, simulate/],
      [['route', 'evaluate'], /--outcomes FILE is required/],
      [['route', 'train', '--outcomes', 'g.jsonl'], /--output router\.json is required/],
      [['route', 'evaluate', '--outcomes', 'g.jsonl', '--strong', 'gpt-5'], /'gpt-5' is not in the outcomes/],
      [
        ['route', 'evaluate', '--outcomes', 'g.jsonl', '--kind', 'tree'],
        /--kind must be one of knn, logistic/,
      ],
      [['route', 'evaluate', '--outcomes', 'bad.jsonl'], /bad\.jsonl at line 1: unrecognised outcomes/],
      [
        ['route', 'evaluate', '--outcomes', 'g.jsonl', '--test-share', '2'],
        /--test-share must be between 0 and 1/,
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await runCli(argv, { files });
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
    }
  });

  it('exports an experiment (frugal demo) as outcomes: per row, each candidate verdict, tokens and answer', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'frugal-route-export-'));
    const store = join(cwd, 'ledger.db');
    expect((await runCli(['demo', '--store', store], { cwd })).code).toBe(0);
    const exported = await runCli(
      ['route', 'export', '--experiment', 'demo', '--store', store, '--output', 'demo.outcomes.jsonl'],
      { cwd },
    );
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toMatch(
      /^6 queries × 3 models \(small, medium, large\), scorer \S+ → demo\.outcomes\.jsonl$/m,
    );
    const set = readOutcomes(readFileSync(join(cwd, 'demo.outcomes.jsonl'), 'utf8'), 'demo.outcomes.jsonl');
    expect(set.models).toEqual(['small', 'medium', 'large']);
    expect(set.source).toContain('SIMULATED');
    const first = set.queries[0]!.outcomes['large']!;
    expect(first.response?.length).toBeGreaterThan(0);
    expect(first.inputTokens).toBeGreaterThan(0);
    const missing = await runCli(
      ['route', 'export', '--experiment', 'nope', '--store', store, '--output', 'x'],
      { cwd },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no run or experiment named 'nope'/);
  });
});
