import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
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
import type { PartialSpend } from './combine-spend.js';
import {
  latestByKey,
  listResultsSql,
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
import { repeatedRequestFromRow, repeatedRequestsSql } from './request-repeats-sql.js';
import { rollupDeltas, rollupValues } from './rollup-deltas.js';
import { planSpendQuery, runSpendQuery, type SpendReader } from './run-spend-query.js';
import { savingsDeltas, savingsRollupPlan, savingsUpsertSql } from './savings-rollup.js';
import { type SpanColumnValue, spanColumns, spanToValues } from './span-columns.js';
import { spanFromRow } from './span-from-row.js';
import { checkSpendQuery, type SpendSource } from './spend-plan.js';
import { partialSpendFromRow, spendSql } from './spend-sql.js';
import { migrateSqlite } from './sqlite-migrate.js';
import {
  describeSqliteError,
  rollupUpsertSql,
  selectSpanSql,
  selectTraceSql,
  sqliteDialect,
} from './sqlite-statements.js';
import type { StoreCapabilities } from './store.js';

/** Where and how to open a SQLite store. */
export type SqliteStoreOptions = {
  /** A file path (missing directories are created) or `:memory:`. */
  readonly path: string;
  /** How long to wait for another connection's write lock before failing (default 5,000 ms). */
  readonly busyTimeoutMs?: number | undefined;
  /** Most page cache this connection keeps, in KiB (default 65,536: 64 MiB, allocated as used). */
  readonly cacheKib?: number | undefined;
};

type Statement = Database.Statement<unknown[], Record<string, unknown>>;

/**
 * The embedded default store: one SQLite file in WAL mode (better-sqlite3), zero set-up. Inserts and their
 * rollup updates share one transaction; spend questions read the rollups where they are exact.
 */
export class SqliteStore implements InspectableStore {
  readonly capabilities: StoreCapabilities = { shared: false };
  readonly location: string;
  readonly #database: Database.Database;
  readonly #busyTimeoutMs: number;
  readonly #statements = new Map<string, Statement>();
  readonly #insertBatch: Database.Transaction<(spans: readonly Span[], rows: SpanColumnValue[][]) => number>;
  readonly #reader: SpendReader;
  readonly #rankings = new Map<string, PartialSpend[]>();
  #rankingsVersion: number | undefined;

  constructor(database: Database.Database, location: string, busyTimeoutMs: number) {
    this.#database = database;
    this.location = location;
    this.#busyTimeoutMs = busyTimeoutMs;
    const insertSpan = this.#statement(
      `INSERT INTO spans (${spanColumns.join(', ')}) VALUES (${spanColumns.map(() => '?').join(', ')}) ` +
        'ON CONFLICT DO NOTHING',
    );
    const upsertHour = this.#statement(rollupUpsertSql('spend_by_hour', 'hour'));
    const upsertDay = this.#statement(rollupUpsertSql('spend_by_day', 'day'));
    const upsertSavings = this.#statement(savingsUpsertSql);
    this.#insertBatch = database.transaction((spans: readonly Span[], rows: SpanColumnValue[][]) => {
      const fresh: Span[] = [];
      for (let index = 0; index < spans.length; index++) {
        if (insertSpan.run(...rows[index]!).changes === 1) fresh.push(spans[index]!);
      }
      const { hourly, daily } = rollupDeltas(fresh);
      for (const delta of hourly) {
        upsertHour.run(delta.dimension, delta.time, delta.hasValue, delta.value, ...rollupValues(delta));
      }
      for (const delta of daily) {
        upsertDay.run(delta.dimension, delta.time, delta.hasValue, delta.value, ...rollupValues(delta));
      }
      for (const row of savingsDeltas(fresh)) upsertSavings.run(...row);
      return fresh.length;
    });
    this.#reader = {
      ranksBeforeReading: true,
      startTimeRange: async () => {
        const row = this.#statement(
          "SELECT (SELECT min(start_time) FROM spans WHERE kind <> 'step') AS first, " +
            "(SELECT max(start_time) FROM spans WHERE kind <> 'step') AS last",
        ).get() as { first: number | null; last: number | null };
        return row.first === null || row.last === null ? undefined : { first: row.first, last: row.last };
      },
      aggregate: async (piece, shape) => {
        const { text, values } = spendSql(piece, shape, sqliteDialect);
        const read = () =>
          this.#statement(text, true)
            .all(...values)
            .map((row) => partialSpendFromRow(row, shape.groupBy.length));
        return shape.costOnly ? this.#ranking(`${text}\n${JSON.stringify(values)}`, read) : read();
      },
    };
  }

  /**
   * A ranking's partial sums, kept until the database changes: a dashboard page ranks the same groups twice (for
   * its chart and its table), and at a million spans one ranking of 2,000 users over 90 days takes ~60 ms.
   * `data_version` moves when another connection commits; this connection's own span inserts clear them.
   */
  #ranking(key: string, read: () => PartialSpend[]): PartialSpend[] {
    const version = this.#database.pragma('data_version', { simple: true }) as number;
    if (version !== this.#rankingsVersion || this.#rankings.size >= 64) {
      this.#rankings.clear();
      this.#rankingsVersion = version;
    }
    let partials = this.#rankings.get(key);
    if (partials === undefined) {
      partials = read();
      this.#rankings.set(key, partials);
    }
    return partials;
  }

  async insertSpans(spans: readonly Span[]): Promise<number> {
    return this.#guard(() => {
      if (spans.length === 0) return 0;
      const rows = spans.map(spanToValues);
      this.#rankings.clear();
      return this.#insertBatch.immediate(spans, rows);
    });
  }

  async getSpan(traceId: string, id: string): Promise<Span | undefined> {
    return this.#guard(() => {
      const row = this.#statement(selectSpanSql, true).get({ traceId, id });
      return row === undefined ? undefined : spanFromRow(row);
    });
  }

  async getTrace(traceId: string): Promise<Span[]> {
    return this.#guard(() =>
      orderTrace(this.#statement(selectTraceSql, true).all({ traceId }).map(spanFromRow)),
    );
  }

  async gatewaySavings(query: SavingsQuery): Promise<GatewaySavings> {
    return this.#guard(() => {
      checkSpendQuery(query);
      // Whole days from the savings rollup (migration 8) where it can answer, the rest from the spans.
      const rollup = savingsRollupPlan(query);
      const pieces = rollup === undefined ? [gatewaySavingsSql(query, sqliteDialect)] : [rollup];
      for (const edge of rollup?.edges ?? []) pieces.push(gatewaySavingsSql(edge, sqliteDialect));
      const read = (sql: { text: string; values: unknown[] }) =>
        this.#statement(sql.text, true).all(...sql.values);
      return gatewaySavingsFromRows(
        pieces.flatMap((piece) => read(piece.cacheHits)),
        pieces.flatMap((piece) => read(piece.routed)),
      );
    });
  }

  async repeatedRequests(query: RepeatQuery): Promise<RepeatedRequest[]> {
    return this.#guard(() => {
      const { text, values } = repeatedRequestsSql(query, sqliteDialect);
      return this.#statement(text, true)
        .all(...values)
        .map(repeatedRequestFromRow);
    });
  }

  async putBudget(budget: Budget): Promise<void> {
    this.#guard(() =>
      this.#statement(putBudgetSql(['?', '?', '?'])).run(...budgetValues(budget), Date.now()),
    );
  }

  async deleteBudget(id: string): Promise<boolean> {
    return this.#guard(() => this.#statement('DELETE FROM budgets WHERE id = ?').run(id).changes === 1);
  }

  async listBudgets(): Promise<Budget[]> {
    return this.#guard(() =>
      this.#statement('SELECT id, definition FROM budgets ORDER BY id')
        .all()
        .map((row) => budgetFromRow(row, this.location)),
    );
  }

  async recordAlert(alert: Alert): Promise<boolean> {
    return this.#guard(
      () => this.#statement(recordAlertSql(sqliteDialect)).run(...alertValues(alert)).changes === 1,
    );
  }

  async listAlerts(query: AlertQuery = {}): Promise<Alert[]> {
    return this.#guard(() => {
      const { text, values } = listAlertsSql(query, sqliteDialect);
      return this.#statement(text)
        .all(...values)
        .map((row) => alertFromRow(row, this.location));
    });
  }

  async putRun(run: EvalRunRecord): Promise<void> {
    this.#guard(() => this.#statement(putRunSql(sqliteDialect)).run(...runValues(run)));
  }

  async getRun(id: string): Promise<EvalRunRecord | undefined> {
    return this.#guard(() => {
      const row = this.#statement(selectRunSql(sqliteDialect)).get(id);
      return row === undefined ? undefined : runFromRow(row, this.location);
    });
  }

  async listRuns(query: RunQuery = {}): Promise<EvalRunRecord[]> {
    return this.#guard(() => {
      const { text, values } = listRunsSql(query, sqliteDialect);
      return this.#statement(text)
        .all(...values)
        .map((row) => runFromRow(row, this.location));
    });
  }

  async putResults(results: readonly EvalResultRecord[]): Promise<void> {
    this.#guard(() => {
      const rows = latestByKey(results.map(resultValues));
      const upsert = this.#statement(upsertResultsSql(sqliteDialect, 1));
      this.#database
        .transaction(() => {
          for (const row of rows) upsert.run(...row);
        })
        .immediate();
    });
  }

  async listResults(runId: string): Promise<EvalResultRecord[]> {
    return this.#guard(() =>
      this.#statement(listResultsSql(sqliteDialect), true)
        .all(runId)
        .map((row) => resultFromRow(row, this.location)),
    );
  }

  async putVirtualKey(key: VirtualKeyRecord): Promise<void> {
    this.#guard(() => this.#statement(putKeySql(sqliteDialect)).run(...keyValues(key)));
  }

  async getVirtualKey(id: string): Promise<VirtualKeyRecord | undefined> {
    return this.#guard(() => this.#keyBy('id', id));
  }

  async findVirtualKeyByHash(hash: string): Promise<VirtualKeyRecord | undefined> {
    return this.#guard(() => this.#keyBy('hash', hash));
  }

  async listVirtualKeys(): Promise<VirtualKeyRecord[]> {
    return this.#guard(() =>
      this.#statement(listKeysSql(sqliteDialect))
        .all()
        .map((row) => keyFromRow(row, this.location)),
    );
  }

  async revokeVirtualKey(id: string, at: number): Promise<boolean> {
    return this.#guard(
      () => this.#statement(revokeKeySql(sqliteDialect)).run(...revokeKeyValues(id, at)).changes === 1,
    );
  }

  #keyBy(column: 'id' | 'hash', value: string): VirtualKeyRecord | undefined {
    const row = this.#statement(selectKeySql(sqliteDialect, column)).get(value);
    return row === undefined ? undefined : keyFromRow(row, this.location);
  }

  async querySpend(query: SpendQuery): Promise<SpendRow[]> {
    return this.#guardAsync(() => runSpendQuery(this.#reader, query));
  }

  async querySpendFromSpans(query: SpendQuery): Promise<SpendRow[]> {
    return this.#guardAsync(() => runSpendQuery(this.#reader, query, 'spans'));
  }

  async spendSources(query: SpendQuery): Promise<SpendSource[]> {
    return this.#guardAsync(async () => {
      const plan = await planSpendQuery(this.#reader, query);
      return plan === undefined ? [] : plan.pieces.map((piece) => piece.source);
    });
  }

  async close(): Promise<void> {
    if (!this.#database.open) return;
    this.#guard(() => {
      try {
        // Lets SQLite refresh the planner statistics it found missing while this connection ran (cheap).
        this.#database.pragma('optimize');
      } finally {
        this.#database.close();
      }
    });
  }

  #statement(text: string, safeIntegers = false): Statement {
    const key = `${safeIntegers}:${text}`;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      statement = this.#database.prepare<unknown[], Record<string, unknown>>(text).safeIntegers(safeIntegers);
      if (this.#statements.size > 500) this.#statements.clear();
      this.#statements.set(key, statement);
    }
    return statement;
  }

  #fail(error: unknown): Error {
    if (error instanceof FrugalError) return error;
    return new StoreError(this.location, describeSqliteError(error, this.#busyTimeoutMs), { cause: error });
  }

  #guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw this.#fail(error);
    }
  }

  async #guardAsync<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.#fail(error);
    }
  }
}

