import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { parseDataset } from './parse-dataset.js';

describe('parseDataset: bad input gives a ConfigError naming file, row and field', () => {
  const facts = (value: string) => `{"inputs": {"q": 1}, "expectations": {"expected_facts": ${value}}}`;
  it.each([
    [
      'malformed JSON',
      'json',
      '[\n  {"inputs": {"q": 1}}\n  {"inputs": {"q": 2}}\n]',
      "data.json at line 3, column 3: malformed JSON: unexpected '{'",
    ],
    [
      'malformed JSON, trailing comma',
      'json',
      '[{"inputs": {"q": 1}},]',
      "data.json at line 1, column 23: malformed JSON: unexpected ']' (JSON allows no comma before it)",
    ],
    [
      'truncated JSON',
      'json',
      '[{"inputs": {"q": 1}}',
      'data.json at line 1, column 22: malformed JSON: unexpected end of input',
    ],
    [
      'malformed JSONL line',
      'jsonl',
      '{"inputs": {"q": 1}}\n{"inputs": {"q": 1}\n',
      'data.jsonl at line 2, column 20: malformed JSON: unexpected end of input',
    ],
    [
      'malformed YAML',
      'yaml',
      '- inputs: {q: 1\n',
      'data.yaml at line 2, column 1: malformed YAML: Flow map',
    ],
    [
      'a row without inputs',
      'json',
      '[{"inputs": {"q": 1}}, {"expectations": {}}]',
      'data.json at rows[1].inputs: missing: expected a mapping of inputs with at least one key, such as { question: ... }',
    ],
    [
      'empty inputs',
      'yaml',
      '- inputs: {}',
      'data.yaml at rows[0].inputs: expected a mapping of inputs with at least one key, such as { question: ... }, found an empty mapping',
    ],
    [
      'inputs as a list',
      'json',
      '[{"inputs": ["q"]}]',
      'data.json at rows[0].inputs: expected a mapping of inputs with at least one key, such as { question: ... }, found a list',
    ],
    [
      'a row that is not a mapping',
      'yaml',
      '- just a question',
      "data.yaml at rows[0]: expected a mapping with inputs and optional expectations, found 'just a question'",
    ],
    [
      'empty expectations in YAML',
      'yaml',
      '- inputs: {q: 1}\n  expectations:\n',
      'data.yaml at rows[0].expectations: expected a mapping such as { expected_facts: [...] }, found an empty value',
    ],
    [
      'an empty id',
      'json',
      '[{"id": " ", "inputs": {"q": 1}}]',
      "data.json at rows[0].id: expected a non-empty string, found ' '",
    ],
    [
      'an id that is neither text nor a whole number',
      'json',
      '[{"id": 1.5, "inputs": {"q": 1}}]',
      'data.json at rows[0].id: expected a non-empty string or a whole number, found 1.5',
    ],
    [
      'a misspelt key',
      'json',
      '[{"input": {"q": 1}}]',
      "data.json at rows[0]: unknown key 'input' (expected id, inputs, expectations, tags)",
    ],
    [
      'a fact that is not a string (JSON)',
      'json',
      `{"data": [${facts('["a"]')}, ${facts('["a"]')}, ${facts('["a", 42]')}]}`,
      'data.json at data[2].expectations.expected_facts[1]: expected a non-empty string, found 42',
    ],
    [
      'a fact that is not a string (JSONL: the line)',
      'jsonl',
      `${facts('["a"]')}\n\n${facts('["a", 42]')}\n`,
      'data.jsonl at line 3, expectations.expected_facts[1]: expected a non-empty string, found 42',
    ],
    [
      'a fact that is not a string (CSV)',
      'csv',
      'inputs.q,expectations.expected_facts\nq,"[""a"", 1]"\n',
      'data.csv at line 2, expectations.expected_facts[1]: expected a non-empty string, found 1',
    ],
    [
      'an empty fact',
      'yaml',
      '- inputs: {q: 1}\n  expectations: {expected_facts: ["  "]}',
      "data.yaml at rows[0].expectations.expected_facts[0]: expected a non-empty string, found '  '",
    ],
    [
      'facts not a list',
      'json',
      `[${facts('"a"')}]`,
      "data.json at rows[0].expectations.expected_facts: expected a list of non-empty strings, found 'a'",
    ],
    [
      'duplicate ids',
      'json',
      '[{"id": "a", "inputs": {"q": 1}}, {"id": "a", "inputs": {"q": 2}}]',
      "data.json at rows[1].id: duplicate row id 'a' (also rows[0])",
    ],
    [
      'an id that clashes with a generated one',
      'json',
      '[{"inputs": {"q": 1}}, {"id": "row-1", "inputs": {"q": 2}}]',
      "data.json at rows[1].id: duplicate row id 'row-1' (also rows[0])",
    ],
    [
      'duplicate ids (CSV)',
      'csv',
      'id,inputs.q\n1,a\n1,b\n',
      "data.csv at line 3, id: duplicate row id '1' (also line 2)",
    ],
    [
      'an empty file',
      'json',
      '  \n',
      'data.json: the file is empty: expected rows with inputs and optional expectations',
    ],
    [
      'an empty JSONL file',
      'jsonl',
      '',
      'data.jsonl: the file is empty: expected rows with inputs and optional expectations',
    ],
    [
      'a YAML file of comments',
      'yaml',
      '# to do\n',
      'data.yaml: the file is empty: expected a list of rows or { "data": [...] }',
    ],
    ['an empty list', 'json', '[]', 'data.json: expected at least one row, found none'],
    ['a CSV header alone', 'csv', 'inputs.q\n', 'data.csv: expected at least one row, found none'],
    [
      'not a list',
      'json',
      '"rows"',
      'data.json: expected a list of rows or { "data": [...] }, found a single value',
    ],
    [
      'an unknown top-level key',
      'json',
      '{"rows": []}',
      `data.json at rows: unknown key 'rows' (expected a list of rows or { "data": [...] })`,
    ],
    [
      'an unknown CSV column',
      'csv',
      'question\nq\n',
      "data.csv at line 1: unknown column 'question' (expected id, inputs.<name>, expectations.<name> or tags.<name>)",
    ],
    [
      'a CSV without inputs',
      'csv',
      'id,expectations.x\n1,a\n',
      'data.csv at line 1: no inputs column: expected one such as inputs.question',
    ],
    [
      'a CSV line with extra fields',
      'csv',
      'id,inputs.q\n1,a,b\n',
      'data.csv at line 2: expected 2 fields as in the header, found 3',
    ],
    [
      'a malformed CSV list',
      'csv',
      'inputs.q,expectations.expected_facts\nq,"[""a"" 1]"\n',
      "data.csv at line 2, expectations.expected_facts: malformed JSON list: unexpected '1' at character 6 of the cell",
    ],
  ] as const)('%s', (_, format, text, message) => {
    let caught: unknown;
    try {
      parseDataset(text, format, `data.${format}`);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message.slice(0, message.length)).toBe(message);
    expect((caught as ConfigError).file).toBe(`data.${format}`);
  });
});
