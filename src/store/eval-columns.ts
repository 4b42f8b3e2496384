import type { Picodollars } from '../core/money.js';
import { type Usage, usageFields } from '../core/usage.js';
import { exactJson } from './exact-json.js';
import { PICOS_PER_MICRO, splitCost } from './span-columns.js';

/**
 * Column values shared by the `eval_runs` and `eval_results` rows of both engines. Checks throw a RangeError
 * that names the record (`subject`) and the field, so that nothing is stored that would not read back equal.
 * Flags are bound as 0/1 (SQLite INTEGER; PostgreSQL reads '1'/'0' into boolean); money is the span path's
 * `_micros` + `_picos` integer pair, both NULL when the cost is undefined (never 0).
 */
export type EvalColumnValue = string | number | bigint | null;

/** The largest cost whose micro-dollars fit an int64 column. */
const MAX_COST = (2n ** 63n - 1n) * PICOS_PER_MICRO;

export function fail(subject: string, message: string): never {
  throw new RangeError(`${subject}: ${message}`);
}

export function checkText(subject: string, field: string, value: unknown, nonEmpty = false): string {
  if (typeof value !== 'string' || (nonEmpty && value === '')) {
    fail(subject, `${field} must be a ${nonEmpty ? 'non-empty ' : ''}string, got ${describe(value)}`);
  }
  return value;
}

export function optionalText(subject: string, field: string, value: unknown): string | null {
  return value === undefined ? null : checkText(subject, field, value);
}

/** A non-negative safe integer (epoch ms, counts, positions). */
export function checkCount(subject: string, field: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
    fail(subject, `${field} must be a non-negative integer, got ${describe(value)}`);
  }
  return value;
}

export function checkFlag(subject: string, field: string, value: unknown): 0 | 1 {
  if (typeof value !== 'boolean') fail(subject, `${field} must be a boolean, got ${describe(value)}`);
  return value ? 1 : 0;
}

/** The micros and picos columns of a cost: both NULL when undefined. */
export function moneyValues(
  subject: string,
  field: string,
  cost: unknown,
): [EvalColumnValue, EvalColumnValue] {
  if (cost === undefined) return [null, null];
  if (typeof cost !== 'bigint')
    fail(subject, `${field} must be a bigint of pico-dollars, got ${describe(cost)}`);
  if (cost < 0n) fail(subject, `${field} must not be negative, got ${cost}`);
  if (cost > MAX_COST) fail(subject, `${field} is too large to store`);
  const { micros, picos } = splitCost(cost);
  return [micros, picos];
}

/** Usage as JSON text (NULL when undefined); every count a non-negative integer. */
export function usageValue(subject: string, field: string, usage: Usage | undefined): string | null {
  if (usage === undefined) return null;
  if (typeof usage !== 'object' || usage === null) fail(subject, `${field} must be an object`);
  for (const name of usageFields) {
    const count = usage[name];
    if (count !== undefined) checkCount(subject, `${field}.${name}`, count);
  }
  return exactJson(usage, `${subject}: ${field}`);
}

/** A flag column read back: true/false (PostgreSQL) or 1/0 (SQLite, as number or bigint). */
export function flagFromColumn(value: unknown, column: string): boolean {
  if (value === true || value === 1 || value === 1n) return true;
  if (value === false || value === 0 || value === 0n) return false;
  throw new RangeError(`column ${column} holds ${describe(value)}, not a flag`);
}

/** A cost read back from its micros and picos columns (undefined when both are NULL). */
export function moneyFromColumns(micros: unknown, picos: unknown): Picodollars | undefined {
  if (micros === null || micros === undefined) return undefined;
  return BigInt(micros as bigint) * PICOS_PER_MICRO + BigInt(picos as bigint);
}

/** An optional column read back: NULL is undefined. */
export function optionalColumn<T>(value: unknown, read: (value: unknown) => T): T | undefined {
  return value === null || value === undefined ? undefined : read(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
