import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { integerOption, numberOption, parseCommandArgs, tokenCount } from './args.js';

const spec = { input: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('parseCommandArgs', () => {
  it('parses flags and positionals', () => {
    const parsed = parseCommandArgs('cost', ['--input', '12', 'file.csv', '--json'], spec);
    expect(parsed.values).toEqual({ input: '12', json: true });
    expect(parsed.positionals).toEqual(['file.csv']);
  });

  it.each([
    [['--inptu', '3'], "frugal cost: unknown option '--inptu' (see 'frugal cost --help')"],
    [['--input'], "frugal cost: option '--input' needs a value (see 'frugal cost --help')"],
    [['a', 'b'], "frugal cost: unexpected argument 'b' (see 'frugal cost --help')"],
  ])('%j → %s', (args, message) => {
    expect(() => parseCommandArgs('cost', args, spec, { maxPositionals: 1 })).toThrow(
      new UsageError(message),
    );
  });

  it('hands a negative number to the option instead of calling it ambiguous', () => {
    const parsed = parseCommandArgs('cost', ['--input', '-5'], spec);
    expect(parsed.values.input).toBe('-5');
    expect(() => tokenCount('cost', 'input', parsed.values.input)).toThrow(
      "frugal cost: --input must be a non-negative integer, got '-5'",
    );
  });
});

describe('option values', () => {
  it.each(['1.5', '1e3', '', ' ', 'abc', '-1', '9007199254740993'])('tokenCount refuses %j', (value) => {
    expect(() => tokenCount('cost', 'input', value)).toThrow(/--input must be a non-negative integer/);
  });

  it('integerOption states its minimum', () => {
    expect(() => integerOption('x', 'repeats', '0', 1)).toThrow(
      "frugal x: --repeats must be an integer ≥ 1, got '0'",
    );
    expect(integerOption('x', 'repeats', '3', 1)).toBe(3);
  });

  it('numberOption accepts decimals and refuses junk', () => {
    expect(numberOption('x', 'rate', '0.25')).toBe(0.25);
    expect(() => numberOption('x', 'rate', '1.2.3')).toThrow(
      "frugal x: --rate must be a number ≥ 0, got '1.2.3'",
    );
  });
});
