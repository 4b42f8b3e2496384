import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';

const data = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const files = {
  'gsm8k_gpt4_mixtral.jsonl': readFileSync(join(data, 'routellm', 'gsm8k_gpt4_mixtral.jsonl'), 'utf8'),
  'summary.csv': readFileSync(
    join(data, 'frugalgpt', 'frugalgpt_2024_models_and_cascade_summary.csv'),
    'utf8',
  ),
  'mt.jsonl': readFileSync(join(data, 'routellm', 'mtbench_scores.jsonl'), 'utf8'),
};

describe('frugal cascade evaluate', () => {
  it('measures the cascade against each model alone, with FrugalGPT published picture beside it', async () => {
    const { code, stdout, stderr } = await runCli(
      ['cascade', 'evaluate', '--outcomes', 'gsm8k_gpt4_mixtral.jsonl', '--reference', 'summary.csv'],
      { files },
    );
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(
      /^stages: anyscale\/mistralai\/Mixtral-8x7B-Instruct-v0\.1 → gpt-4-1106-preview; acceptance: k-NN over the prompt and the answer$/m,
    );
    expect(stdout).toMatch(/^cascade \(2 stages\) +0\.\d{3} +\$0\.\d+ +\d+\.\d% \/ \d+\.\d%$/m);
    expect(stdout).toMatch(
      /^against the best single model \(gpt-4-1106-preview\): quality [+-]0\.\d{3}, cost \d+\.\d% (less|more)$/m,
    );
    expect(stdout).toMatch(/^HEADLINES +gpt-4-turbo 0\.8558 +\$0\.00333 +0\.8698 at \$0\.000192 +94\.2%$/m);
  });

  it('with a budget, as JSON: the validation-chosen thresholds keep near the budget on test', async () => {
    const { code, stdout } = await runCli(
      ['cascade', 'evaluate', '--outcomes', 'gsm8k_gpt4_mixtral.jsonl', '--budget', '0.002', '--json'],
      { files },
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.goal).toEqual({ kind: 'budget', perQueryAtMost: '2000000000' });
    expect(Number(result.cascade.cost) / result.cascade.queries).toBeLessThan(2_500_000_000);
    expect(result.cascade.quality).toBeGreaterThan(result.singles[0].quality);
  });

  it('refuses bad input clearly', async () => {
    const cases: [string[], RegExp][] = [
      [['cascade', 'run'], /--action must be one of train, evaluate/],
      [['cascade', 'evaluate'], /--outcomes FILE is required/],
      [['cascade', 'evaluate', '--outcomes', 'mt.jsonl'], /needs every query's token counts/],
      [
        ['cascade', 'evaluate', '--outcomes', 'gsm8k_gpt4_mixtral.jsonl', '--budget', 'lots'],
        /--budget must be dollars/,
      ],
      [
        [
          'cascade',
          'evaluate',
          '--outcomes',
          'gsm8k_gpt4_mixtral.jsonl',
          '--models',
          'gpt-4-1106-preview,nope',
        ],
        /'nope' is not one of/,
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await runCli(argv, { files });
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toMatch(message);
    }
  });
});
