/**
 * JSON text that reads back (with `JSON.parse`) deep-equal to the value written, or a RangeError naming the
 * path of the first part that would not: a non-finite number, a bigint, a Date, a Map, a class instance, a
 * function, an array hole, a cycle. Undefined object properties are left out, so they read back absent (an
 * optional field unset). `-0` is written as `-0`, which is valid JSON and parses back to -0.
 */
export function exactJson(value: unknown, path: string): string {
  return write(value, path, new Set());
}

function write(value: unknown, path: string, open: Set<object>): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${path} must be a finite number, got ${value}`);
    return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  }
  if (typeof value !== 'object') throw new RangeError(`${path} cannot be stored as JSON: a ${typeof value}`);
  if (open.has(value)) throw new RangeError(`${path} cannot be stored as JSON: it contains itself`);
  open.add(value);
  let text: string;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let index = 0; index < value.length; index++) {
      if (!(index in value) || value[index] === undefined) {
        throw new RangeError(`${path}[${index}] cannot be stored as JSON: undefined or missing`);
      }
      items.push(write(value[index], `${path}[${index}]`, open));
    }
    text = `[${items.join(',')}]`;
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new RangeError(`${path} cannot be stored as JSON: a ${kind}, not a plain object`);
    }
    const members: string[] = [];
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined)
        members.push(`${JSON.stringify(key)}:${write(member, `${path}.${key}`, open)}`);
    }
    text = `{${members.join(',')}}`;
  }
  open.delete(value);
  return text;
}

/** Parses JSON text that must hold an object (a row's JSON column); a RangeError naming the column otherwise. */
export function parseJsonObject(text: unknown, column: string): Record<string, unknown> {
  const value: unknown = JSON.parse(String(text));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RangeError(`column ${column} does not hold a JSON object`);
  }
  return value as Record<string, unknown>;
}
