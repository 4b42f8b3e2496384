import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { CsvSyntaxError, parseCsv } from './parse-csv.js';

const fieldsOf = (text: string) => parseCsv(text).map((record) => record.fields);

describe('parseCsv', () => {
  it.each([
    [
      'plain fields',
      'a,b,c\n1,2,3',
      [
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ],
    ],
    [
      'CRLF line breaks',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'lone CR line breaks',
      'a,b\r1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['final line break starts no record', 'a\n', [['a']]],
    [
      'no final line break',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'byte-order mark dropped',
      '\uFEFFname,cost\nx,1',
      [
        ['name', 'cost'],
        ['x', '1'],
      ],
    ],
    ['empty fields', ',a,,\n', [['', 'a', '', '']]],
    ['quoted comma', '"a,b",c', [['a,b', 'c']]],
    ['escaped quotes', '"say ""hi""",x', [['say "hi"', 'x']]],
    ['only an escaped quote', '""""', [['"']]],
    ['empty quoted field', '"",""\n', [['', '']]],
    ['embedded LF', '"line 1\nline 2",x', [['line 1\nline 2', 'x']]],
    [
      'embedded CRLF kept verbatim',
      '"a\r\nb",c\r\nd,e',
      [
        ['a\r\nb', 'c'],
        ['d', 'e'],
      ],
    ],
    ['spaces are data', ' a , b ', [[' a ', ' b ']]],
    ['empty line is one empty field', 'a\n\nb', [['a'], [''], ['b']]],
    ['empty text has no records', '', []],
    ['BOM alone has no records', '\uFEFF', []],
    ['ragged records kept as they are', 'a,b\n1\n1,2,3', [['a', 'b'], ['1'], ['1', '2', '3']]],
    [
      'unicode',
      'modèle,coût\n"Claude ""Opus""",0.02',
      [
        ['modèle', 'coût'],
        ['Claude "Opus"', '0.02'],
      ],
    ],
  ] as const)('%s', (_name, text, expected) => {
    expect(fieldsOf(text as string)).toEqual(expected);
  });

  it('records the line on which each record starts, counting line breaks inside quotes', () => {
    const records = parseCsv('h1,h2\r\n"multi\r\nline\nvalue",x\r\nlast,y\r\n');
    expect(records.map((record) => record.line)).toEqual([1, 2, 5]);
    expect(records[1]?.fields).toEqual(['multi\r\nline\nvalue', 'x']);
  });

  it.each([
    ['unterminated quote', 'a,b\n1,"open\nstill open', 2, 3, 'quoted field is never closed'],
    ['text after closing quote', 'a,b\n"x"y,2', 2, 4, "unexpected 'y' after the closing quote"],
    [
      'text after closing quote on a later line',
      'a\n"x\ny" z',
      3,
      3,
      "unexpected ' ' after the closing quote",
    ],
    ['quote inside unquoted field', 'name\nab"c', 2, 3, 'a quote inside an unquoted field'],
    ['column counted after a BOM', '\uFEFFa"', 1, 2, 'a quote inside an unquoted field'],
  ])('reports %s with line and column', (_name, text, line, column, problem) => {
    let caught: unknown;
    try {
      parseCsv(text, 'models.csv');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CsvSyntaxError);
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as CsvSyntaxError;
    expect([error.line, error.column]).toEqual([line, column]);
    expect(error.message).toContain(`models.csv at line ${line}, column ${column}: ${problem}`);
    expect(error.message).not.toContain('\n');
  });

  it('reads back whatever an RFC 4180 writer produces (seeded random round trip)', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ['a', 'b', ' ', ',', '"', '\n', '\r\n', '\r', 'é', '1'];
    const randomField = () =>
      Array.from(
        { length: Math.floor(next() * 6) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      ).join('');
    const write = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
    for (let trial = 0; trial < 300; trial++) {
      const width = 1 + Math.floor(next() * 4);
      const table = Array.from({ length: 1 + Math.floor(next() * 5) }, () =>
        Array.from({ length: width }, randomField),
      ).filter((fields) => !(fields.length === 1 && fields[0] === ''));
      const text = table.map((fields) => fields.map(write).join(',')).join(next() < 0.5 ? '\r\n' : '\n');
      expect(fieldsOf(text)).toEqual(table);
    }
  });

  it('parses a large file in linear time', () => {
    const row = '"quoted, with comma",123,"multi\nline"\n';
    const text = `a,b,c\n${row.repeat(50_000)}`;
    const started = performance.now();
    const records = parseCsv(text);
    expect(records).toHaveLength(50_001);
    expect(records.at(-1)?.line).toBe(100_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
