import {
  type Alert,
  type AlertDetail,
  type AlertQuery,
  alertKinds,
  alertSeverities,
} from '../core/alerts/alert.js';
import { StoreError } from '../core/errors.js';
import { decodeAttributes, encodeAttributes } from './span-columns.js';
import type { SpendDialect } from './spend-sql.js';
import { SqlParameters } from './spend-sql.js';

/** How many alerts `listAlerts` returns when the query names no limit. */
export const defaultAlertLimit = 100;

/** The columns of the `alerts` table, in the order `alertValues` returns them. */
export const alertColumns = ['id', 'kind', 'severity', 'time', 'message', 'details'] as const;

/** An alert's column values (details as JSON text); a RangeError when its time is not integer epoch ms. */
export function alertValues(alert: Alert): (string | number)[] {
  if (!Number.isSafeInteger(alert.time)) {
    throw new RangeError(`alert '${alert.id}': time must be integer epoch milliseconds, got ${alert.time}`);
  }
  return [alert.id, alert.kind, alert.severity, alert.time, alert.message, encodeAttributes(alert.details)];
}

/** Inserts an alert unless its id is recorded: the primary key decides, atomically, between processes. */
export const recordAlertSql = (dialect: SpendDialect) =>
  `INSERT INTO alerts (${alertColumns.join(', ')}) ` +
  `VALUES (${alertColumns.map((_, index) => dialect.placeholder(index + 1)).join(', ')}) ON CONFLICT (id) DO NOTHING`;

/** The SQL of `Store.listAlerts`: newest first (then by id), filtered by time and kind. */
export function listAlertsSql(query: AlertQuery, dialect: SpendDialect) {
  const parameters = new SqlParameters(dialect);
  const where: string[] = [];
  if (query.from !== undefined) where.push(`time >= ${parameters.add(query.from)}`);
  if (query.to !== undefined) where.push(`time < ${parameters.add(query.to)}`);
  if (query.kinds !== undefined) {
    where.push(query.kinds.length === 0 ? '1 = 0' : dialect.inList(parameters, 'kind', query.kinds));
  }
  const text =
    `SELECT ${alertColumns.join(', ')} FROM alerts${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ` +
    `ORDER BY time DESC, id${dialect.byteOrder} LIMIT ${parameters.add(query.limit ?? defaultAlertLimit)}`;
  return { text, values: parameters.values };
}

/** Reads an `alerts` row back; a StoreError naming the store and the alert when the row is not one frugal wrote. */
export function alertFromRow(row: Readonly<Record<string, unknown>>, location: string): Alert {
  const id = String(row['id']);
  const kind = String(row['kind']);
  const severity = String(row['severity']);
  let details: Record<string, AlertDetail>;
  try {
    if (!(alertKinds as readonly string[]).includes(kind)) throw new RangeError(`unknown kind '${kind}'`);
    if (!(alertSeverities as readonly string[]).includes(severity)) {
      throw new RangeError(`unknown severity '${severity}'`);
    }
    details = decodeAttributes(String(row['details'])) as Record<string, AlertDetail>;
  } catch (error) {
    throw new StoreError(location, `stored alert '${id}' is unreadable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    id,
    kind: kind as Alert['kind'],
    severity: severity as Alert['severity'],
    time: Number(row['time']),
    message: String(row['message']),
    details,
  };
}
