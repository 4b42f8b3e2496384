import pg from 'pg';
import type { Alert, AlertQuery } from '../core/alerts/alert.js';
import type { Budget } from '../core/budgets/budget.js';
import { FrugalError, StoreError } from '../core/errors.js';
import type { EvalResultRecord, EvalRunRecord, RunQuery } from '../core/evals/eval-records.js';
import type { VirtualKeyRecord } from '../core/keys/virtual-key.js';
import type { GatewaySavings, SavingsQuery } from '../core/spans/gateway-savings.js';
import type { RepeatedRequest, RepeatQuery } from '../core/spans/request-repeats.js';
import type { Span } from '../core/spans/span.js';
import type { SpendQuery, SpendRow } from '../core/spans/spend-query.js';
import { alertFromRow, alertValues, listAlertsSql, recordAlertSql } from './alert-rows.js';
import { budgetFromRow, budgetValues, putBudgetSql } from './budget-rows.js';
import {
  latestByKey,
  listResultsSql,
  resultColumns,
  resultFromRow,
  resultValues,
  upsertResultsSql,
} from './eval-result-rows.js';
import { listRunsSql, putRunSql, runFromRow, runValues, selectRunSql } from './eval-run-rows.js';
import { gatewaySavingsFromRows, gatewaySavingsSql } from './gateway-savings-sql.js';
import type { InspectableStore } from './inspectable-store.js';
import {
  keyFromRow,
  keyValues,
  listKeysSql,
  putKeySql,
  revokeKeySql,
  revokeKeyValues,
  selectKeySql,
} from './key-rows.js';
import { orderTrace } from './order-trace.js';
import { describePostgresError, describePostgresLocation } from './postgres-errors.js';
import { migratePostgres } from './postgres-migrate.js';
import { copySpansInChunks, storedSpanKey, storedSpanKeys } from './postgres-span-copy.js';
import {
  postgresDialect,
  rollupJson,
  selectSpanSql,
  selectTraceSql,
  upsertDaySql,
  upsertHourSql,
} from './postgres-statements.js';
import { repeatedRequestFromRow, repeatedRequestsSql } from './request-repeats-sql.js';
import { rollupDeltas } from './rollup-deltas.js';
import { planSpendQuery, runSpendQuery, type SpendReader } from './run-spend-query.js';
import { spanFromRow } from './span-from-row.js';
import type { SpendSource } from './spend-plan.js';
import { partialSpendFromRow, spendSql } from './spend-sql.js';
import type { StoreCapabilities } from './store.js';

/** How to reach PostgreSQL. */
export type PostgresStoreOptions = {
  /** `postgres://user:password@host:port/database` (node-postgres syntax). */
  readonly connectionString: string;
  /** The schema for frugal's tables, created if missing (lowercase letters, digits, _); default: `public`. */
  readonly schema?: string | undefined;
  /** How long to wait for a connection (default 10,000 ms). */
  readonly connectTimeoutMs?: number | undefined;
  /** Pool size (default 10). */
  readonly maxConnections?: number | undefined;
};

/**
 * Errors after which a transaction is tried again: a deadlock, a serialization failure, and a unique violation
 * (some of the spans copied were stored already; the retry leaves them out).
 */
const retryableCodes = new Set(['40P01', '40001', '23505']);

/**
 * The shared store for teams and gateway replicas (node-postgres Pool). Inserts are one transaction each, sent
 * with COPY (much cheaper than INSERT for PostgreSQL). COPY cannot skip rows, so a batch holding spans already
 * stored (a replay, or a replica racing to store the same spans) fails on the primary key and is tried again
 * without them. Only new spans are added to the rollups, in key order so that concurrent writers do not
 * deadlock.
 */
export class PostgresStore implements InspectableStore {
  readonly capabilities: StoreCapabilities = { shared: true };
  readonly location: string;
  readonly #pool: pg.Pool;
  readonly #reader: SpendReader;

