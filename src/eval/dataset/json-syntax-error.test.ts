import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from './json-syntax-error.js';

describe('jsonSyntaxError', () => {
  it.each(['{}', '[]', ' [1, -2.5e3, "a\\"b\\u00e9", true, false, null, {"k": [{}]}] ', '"text"', '0'])(
    'accepts valid JSON %s',
    (text) => {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonSyntaxError(text)).toBeUndefined();
    },
  );

  it.each([
    ['[1,]', 3, 1, 4, "unexpected ']' (JSON allows no comma before it)"],
    ['{"a": 1,\n }', 10, 2, 2, "unexpected '}' (JSON allows no comma before it)"],
    ['[1 2]', 3, 1, 4, "unexpected '2'"],
    ['{a: 1}', 1, 1, 2, "unexpected 'a'"],
    ["['x']", 1, 1, 2, "unexpected '''"],
    ['[01]', 2, 1, 3, "unexpected '1'"],
    ['[tru]', 4, 1, 5, "unexpected ']'"],
    ['"\\x"', 2, 1, 3, "unexpected 'x'"],
    ['[\n  {"a": 1}\n  {"b": 2}\n]', 15, 3, 3, "unexpected '{'"],
    ['{"a": [1, 2]', 12, 1, 13, 'unexpected end of input'],
    ['{} x', 3, 1, 4, "unexpected 'x'"],
  ])('finds the error in %j', (text, offset, line, column, problem) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxError(text)).toEqual({ offset, line, column, problem });
  });
});
