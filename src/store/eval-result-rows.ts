import { StoreError } from '../core/errors.js';
import type { EvalResultRecord, StoredScore } from '../core/evals/eval-records.js';
import type { Usage } from '../core/usage.js';
import {
  checkCount,
  checkFlag,
  checkText,
  type EvalColumnValue,
  fail,
  flagFromColumn,
  moneyFromColumns,
  moneyValues,
  optionalColumn,
  optionalText,
  usageValue,
} from './eval-columns.js';
import { exactJson, parseJsonObject } from './exact-json.js';
import type { SpendDialect } from './spend-sql.js';

/** The columns of the `eval_results` table, in the order `resultValues` returns them (the key first). */
export const resultColumns = [
  'run_id',
  'row_id',
  'repeat_number',
  'row_index',
  'inputs',
  'expectations',
  'output',
  'error',
  'scores',
  'trace_id',
  'usage',
  'cost_micros',
  'cost_picos',
  'judge_usage',
  'judge_cost_micros',
  'judge_cost_picos',
  'latency_ms',
  'cached',
  'simulated',
  'recorded_at',
] as const;

function checkScores(subject: string, scores: EvalResultRecord['scores']): string {
  if (typeof scores !== 'object' || scores === null) fail(subject, 'scores must be an object');
  for (const [name, score] of Object.entries(scores) as [string, StoredScore | undefined][]) {
    if (score === undefined) continue;
    if (typeof score !== 'object' || score === null) fail(subject, `scores.${name} must be an object`);
    const value: unknown = score.value;
    if (!(value === undefined || typeof value === 'boolean' || Number.isFinite(value))) {
      fail(subject, `scores.${name}.value must be a boolean or a finite number, got ${String(value)}`);
    }
    optionalText(subject, `scores.${name}.rationale`, score.rationale);
    optionalText(subject, `scores.${name}.error`, score.error);
  }
  return exactJson(scores, `${subject}: scores`);
}

/** A result's column values (JSON text for the records), or a RangeError naming the result and the field. */
export function resultValues(result: EvalResultRecord): EvalColumnValue[] {
  const subject = `result '${String(result.runId)}/${String(result.rowId)}#${String(result.repeat)}'`;
  const latency = result.latencyMs;
  if (latency !== undefined && !(Number.isFinite(latency) && latency >= 0 && !Object.is(latency, -0))) {
    fail(subject, `latencyMs must be a non-negative finite number, got ${String(latency)}`);
  }
  return [
    checkText(subject, 'runId', result.runId, true),
    checkText(subject, 'rowId', result.rowId, true),
    checkCount(subject, 'repeat', result.repeat),
    checkCount(subject, 'rowIndex', result.rowIndex),
    exactJson(result.inputs, `${subject}: inputs`),
    exactJson(result.expectations, `${subject}: expectations`),
    optionalText(subject, 'output', result.output),
    optionalText(subject, 'error', result.error),
    checkScores(subject, result.scores),
    optionalText(subject, 'traceId', result.traceId),
    usageValue(subject, 'usage', result.usage),
    ...moneyValues(subject, 'cost', result.cost),
    usageValue(subject, 'judgeUsage', result.judgeUsage),
    ...moneyValues(subject, 'judgeCost', result.judgeCost),
    latency ?? null,
    checkFlag(subject, 'cached', result.cached),
    checkFlag(subject, 'simulated', result.simulated),
    checkCount(subject, 'recordedAt', result.recordedAt),
  ];
}

/**
 * One row per (run, row, repeat), the last given winning, in key order: a statement may not upsert one row
 * twice (PostgreSQL), and concurrent writers that lock rows in one order never deadlock.
 */
export function latestByKey(rows: readonly EvalColumnValue[][]): EvalColumnValue[][] {
  const byKey = new Map<string, EvalColumnValue[]>();
  for (const row of rows) byKey.set(JSON.stringify(row.slice(0, 3)), row);
  const key = (row: EvalColumnValue[]) => [String(row[0]), String(row[1]), Number(row[2])] as const;
  return [...byKey.values()].sort((left, right) => {
    const [a, b] = [key(left), key(right)];
    for (let index = 0; index < 3; index++) {
      if (a[index]! < b[index]!) return -1;
      if (a[index]! > b[index]!) return 1;
    }
    return 0;
  });
}

/** Upserts `count` results on (run_id, row_id, repeat_number): a resumed run replaces a row's earlier result. */
export function upsertResultsSql(dialect: SpendDialect, count: number): string {
  const width = resultColumns.length;
  const rows = Array.from(
    { length: count },
    (_, row) =>
      `(${resultColumns.map((_, column) => dialect.placeholder(row * width + column + 1)).join(', ')})`,
  );
  const updates = resultColumns.slice(3).map((column) => `${column} = excluded.${column}`);
  return (
    `INSERT INTO eval_results (${resultColumns.join(', ')}) VALUES ${rows.join(', ')} ` +
    `ON CONFLICT (run_id, row_id, repeat_number) DO UPDATE SET ${updates.join(', ')}`
  );
}

/** A run's results by row position, then repeat (then row id, should two rows share a position). */
export const listResultsSql = (dialect: SpendDialect) =>
  `SELECT ${resultColumns.join(', ')} FROM eval_results WHERE run_id = ${dialect.placeholder(1)} ` +
  `ORDER BY row_index, repeat_number, row_id${dialect.byteOrder}`;

/** Reads an `eval_results` row back exactly: undefined stays absent, money stays bigint. */
export function resultFromRow(row: Readonly<Record<string, unknown>>, location: string): EvalResultRecord {
  const runId = String(row['run_id']);
  const rowId = String(row['row_id']);
  const repeat = Number(row['repeat_number']);
  try {
    const optional = {
      output: optionalColumn(row['output'], String),
      error: optionalColumn(row['error'], String),
      traceId: optionalColumn(row['trace_id'], String),
      usage: optionalColumn(row['usage'], (text) => parseJsonObject(text, 'usage') as Usage),
      cost: moneyFromColumns(row['cost_micros'], row['cost_picos']),
      judgeUsage: optionalColumn(row['judge_usage'], (text) => parseJsonObject(text, 'judge_usage') as Usage),
      judgeCost: moneyFromColumns(row['judge_cost_micros'], row['judge_cost_picos']),
      latencyMs: optionalColumn(row['latency_ms'], Number),
    };
    return {
      runId,
      rowId,
      rowIndex: Number(row['row_index']),
      repeat,
      inputs: parseJsonObject(row['inputs'], 'inputs'),
      expectations: parseJsonObject(row['expectations'], 'expectations'),
      scores: parseJsonObject(row['scores'], 'scores') as Record<string, StoredScore>,
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
      cached: flagFromColumn(row['cached'], 'cached'),
      simulated: flagFromColumn(row['simulated'], 'simulated'),
      recordedAt: Number(row['recorded_at']),
    };
  } catch (error) {
    const subject = `${runId}/${rowId}#${repeat}`;
    throw new StoreError(location, `stored result '${subject}' is unreadable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
