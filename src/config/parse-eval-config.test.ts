import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { evalConfigSchema } from './eval-config-schema.js';
import { parseEvalConfig } from './parse-eval-config.js';

const schemaFile = join(import.meta.dirname, '..', '..', 'schema', 'eval.schema.json');

const good = `
experiment: tradeoff
dataset: eval_data.yaml
candidates:
  - name: mini
    model: openai/gpt-4o-mini
    system_prompt: Answer in 2-4 sentences.
    parameters: { temperature: 0, max_tokens: 400 }
  - name: big
    model: openai/gpt-4o
    stream: true
judge: { model: sim/judge, attempts: 2 }
scorers:
  - correctness
  - fact_coverage
  - { type: guidelines, name: concise, guidelines: [At most four sentences.] }
  - { type: cost, max_usd: "0.001" }
budget_usd: 0.50
rate_limits: { openai: { rpm: 500 } }
quality_bar: 0.8
`;

describe('parseEvalConfig', () => {
  it('reads a full config into typed settings with defaults', () => {
    const config = parseEvalConfig(good, 'eval.yaml');
    expect(config.experiment).toBe('tradeoff');
    expect(config.candidates.map((candidate) => [candidate.name, candidate.model, candidate.stream])).toEqual(
      [
        ['mini', 'openai/gpt-4o-mini', false],
        ['big', 'openai/gpt-4o', true],
      ],
    );
    expect(config.candidates[0]?.parameters).toEqual({ temperature: 0, max_tokens: 400 });
    expect(config.judge).toEqual({ model: 'sim/judge', attempts: 2 });
    expect(config.scorers.map((scorer) => [scorer.type, scorer.path])).toEqual([
      ['correctness', 'scorers[0]'],
      ['fact_coverage', 'scorers[1]'],
      ['guidelines', 'scorers[2]'],
      ['cost', 'scorers[3]'],
    ]);
    expect(config.budget).toBe(500_000_000_000n);
    expect(config.primary).toBe('correctness');
    expect([config.repeats, config.concurrency, config.cache, config.qualityBar]).toEqual([1, 4, true, 0.8]);
  });

  it('names the experiment after the file when the config does not', () => {
    const config = parseEvalConfig(good.replace('experiment: tradeoff', ''), 'configs/compare-models.yaml');
    expect(config.experiment).toBe('compare-models');
  });

  it.each([
    [good.replace('model: openai/gpt-4o\n', 'model: gpt-4o\n'), 'candidates[1].model', 'provider/model'],
    [good.replace('scorers:', 'scorer:'), '', "unknown key 'scorer'"],
    [
      good.replace('name: big', 'name: mini'),
      'candidates[1].name',
      "'mini' is already the name of candidates[0]",
    ],
    [
      good.replace('judge: { model: sim/judge, attempts: 2 }', ''),
      'judge',
      'scorers[0] (correctness) is an LLM judge',
    ],
    [good.replace('quality_bar: 0.8', 'quality_bar: 80'), 'quality_bar', 'a number in [0, 1]'],
    [good.replace('budget_usd: 0.50', 'budget_usd: -1'), 'budget_usd', 'USD amount'],
    [`${good}primary: relevance\n`, 'primary', "no scorer is named 'relevance'"],
    [good.replace('  - fact_coverage', '  - fact_coverge'), 'scorers[1]', 'a scorer'],
    [
      good.replace('temperature: 0,', 'temperature: hot,'),
      'candidates[0].parameters.temperature',
      'found "hot"',
    ],
  ])('rejects a bad config with the path and what was expected (%#)', (text, path, problem) => {
    expect(() => parseEvalConfig(text, 'eval.yaml')).toThrow(`eval.yaml${path ? ` at ${path}` : ''}: `);
    expect(() => parseEvalConfig(text, 'eval.yaml')).toThrow(problem);
  });

  it('publishes its JSON schema (regenerate: FRUGAL_WRITE_SCHEMA=1 npx vitest run src/config)', () => {
    const generated = `${JSON.stringify(z.toJSONSchema(evalConfigSchema, { io: 'input' }), null, 2)}\n`;
    if (process.env['FRUGAL_WRITE_SCHEMA'] === '1') writeFileSync(schemaFile, generated);
    expect(readFileSync(schemaFile, 'utf8')).toBe(generated);
    expect(JSON.parse(generated).required).toEqual(['dataset', 'candidates', 'scorers']);
  });
});
