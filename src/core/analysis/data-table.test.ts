import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { cellText, numericColumn, tableFromCsv, tableFromRecords } from './data-table.js';

const messageOf = (action: () => unknown): string => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('tableFromCsv', () => {
  it('reads a header and rows, skipping blank lines, keeping line numbers', () => {
    const table = tableFromCsv('\uFEFFname, cost\r\n"a, b",1\r\n\r\n"multi\nline",2\r\n', 'm.csv');
    expect(table.columns).toEqual(['name', 'cost']);
    expect(table.rows).toEqual([
      { number: 1, line: 2, cells: ['a, b', '1'] },
      { number: 2, line: 4, cells: ['multi\nline', '2'] },
    ]);
  });

  it.each([
    ['an empty file', '', 'm.csv: expected a header row, found an empty file'],
    ['only blank lines', '\n\n', 'm.csv: expected a header row, found an empty file'],
    [
      'a duplicate column',
      'name,cost,cost\nx,1,2',
      "m.csv at line 1, column 3: duplicate column name 'cost'",
    ],
    [
      'an unnamed column',
      'name,,cost\nx,1,2',
      'm.csv at line 1, column 2: expected a column name in the header, found an empty field',
    ],
    ['a short row', 'name,cost\nx,1\ny', 'm.csv at line 3: expected 2 fields as in the header, found 1'],
    ['a long row', 'name,cost\nx,1,2', 'm.csv at line 2: expected 2 fields as in the header, found 3'],
    ['an unclosed quote', 'name,cost\n"x,1', 'm.csv at line 2, column 1: quoted field is never closed'],
  ])('refuses %s', (_name, text, message) => {
    expect(messageOf(() => tableFromCsv(text, 'm.csv'))).toBe(message);
  });
});

describe('tableFromRecords', () => {
  it('takes the union of keys in order of first appearance', () => {
    const table = tableFromRecords(
      [
        { name: 'a', cost: 1 },
        { cost: 2, accuracy: 0.9 },
      ],
      'm.json',
    );
    expect(table.columns).toEqual(['name', 'cost', 'accuracy']);
    expect(table.rows.map((row) => row.cells)).toEqual([
      ['a', 1, undefined],
      [undefined, 2, 0.9],
    ]);
  });

  it.each([
    ['a mapping', { rows: [] }, 'm.json: expected a list of rows (objects), found a mapping'],
    ['a row that is a number', [{ a: 1 }, 5], 'm.json at [1]: expected an object (one row), found 5'],
    ['a row that is a list', [[1, 2]], 'm.json at [0]: expected an object (one row), found a list'],
  ])('refuses %s', (_name, data, message) => {
    expect(messageOf(() => tableFromRecords(data, 'm.json'))).toBe(message);
  });
});

describe('numericColumn', () => {
  const csv = (body: string) => tableFromCsv(`name,cost\n${body}`, 'm.csv');

  it('reads decimal, signed and exponent numbers, trimmed', () => {
    expect(numericColumn(csv('a,0.00001\nb, 1e-5 \nc,-3\nd,.5\ne,+2.'), 'cost')).toEqual([
      0.00001, 0.00001, -3, 0.5, 2,
    ]);
    expect(numericColumn(tableFromRecords([{ cost: 0.5 }, { cost: '7' }], 'm.json'), 'cost')).toEqual([
      0.5, 7,
    ]);
  });

  it.each([
    [
      'a word',
      csv('GPT-4o,n/a'),
      "m.csv at row 1 'GPT-4o' (line 2), column 'cost': expected a number, found 'n/a'",
    ],
    [
      'an empty cell',
      csv('a,1\nGPT-4o,'),
      "m.csv at row 2 'GPT-4o' (line 3), column 'cost': missing: expected a number",
    ],
    [
      'a dollar sign',
      csv('a,$0.02'),
      "m.csv at row 1 'a' (line 2), column 'cost': expected a number, found '$0.02'",
    ],
    [
      'Infinity',
      csv('a,Infinity'),
      "m.csv at row 1 'a' (line 2), column 'cost': expected a number, found 'Infinity'",
    ],
    [
      'a missing JSON key',
      tableFromRecords([{ name: 'x', cost: 1 }, { name: 'y' }], 'm.json'),
      "m.json at row 2 'y', column 'cost': missing: expected a number",
    ],
    [
      'a JSON null',
      tableFromRecords([{ cost: null }], 'm.json'),
      "m.json at row 1, column 'cost': missing: expected a number",
    ],
    [
      'a JSON boolean',
      tableFromRecords([{ cost: true }], 'm.json'),
      "m.json at row 1, column 'cost': expected a number, found true",
    ],
  ])('names row and column for %s', (_name, table, message) => {
    expect(messageOf(() => numericColumn(table, 'cost'))).toBe(message);
  });
});

describe('cellText', () => {
  it.each([
    ['text', 'text'],
    [0.5, '0.5'],
    [null, ''],
    [undefined, ''],
    [{ a: 1 }, '{"a":1}'],
    [true, 'true'],
  ])('%j reads %j', (cell, text) => {
    expect(cellText(cell)).toBe(text);
  });
});