/**
 * Opens (creating if needed) a SQLite store: WAL mode, migrations applied in one transaction. A corrupt or
 * non-database file, a lock held too long by another process, or a newer schema is a StoreError naming the file.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const location = options.path === ':memory:' ? ':memory:' : resolve(options.path);
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  let database: Database.Database | undefined;
  try {
    if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
    database = new Database(location, { timeout: busyTimeoutMs });
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    // Up to 64 MiB of page cache (allocated as used) for the queries; the insert worker asks for less.
    database.pragma(`cache_size = -${Math.max(256, Math.floor(options.cacheKib ?? 65_536))}`);
    // A checkpoint copies the WAL's pages into the database and syncs both files. Each batch of spans changes
    // pages all over the id index, so checkpointing after every batch (the default: past 4 MiB of WAL) copies
    // the same pages again and again; past 64 MiB, a page changed by several batches is copied once. After a
    // checkpoint the WAL file is cut back to 64 MiB.
    database.pragma('wal_autocheckpoint = 16384');
    database.pragma('journal_size_limit = 67108864');
    migrateSqlite(database, location);
    return new SqliteStore(database, location, busyTimeoutMs);
  } catch (error) {
    database?.close();
    if (error instanceof FrugalError) throw error;
    throw new StoreError(location, describeSqliteError(error, busyTimeoutMs), { cause: error });
  }
}
