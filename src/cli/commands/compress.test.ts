import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/memory-io.js';
import { compressWithRules } from '../../optimize/compression/rule-compressor.js';
import { type RecordedRequest, startFakeOpenAIServer } from '../../testing/index.js';

const examples = join(import.meta.dirname, '..', '..', '..', 'examples', 'eval');
const files = {
  'compress.yaml': readFileSync(join(examples, 'compress.yaml'), 'utf8'),
  'eval_data.yaml': readFileSync(join(examples, 'eval_data.yaml'), 'utf8'),
};
const directory = mkdtempSync(join(tmpdir(), 'frugal-compress-'));
const shorter =
  'Senior software engineer. Answer accurately in 2-4 sentences; state assumptions; no greetings.';
const server = await startFakeOpenAIServer({
  reply: (request: RecordedRequest) => {
    const body = request.body as { messages: { role: string; content: string }[] };
    return {
      text: body.messages[0]?.content.startsWith('Rewrite') ? shorter : 'unexpected',
      usage: { input: 120, output: 20 },
    };
  },
});
afterAll(() => server.close());

describe('frugal compress', () => {
  it('evaluates the rule-compressed and the LLM-compressed prompt beside the original, and says which to use', async () => {
    const config = `${files['compress.yaml']}providers:\n  openai: { base_url: "${server.baseURL}", max_retries: 0 }\n`;
    const { code, stdout, stderr } = await runCli(
      [
        'compress',
        'compress.yaml',
        '--with',
        'rules',
        '--with',
        'model:openai/gpt-4o-mini',
        '--store',
        join(directory, 'a.db'),
        '--json',
      ],
      { files: { ...files, 'compress.yaml': config }, env: { OPENAI_API_KEY: 'sk-test' }, cwd: directory },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.experiment).toBe('verbose-prompt-compress');
    const [rules, model] = result.summary;
    expect(rules.candidate).toBe('verbose~rules');
    expect(rules.promptTokensSaved).toBeGreaterThan(20);
    expect(model.candidate).toBe('verbose~model:openai/gpt-4o-mini');
    expect(model.promptTokens).toBeLessThan(rules.promptTokens);
    // The variant's calls really carried the shorter prompt: fewer input tokens per call than the original.
    const perCall = (name: string) => {
      const column = result.comparison.candidates.find(
        (candidate: { candidate: string }) => candidate.candidate === name,
      );
      return column.tokens.input / column.results;
    };
    expect(perCall('verbose~rules')).toBeLessThan(perCall('verbose'));
    expect(perCall('verbose') - perCall('verbose~rules')).toBe(rules.promptTokensSaved);
    // Six rows cannot show a variant within 0.05 of the original: nothing is recommended on this evidence.
    for (const verdict of result.summary) {
      expect(verdict.recommended).toBe(false);
      expect(verdict.why).toMatch(/not shown within 0\.05|significantly worse|not cheaper/);
    }
  });

  it('prints the table and the compressed prompt in text mode; refuses bad input', async () => {
    const { code, stdout } = await runCli(['compress', 'compress.yaml', '--store', join(directory, 'b.db')], {
      files,
      cwd: directory,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^verbose~rules +\d+ \(-\d+\) +\d+\.\d +[-+]\d\.\d{3} \([-+]\d\.\d{3} to [-+]\d\.\d{3}\) +\$\d+\.\d+ +no: /m,
    );
    expect(stdout).toMatch(
      /^verbose~rules system_prompt: Role\nYou are a very experienced senior software engineer\. Answer technical/m,
    );
    const bad = await runCli(['compress', 'compress.yaml', '--candidate', 'nope'], { files, cwd: directory });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no candidate 'nope' in compress\.yaml \(verbose\)/);
    const method = await runCli(['compress', 'compress.yaml', '--with', 'magic'], { files, cwd: directory });
    expect(method.stderr).toMatch(/--with must be 'rules' or 'model:PROVIDER\/MODEL'/);
  });
});

describe('compressWithRules', () => {
  it('drops filler, politeness, wordy phrases, decoration and repeats, and keeps requirements', () => {
    const { text, applied } = compressWithRules(
      'Please note that you must answer in 2-4 sentences. In order to help, kindly make sure to cite the **order number**. Never invent a tracking number. Never invent a tracking number.',
    );
    expect(text).toBe(
      'You must answer in 2-4 sentences. To help, cite the order number. Never invent a tracking number.',
    );
    expect(applied).toEqual(['filler', 'politeness', 'wordy', 'decoration', 'repeated sentence']);
  });
});
