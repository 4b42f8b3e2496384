/**
 * A row as read from a file, before validation, and where it came from: `rows[3]` or `data[3]` in a JSON or
 * YAML document (0-based, as the path into the document), `line 4` in JSONL or CSV (1-based).
 */
export type RawRow = {
  readonly value: unknown;
  readonly where: string;
};

/** Joins a row's location and a field path: `rows[3].inputs`, `line 4, inputs`. */
export function pathIn(where: string, field: string): string {
  if (field === '') return where;
  return where.startsWith('line ') ? `${where}, ${field}` : `${where}.${field}`;
}
