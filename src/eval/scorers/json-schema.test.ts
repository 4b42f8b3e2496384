import { describe, expect, it } from 'vitest';
import { jsonSchema } from './json-schema.js';
import { jsonValid } from './json-valid.js';

const input = (text: string) => ({
  row: { id: 'r', index: 0, inputs: { q: 1 }, expectations: {} },
  prediction: { text },
});

describe('jsonValid', () => {
  it.each([
    ['{"a": 1}', false, true],
    ['[1, 2]', false, true],
    ['"text"', false, true],
    ['{"a": 1,}', false, false],
    ['Sure! {"a": 1}', false, false],
    ['```json\n{"a": 1}\n```', false, false],
    ['```json\n{"a": 1}\n```', true, true],
    ['```\n[1]\n```\n', true, true],
  ])('%j (code fence allowed: %s) passes: %s', async (text, allowCodeFence, pass) => {
    const score = await jsonValid({ allowCodeFence }).score(input(text));
    expect(score.value).toBe(pass);
    if (!pass) expect(score.rationale).toMatch(/^not valid JSON: /);
  });
});

describe('jsonSchema', () => {
  const person = {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      age: { type: 'integer', minimum: 0, maximum: 150 },
      role: { enum: ['admin', 'user'] },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
    },
    required: ['name'],
    additionalProperties: false,
  };

  it.each([
    ['{"name": "Ada", "age": 36, "role": "admin", "tags": ["x"]}', true, undefined],
    ['{"name": "Ada"}', true, undefined],
    ['{"age": 36}', false, '$.name'],
    ['{"name": "Ada", "age": -1}', false, '$.age'],
    ['{"name": "Ada", "age": 2.5}', false, '$.age'],
    ['{"name": "Ada", "role": "root"}', false, '$.role'],
    ['{"name": "Ada", "tags": ["a", 2]}', false, '$.tags[1]'],
    ['{"name": "Ada", "tags": ["a", "b", "c"]}', false, '$.tags'],
    ['{"name": "Ada", "extra": 1}', false, '$'],
    ['[]', false, '$'],
    ['not json', false, 'not valid JSON'],
  ])('%s passes: %s', async (text, pass, where) => {
    const score = await jsonSchema(person).score(input(text));
    expect(score.value).toBe(pass);
    if (where !== undefined) expect(score.rationale?.startsWith(where)).toBe(true);
  });

  it('refuses a schema it cannot convert when made, not when scoring', () => {
    expect(() => jsonSchema({ type: 'strang' })).toThrow(
      'cannot use this JSON schema: Unsupported type: strang',
    );
  });

  it('reads a fenced answer when allowed', async () => {
    const scorer = jsonSchema({ type: 'array' }, { allowCodeFence: true, name: 'list' });
    expect(scorer.name).toBe('list');
    expect((await scorer.score(input('```json\n[1]\n```'))).value).toBe(true);
  });
});