  constructor(pool: pg.Pool, location: string) {
    this.#pool = pool;
    this.location = location;
    this.#reader = {
      ranksBeforeReading: false,
      startTimeRange: async () => {
        const { rows } = await pool.query(
          "SELECT min(start_time) AS first, max(start_time) AS last FROM spans WHERE kind <> 'step'",
        );
        const row = rows[0] as { first: string | null; last: string | null };
        return row.first === null || row.last === null
          ? undefined
          : { first: Number(row.first), last: Number(row.last) };
      },
      aggregate: async (piece, shape) => {
        const { text, values } = spendSql(piece, shape, postgresDialect);
        const { rows } = await pool.query(text, values);
        return rows.map((row) => partialSpendFromRow(row, shape.groupBy.length));
      },
    };
  }

  async insertSpans(spans: readonly Span[]): Promise<number> {
    return this.#guard(async () => {
      const byKey = new Map<string, Span>();
      for (const span of spans) {
        const key = storedSpanKey(span);
        if (!byKey.has(key)) byKey.set(key, span);
      }
      if (byKey.size === 0) return 0;
      // In key order: writers racing on the same new spans wait for each other in one order, never in a cycle.
      const firsts = [...byKey.keys()].sort().map((key) => byKey.get(key)!);
      return this.#transaction(async (client, attempt) => {
        // First try: copy them all (a stored span fails the COPY on the unique index); after a failure, copy
        // only those not stored (a replay, or a replica that stored some first).
        const stored = attempt === 1 ? new Set<string>() : await storedSpanKeys(client, firsts);
        const fresh = stored.size === 0 ? firsts : firsts.filter((span) => !stored.has(storedSpanKey(span)));
        if (fresh.length === 0) return 0;
        const { hourly, daily } = await copySpansInChunks(client, fresh, () => rollupDeltas(fresh));
        if (hourly.length > 0) await client.query(upsertHourSql, [rollupJson(hourly)]);
        if (daily.length > 0) await client.query(upsertDaySql, [rollupJson(daily)]);
        return fresh.length;
      });
    });
  }

  async getSpan(traceId: string, id: string): Promise<Span | undefined> {
    return this.#guard(async () => {
      const { rows } = await this.#pool.query(selectSpanSql, [traceId, id]);
      return rows[0] === undefined ? undefined : spanFromRow(rows[0]);
    });
  }

  async getTrace(traceId: string): Promise<Span[]> {
    return this.#guard(async () => {
      const { rows } = await this.#pool.query(selectTraceSql, [traceId]);
      return orderTrace(rows.map(spanFromRow));
    });
  }

  async querySpend(query: SpendQuery): Promise<SpendRow[]> {
    return this.#guard(() => runSpendQuery(this.#reader, query));
  }

  async gatewaySavings(query: SavingsQuery): Promise<GatewaySavings> {
    return this.#guard(async () => {
      const { cacheHits, routed } = gatewaySavingsSql(query, postgresDialect);
      const [hits, routes] = await Promise.all([
        this.#pool.query(cacheHits.text, cacheHits.values),
        this.#pool.query(routed.text, routed.values),
      ]);
      return gatewaySavingsFromRows(hits.rows, routes.rows);
    });
  }

  async repeatedRequests(query: RepeatQuery): Promise<RepeatedRequest[]> {
    return this.#guard(async () => {
      const { text, values } = repeatedRequestsSql(query, postgresDialect);
      return (await this.#pool.query(text, values)).rows.map(repeatedRequestFromRow);
    });
  }

  async putBudget(budget: Budget): Promise<void> {
    await this.#guard(() => this.#pool.query(putBudgetSql(['$1', '$2', 'now()']), budgetValues(budget)));
  }

  async deleteBudget(id: string): Promise<boolean> {
    return this.#guard(
      async () => (await this.#pool.query('DELETE FROM budgets WHERE id = $1', [id])).rowCount === 1,
    );
  }

  async listBudgets(): Promise<Budget[]> {
    return this.#guard(async () => {
      const { rows } = await this.#pool.query('SELECT id, definition FROM budgets ORDER BY id COLLATE "C"');
      return rows.map((row) => budgetFromRow(row, this.location));
    });
  }

  async recordAlert(alert: Alert): Promise<boolean> {
    return this.#guard(async () => {
      const values = alertValues(alert);
      return (await this.#pool.query(recordAlertSql(postgresDialect), values)).rowCount === 1;
    });
  }

  async listAlerts(query: AlertQuery = {}): Promise<Alert[]> {
    return this.#guard(async () => {
      const { text, values } = listAlertsSql(query, postgresDialect);
      return (await this.#pool.query(text, values)).rows.map((row) => alertFromRow(row, this.location));
    });
  }

  async putRun(run: EvalRunRecord): Promise<void> {
    await this.#guard(() => this.#pool.query(putRunSql(postgresDialect), runValues(run)));
  }

  async getRun(id: string): Promise<EvalRunRecord | undefined> {
    return this.#guard(async () => {
      const { rows } = await this.#pool.query(selectRunSql(postgresDialect), [id]);
      return rows[0] === undefined ? undefined : runFromRow(rows[0], this.location);
    });
  }

  async listRuns(query: RunQuery = {}): Promise<EvalRunRecord[]> {
    return this.#guard(async () => {
      const { text, values } = listRunsSql(query, postgresDialect);
      return (await this.#pool.query(text, values)).rows.map((row) => runFromRow(row, this.location));
    });
  }

  async putResults(results: readonly EvalResultRecord[]): Promise<void> {
    await this.#guard(async () => {
      const rows = latestByKey(results.map(resultValues));
      if (rows.length === 0) return;
      // Several rows per statement, within PostgreSQL's 65,535 parameters.
      const perStatement = Math.floor(65_535 / resultColumns.length);
      await this.#transaction(async (client) => {
        for (let start = 0; start < rows.length; start += perStatement) {
          const chunk = rows.slice(start, start + perStatement);
          await client.query(upsertResultsSql(postgresDialect, chunk.length), chunk.flat());
        }
      });
    });
  }

  async listResults(runId: string): Promise<EvalResultRecord[]> {
    return this.#guard(async () => {
      const { rows } = await this.#pool.query(listResultsSql(postgresDialect), [runId]);
      return rows.map((row) => resultFromRow(row, this.location));
    });
  }

  async putVirtualKey(key: VirtualKeyRecord): Promise<void> {
    await this.#guard(() => this.#pool.query(putKeySql(postgresDialect), keyValues(key)));
  }

  async getVirtualKey(id: string): Promise<VirtualKeyRecord | undefined> {
    return this.#guard(() => this.#keyBy('id', id));
  }

  async findVirtualKeyByHash(hash: string): Promise<VirtualKeyRecord | undefined> {
    return this.#guard(() => this.#keyBy('hash', hash));
  }

  async listVirtualKeys(): Promise<VirtualKeyRecord[]> {
    return this.#guard(async () => {
      const { rows } = await this.#pool.query(listKeysSql(postgresDialect));
      return rows.map((row) => keyFromRow(row, this.location));
    });
  }

  async revokeVirtualKey(id: string, at: number): Promise<boolean> {
    return this.#guard(
      async () =>
        (await this.#pool.query(revokeKeySql(postgresDialect), revokeKeyValues(id, at))).rowCount === 1,
    );
  }

  async #keyBy(column: 'id' | 'hash', value: string): Promise<VirtualKeyRecord | undefined> {
    const { rows } = await this.#pool.query(selectKeySql(postgresDialect, column), [value]);
    return rows[0] === undefined ? undefined : keyFromRow(rows[0], this.location);
  }

  async querySpendFromSpans(query: SpendQuery): Promise<SpendRow[]> {
    return this.#guard(() => runSpendQuery(this.#reader, query, 'spans'));
  }

  async spendSources(query: SpendQuery): Promise<SpendSource[]> {
    return this.#guard(async () => {
      const plan = await planSpendQuery(this.#reader, query);
      return plan === undefined ? [] : plan.pieces.map((piece) => piece.source);
    });
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }

  async #transaction<T>(work: (client: pg.PoolClient, attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client, attempt);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = String((error as { code?: unknown }).code ?? '');
        if (!(retryableCodes.has(code) && attempt < 5)) throw error;
      } finally {
        client.release();
      }
    }
  }

  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof FrugalError) throw error;
      throw new StoreError(this.location, describePostgresError(error, this.location), { cause: error });
    }
  }
}

/**
 * Connects to PostgreSQL and applies migrations (one transaction, serialised between replicas by an advisory
 * lock). Unreachable servers, refused logins and newer schemas are StoreErrors naming host:port/database.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const location = `${describePostgresLocation(options.connectionString)}${options.schema ? ` (schema ${options.schema})` : ''}`;
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new StoreError(location, `schema name '${schema}' must be lowercase letters, digits and _`);
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    max: options.maxConnections ?? 10,
    // Idle pooled connections must not keep a CLI or a traced script alive.
    allowExitOnIdle: true,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle connection dropped by the server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool, schema, location);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof FrugalError) throw error;
    throw new StoreError(location, describePostgresError(error, location), { cause: error });
  }
  return new PostgresStore(pool, location);
}
