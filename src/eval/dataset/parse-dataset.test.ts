import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetFormat } from './dataset-format.js';
import { parseDataset } from './parse-dataset.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('parseDataset: seed 000 eval_data', () => {
  it.each([
    ['seed-000.json', 'json'],
    ['seed-000.yaml', 'yaml'],
    ['seed-000.jsonl', 'jsonl'],
    ['seed-000.csv', 'csv'],
  ] as const)('%s loads as-is, the same in every format', (name, format) => {
    const rows = parseDataset(fixture(name), format, name);
    expect(rows).toHaveLength(6);
    expect(rows.map((row) => row.id)).toEqual(['row-1', 'row-2', 'row-3', 'row-4', 'row-5', 'row-6']);
    expect(rows[1]).toEqual({
      id: 'row-2',
      index: 1,
      inputs: { question: 'Explain the CAP theorem in distributed systems.' },
      expectations: {
        expected_facts: [
          'consistency',
          'availability',
          'partition tolerance',
          'cannot guarantee all three simultaneously',
        ],
      },
    });
    expect(rows).toEqual(parseDataset(fixture('seed-000.json'), 'json', 'seed-000.json'));
  });
});

describe('parseDataset: accepted shapes', () => {
  it.each([
    [
      'MLflow records under data',
      'json',
      '{"data": [{"inputs": {"question": "q"}}]}',
      { inputs: { question: 'q' } },
    ],
    ['no expectations', 'yaml', '- inputs: {question: q}', { expectations: {} }],
    [
      'own ids and tags',
      'json',
      '[{"id": 7, "inputs": {"q": 1}, "tags": {"level": 2, "topic": "db"}}]',
      {
        id: '7',
        tags: { level: '2', topic: 'db' },
      },
    ],
    [
      'a single guideline as a string',
      'json',
      '[{"inputs": {"q": 1}, "expectations": {"guidelines": "be brief"}}]',
      {
        expectations: { guidelines: ['be brief'] },
      },
    ],
    [
      'custom expectation keys kept',
      'jsonl',
      '{"inputs": {"q": 1}, "expectations": {"max_words": 40}}',
      {
        expectations: { max_words: 40 },
      },
    ],
    [
      'CSV with JSON lists, dots, ids and tags',
      'csv',
      'id,inputs.question,expectations.expected_facts,expectations.expected_response,tags.topic\nq1,"What, exactly?","[""a, b"", ""c""]",yes,net\n',
      {
        id: 'q1',
        inputs: { question: 'What, exactly?' },
        expectations: { expected_facts: ['a, b', 'c'], expected_response: 'yes' },
        tags: { topic: 'net' },
      },
    ],
    [
      'CSV blank lines skipped, empty cells left out',
      'csv',
      'inputs/question,expectations/expected_facts\n\nq,\n',
      {
        id: 'row-1',
        expectations: {},
      },
    ],
  ] as const)('%s', (_, format, text, expected) => {
    const rows = parseDataset(text, format as DatasetFormat, `data.${format}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject(expected);
  });
});
