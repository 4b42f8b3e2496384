import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';
import { gsm8kOutcomes } from '../../../test/support/routellm-gsm8k.js';
import { routeLlmStrong, routeLlmWeak } from '../../optimize/outcomes/import-routellm.js';
import { writeOutcomes } from '../../optimize/outcomes/write-outcomes.js';

const gsm8k = gsm8kOutcomes();

describe('replay candidates in frugal eval', () => {
  it('answers each row from the recorded outcomes, with their token counts and exact costs', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'frugal-replay-eval-'));
    const outcomes = join(directory, 'gsm8k.outcomes.jsonl');
    writeFileSync(outcomes, writeOutcomes(gsm8k));
    const queries = gsm8k.queries.slice(0, 4);
    const files = {
      'eval.yaml': [
        'experiment: replay',
        'dataset: rows.json',
        'candidates:',
        `  - { name: gpt4, model: ${JSON.stringify(`replay/${routeLlmStrong}`)} }`,
        `  - { name: mixtral, model: ${JSON.stringify(`replay/${routeLlmWeak}`)} }`,
        'scorers: [{ type: length, name: words, unit: words, max: 400 }]',
        `providers: { replay: { outcomes: ${JSON.stringify(outcomes)} } }`,
        '',
      ].join('\n'),
      'rows.json': JSON.stringify(queries.map((query) => ({ inputs: { question: query.prompt } }))),
    };
    const { code, stdout, stderr } = await runCli(
      ['eval', 'eval.yaml', '--store', join(directory, 'l.db'), '--json'],
      {
        files,
        cwd: directory,
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    const byName = (name: string) => result.runs.find((run: { candidate: string }) => run.candidate === name);
    const rows = result.rows[byName('gpt4').id];
    expect(rows.map((row: { output: string }) => row.output)).toEqual(
      queries.map((query) => query.outcomes[routeLlmStrong]!.response),
    );
    expect(rows[0].usage).toMatchObject({
      input: queries[0]!.outcomes[routeLlmStrong]!.inputTokens,
      output: queries[0]!.outcomes[routeLlmStrong]!.outputTokens,
    });
    expect(BigInt(rows[0].cost)).toBeGreaterThan(0n);
    expect(result.comparison.simulated).toBe(true);

    const missing = await runCli(['eval', 'eval.yaml', '--store', join(directory, 'm.db')], {
      files: { ...files, 'eval.yaml': files['eval.yaml'].replace(/providers:.*\n/, '') },
      cwd: directory,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/replay models need providers\.replay\.outcomes/);
  });
});
