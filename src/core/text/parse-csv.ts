import { ConfigError } from '../errors.js';

/** One CSV record: its fields, and the line (1-based) on which it starts. */
export type CsvRecord = { readonly line: number; readonly fields: readonly string[] };

/** Malformed CSV: names the source and the 1-based line and column where reading failed. */
export class CsvSyntaxError extends ConfigError {
  constructor(
    source: string,
    readonly line: number,
    readonly column: number,
    problem: string,
  ) {
    super(source, `line ${line}, column ${column}`, problem);
  }
}

/**
 * Parses CSV as RFC 4180 defines it: fields separated by commas, records by CRLF (LF and lone CR are
 * accepted too); a field wrapped in double quotes may contain commas, line breaks and doubled quotes
 * (`""` reads as `"`). A leading byte-order mark is dropped. A final line break does not start a record;
 * an empty line is a record with one empty field, as in the RFC; empty text has no records. Line breaks inside quoted fields are
 * kept verbatim and count as lines for positions. Columns count UTF-16 code units from 1.
 *
 * Throws `CsvSyntaxError` for an unterminated quoted field, text after a closing quote, or a quote inside
 * an unquoted field. Records may have different numbers of fields: checking that is the caller's job.
 */
export function parseCsv(text: string, source = '<csv>'): CsvRecord[] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (input === '') return [];
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let recordLine = 1;
  let line = 1;
  let lineStart = 0;
  let position = 0;
  const column = (at: number) => at - lineStart + 1;

  while (position <= input.length) {
    if (input[position] === '"') {
      const openLine = line;
      const openColumn = column(position);
      let value = '';
      let chunkStart = position + 1;
      let cursor = chunkStart;
      for (;;) {
        const quote = input.indexOf('"', cursor);
        if (quote < 0) throw new CsvSyntaxError(source, openLine, openColumn, 'quoted field is never closed');
        for (let index = cursor; index < quote; index++) {
          const character = input[index];
          if (character === '\n' || (character === '\r' && input[index + 1] !== '\n')) {
            line++;
            lineStart = index + 1;
          }
        }
        if (input[quote + 1] === '"') {
          value += `${input.slice(chunkStart, quote)}"`;
          chunkStart = quote + 2;
          cursor = chunkStart;
          continue;
        }
        value += input.slice(chunkStart, quote);
        position = quote + 1;
        break;
      }
      const next = input[position];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(
          source,
          line,
          column(position),
          `unexpected '${next}' after the closing quote of a field (expected a comma or a line break)`,
        );
      }
      fields.push(value);
    } else {
      let end = position;
      while (end < input.length && !',\r\n'.includes(input[end]!)) {
        if (input[end] === '"') {
          throw new CsvSyntaxError(
            source,
            line,
            column(end),
            'a quote inside an unquoted field (quote the whole field and double the inner quote)',
          );
        }
        end++;
      }
      fields.push(input.slice(position, end));
      position = end;
    }

    const separator = input[position];
    if (separator === ',') {
      position++;
      continue;
    }
    records.push({ line: recordLine, fields });
    fields = [];
    if (separator === undefined) break;
    position += separator === '\r' && input[position + 1] === '\n' ? 2 : 1;
    line++;
    lineStart = position;
    recordLine = line;
    if (position === input.length) break;
  }
  return records;
}
