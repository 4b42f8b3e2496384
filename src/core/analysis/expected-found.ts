/**
 * "expected X, found Y", with Y described for people and kept on one line; a missing value reads
 * "missing: expected X".
 */
export function expectedFound(expected: string, value: unknown): string {
  if (value === undefined) return `missing: expected ${expected}`;
  return `expected ${expected}, found ${describeValue(value)}`;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `'${shown.replaceAll('\r', '\\r').replaceAll('\n', '\\n')}'`;
  }
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
