import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { importAlpacaEval } from './import-alpacaeval.js';
import { importMtBench, importRouteLlmCorrectness, routeLlmStrong, routeLlmWeak } from './import-routellm.js';
import { meanScore } from './outcome-set.js';
import { readOutcomes } from './read-outcomes.js';
import { writeOutcomes } from './write-outcomes.js';

const data = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const read = (path: string) => readFileSync(join(data, path), 'utf8');

describe('RouteLLM importers', () => {
  it('MMLU: 14,037 uncontaminated queries with the published accuracies', () => {
    const set = importRouteLlmCorrectness(read('routellm/mmlu_gpt4_mixtral.jsonl'), 'mmlu.jsonl', 'mmlu');
    expect(set.queries).toHaveLength(14_037);
    expect(meanScore(set, routeLlmStrong)).toBeCloseTo(0.8059, 4);
    expect(meanScore(set, routeLlmWeak)).toBeCloseTo(0.6809, 4);
    const oracle = set.queries.filter(
      (q) => q.outcomes[routeLlmStrong]!.score + q.outcomes[routeLlmWeak]!.score > 0,
    );
    expect(oracle.length / set.queries.length).toBeCloseTo(0.8587, 4);
    expect(set.queries[0]!.category).toBe('abstract_algebra');
    const all = importRouteLlmCorrectness(read('routellm/mmlu_gpt4_mixtral.jsonl'), 'mmlu.jsonl', 'mmlu', {
      includeContaminated: true,
    });
    expect(all.queries).toHaveLength(14_042);
  });

  it('GSM8K: responses kept and counted as output tokens when a counter is given', () => {
    const count = (_model: string, text: string) => text.split(/\s+/).length;
    const set = importRouteLlmCorrectness(read('routellm/gsm8k_gpt4_mixtral.jsonl'), 'g.jsonl', 'gsm8k', {
      countTokens: count,
    });
    expect(set.queries).toHaveLength(1_307);
    expect(meanScore(set, routeLlmStrong)).toBeCloseTo(0.8577, 4);
    expect(meanScore(set, routeLlmWeak)).toBeCloseTo(0.6373, 4);
    const first = set.queries[0]!.outcomes[routeLlmStrong]!;
    expect(first.outputTokens).toBe(count('', first.response!));
    expect(first.estimated).toBe(true);
  });

  it('MT-Bench: 72 questions, mean of both turns, the commercial routers as reference', () => {
    const set = importMtBench(read('routellm/mtbench_scores.jsonl'), 'mt.jsonl');
    expect(set.queries).toHaveLength(72);
    expect(meanScore(set, routeLlmStrong)).toBeCloseTo(9.2118, 4);
    expect(meanScore(set, routeLlmWeak)).toBeCloseTo(8.2812, 4);
    expect(meanScore(set, 'router:martian')).toBeCloseTo(8.4583, 4);
    expect(meanScore(set, 'router:unify')).toBeCloseTo(8.816, 4);
  });

  it('names the line and the field of a broken row', () => {
    const text =
      '{"id":"a","prompt":"p","contaminated":false,"gpt4_correct":1,"mixtral_correct":1}\n{"id":"b"}\n';
    expect(() => importRouteLlmCorrectness(text, 'x.jsonl', 'x')).toThrow(/x\.jsonl at line 2, contaminated/);
    expect(() => importRouteLlmCorrectness('', 'x.jsonl', 'x')).toThrow(/x\.jsonl: no rows/);
  });
});

describe('AlpacaEval importer', () => {
  it('reproduces the published win rates from the per-instruction preferences', () => {
    const { set } = importAlpacaEval(read('alpacaeval/alpacaeval2_per_instruction.jsonl'), 'a.jsonl', {
      models: ['gpt-3.5-turbo-1106', 'claude-2.1'],
    });
    expect(set.queries.length).toBeGreaterThan(800);
    // SOURCES.md: 100 × mean(pref) is the published win rate (9.178 and 15.734), on all 805 instructions.
    expect(100 * meanScore(set, 'gpt-3.5-turbo-1106')).toBeCloseTo(9.178, 1);
    expect(100 * meanScore(set, 'claude-2.1')).toBeCloseTo(15.734, 1);
    expect(set.queries[0]!.outcomes['claude-2.1']!.outputTokens).toBeGreaterThan(0);
  });

  it('keeps only models that answered everything by default, and drops rows missing a chosen one', () => {
    const text = read('alpacaeval/alpacaeval2_per_instruction.jsonl');
    const { set } = importAlpacaEval(text, 'a.jsonl');
    expect(set.models).not.toContain('phi-2');
    expect(set.queries).toHaveLength(805);
    const withPhi = importAlpacaEval(text, 'a.jsonl', { models: ['phi-2', 'claude-2.1'] });
    expect(withPhi.dropped).toBeGreaterThan(0);
    expect(withPhi.set.queries).toHaveLength(805 - withPhi.dropped);
    expect(() => importAlpacaEval(text, 'a.jsonl', { models: ['nope', 'claude-2.1'] })).toThrow(
      /no preferences for model 'nope'/,
    );
  });
});

describe('the outcomes format', () => {
  it('round-trips through JSONL', () => {
    const set = importMtBench(read('routellm/mtbench_scores.jsonl'), 'mt.jsonl');
    expect(readOutcomes(writeOutcomes(set), 'mt.outcomes.jsonl')).toEqual(JSON.parse(JSON.stringify(set)));
  });

  const header = '{"frugal_outcomes":1,"name":"t","scale":{"kind":"binary"},"models":["a","b"]}';
  const bad: [string, RegExp][] = [
    ['', /t\.jsonl: empty/],
    [header, /no queries after the header/],
    ['{"name":"t"}', /line 1, frugal_outcomes: expected a header line/],
    [
      `${header}\n{"id":"1","prompt":"p","outcomes":{"a":{"score":1}}}`,
      /line 2, outcomes: no outcome for model 'b'/,
    ],
    [
      `${header}\n{"id":"1","prompt":"p","outcomes":{"a":{"score":2},"b":{"score":0}}}`,
      /outcomes\["a"\]\.score: expected 0 or 1, got 2/,
    ],
    [
      `${header}\n{"id":"1","prompt":"p","outcomes":{"a":{"score":1,"input_tokens":1.5},"b":{"score":0}}}`,
      /input_tokens: expected a whole number/,
    ],
    [
      `${header}\n{"id":"1","prompt":"p","outcomes":{"a":{"score":1},"b":{"score":0},"c":{"score":0}}}`,
      /outcomes\["c"\]: a model the header does not list/,
    ],
    [`${header}\n{"id":"1","prompt":"","outcomes":{}}`, /line 2, prompt: expected a non-empty string/],
    [
      `${header}\n{"id":"1","prompt":"p","outcomes":{"a":{"score":1},"b":{"score":0}}}\n{"id":"1","prompt":"q","outcomes":{"a":{"score":1},"b":{"score":0}}}`,
      /line 3, id: '1' appears twice/,
    ],
    [`${header}\nnot json`, /line 2: malformed JSON/],
  ];
  it.each(bad)('rejects %j with a clear error', (text, message) => {
    expect(() => readOutcomes(text, 't.jsonl')).toThrow(ConfigError);
    expect(() => readOutcomes(text, 't.jsonl')).toThrow(message);
  });
});
