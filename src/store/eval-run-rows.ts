import { StoreError } from '../core/errors.js';
import {
  type EvalRunRecord,
  type RunQuery,
  type RunStatus,
  runStatuses,
} from '../core/evals/eval-records.js';
import {
  checkCount,
  checkFlag,
  checkText,
  type EvalColumnValue,
  fail,
  flagFromColumn,
  optionalColumn,
  optionalText,
} from './eval-columns.js';
import { exactJson, parseJsonObject } from './exact-json.js';
import { type SpendDialect, SqlParameters } from './spend-sql.js';

/** The columns of the `eval_runs` table, in the order `runValues` returns them. */
export const runColumns = [
  'id',
  'experiment',
  'candidate',
  'model',
  'simulated',
  'status',
  'started_at',
  'ended_at',
  'stop_reason',
  'dataset_name',
  'dataset_hash',
  'dataset_rows',
  'config',
  'metrics',
] as const;

/** A run's column values (config and metrics as JSON text); a RangeError naming the run and field otherwise. */
export function runValues(run: EvalRunRecord): EvalColumnValue[] {
  const subject = `run '${String(run.id)}'`;
  checkText(subject, 'id', run.id, true);
  if (!(runStatuses as readonly unknown[]).includes(run.status))
    fail(subject, `unknown status '${run.status}'`);
  const dataset = run.dataset;
  if (typeof dataset !== 'object' || dataset === null) fail(subject, 'dataset must be an object');
  if (typeof run.metrics !== 'object' || run.metrics === null) fail(subject, 'metrics must be an object');
  for (const [name, value] of Object.entries(run.metrics)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(subject, `metrics.${name} must be a finite number, got ${String(value)}`);
    }
  }
  return [
    run.id,
    checkText(subject, 'experiment', run.experiment),
    checkText(subject, 'candidate', run.candidate),
    optionalText(subject, 'model', run.model),
    checkFlag(subject, 'simulated', run.simulated),
    run.status,
    checkCount(subject, 'startedAt', run.startedAt),
    run.endedAt === undefined ? null : checkCount(subject, 'endedAt', run.endedAt),
    optionalText(subject, 'stopReason', run.stopReason),
    checkText(subject, 'dataset.name', dataset.name),
    checkText(subject, 'dataset.hash', dataset.hash),
    checkCount(subject, 'dataset.rows', dataset.rows),
    exactJson(run.config, `${subject}: config`),
    exactJson(run.metrics, `${subject}: metrics`),
  ];
}

/** Creates or replaces the run with this id (every column but the id takes the new value). */
export function putRunSql(dialect: SpendDialect): string {
  const placeholders = runColumns.map((_, index) => dialect.placeholder(index + 1));
  const updates = runColumns.slice(1).map((column) => `${column} = excluded.${column}`);
  return (
    `INSERT INTO eval_runs (${runColumns.join(', ')}) VALUES (${placeholders.join(', ')}) ` +
    `ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}`
  );
}

export const selectRunSql = (dialect: SpendDialect) =>
  `SELECT ${runColumns.join(', ')} FROM eval_runs WHERE id = ${dialect.placeholder(1)}`;

/** The SQL of `Store.listRuns`: newest (started_at) first, then by id; filtered by experiment; limited. */
export function listRunsSql(query: RunQuery, dialect: SpendDialect) {
  const parameters = new SqlParameters(dialect);
  const where =
    query.experiment === undefined ? '' : ` WHERE experiment = ${parameters.add(query.experiment)}`;
  let limit = '';
  if (query.limit !== undefined)
    limit = ` LIMIT ${parameters.add(checkCount('run query', 'limit', query.limit))}`;
  const text =
    `SELECT ${runColumns.join(', ')} FROM eval_runs${where} ` +
    `ORDER BY started_at DESC, id${dialect.byteOrder}${limit}`;
  return { text, values: parameters.values };
}

/** Reads an `eval_runs` row back; a StoreError naming the store and the run when it is not one frugal wrote. */
export function runFromRow(row: Readonly<Record<string, unknown>>, location: string): EvalRunRecord {
  const id = String(row['id']);
  try {
    const status = String(row['status']);
    if (!(runStatuses as readonly string[]).includes(status))
      throw new RangeError(`unknown status '${status}'`);
    const metrics = parseJsonObject(row['metrics'], 'metrics');
    for (const [name, value] of Object.entries(metrics)) {
      if (typeof value !== 'number') throw new RangeError(`metric '${name}' is not a number`);
    }
    const model = optionalColumn(row['model'], String);
    const endedAt = optionalColumn(row['ended_at'], Number);
    const stopReason = optionalColumn(row['stop_reason'], String);
    return {
      id,
      experiment: String(row['experiment']),
      candidate: String(row['candidate']),
      ...(model === undefined ? {} : { model }),
      simulated: flagFromColumn(row['simulated'], 'simulated'),
      status: status as RunStatus,
      startedAt: Number(row['started_at']),
      ...(endedAt === undefined ? {} : { endedAt }),
      ...(stopReason === undefined ? {} : { stopReason }),
      dataset: {
        name: String(row['dataset_name']),
        hash: String(row['dataset_hash']),
        rows: Number(row['dataset_rows']),
      },
      config: parseJsonObject(row['config'], 'config'),
      metrics: metrics as Record<string, number>,
    };
  } catch (error) {
    throw new StoreError(location, `stored run '${id}' is unreadable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
