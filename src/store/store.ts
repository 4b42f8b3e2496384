import type { Alert, AlertQuery } from '../core/alerts/alert.js';
import type { Budget } from '../core/budgets/budget.js';
import type { EvalResultRecord, EvalRunRecord, RunQuery } from '../core/evals/eval-records.js';
import type { VirtualKeyRecord } from '../core/keys/virtual-key.js';
import type { GatewaySavings, SavingsQuery } from '../core/spans/gateway-savings.js';
import type { RepeatedRequest, RepeatQuery } from '../core/spans/request-repeats.js';
import type { Span } from '../core/spans/span.js';
import type { SpendQuery, SpendRow } from '../core/spans/spend-query.js';

/** What a store can do beyond the contract; callers branch on these, never on the engine's name. */
export type StoreCapabilities = {
  /** Several processes (gateway replicas) may share this store safely. */
  readonly shared: boolean;
};

/**
 * Where spans, budgets, alerts, evaluation runs and the gateway's virtual keys live: SQLite (embedded default)
 * and PostgreSQL implement this one contract, checked by one test suite run against both. Money is summed
 * exactly (bigint pico-dollars), never in floating point.
 */
export interface Store {
  readonly capabilities: StoreCapabilities;
  /**
   * Inserts spans in one transaction. Idempotent: a span already stored is skipped and counted nowhere twice
   * (so a journal can be replayed after a crash). A span is known by its trace id and span id, as in
   * OpenTelemetry (the same span id in two traces is two spans), and by the UTC day of its start time, which
   * a replay shares: the stores key spans by day, so that inserts touch only the day they fall in. Returns how
   * many were new.
   */
  insertSpans(spans: readonly Span[]): Promise<number>;
  /** The span with this trace id and span id. */
  getSpan(traceId: string, spanId: string): Promise<Span | undefined>;
  /** Every span of a trace, parents before children (by start time). */
  getTrace(traceId: string): Promise<Span[]>;
  /**
   * Spend grouped, bucketed and filtered; rows sorted by cost descending (then group, then bucket). Counts LLM
   * and embedding spans (step spans are structure, not calls). Grouping by `tag` counts a span once under each
   * of its distinct tags, so tag totals may exceed the overall total; a span without tags is the null group. A
   * tag filter keeps spans with any of its tags, or, when also grouping by tag, only the rows of those tags.
   * Token sums count unknown usage as 0; `tokens.cacheWrite` includes 1-hour cache writes.
   */
  querySpend(query: SpendQuery): Promise<SpendRow[]>;
  /**
   * What the gateway's cache and router did over [from, to), for calls passing the spend filters: cache hits
   * (`frugal.cache.status` hit or semantic-hit) per status with the exact sum of their `frugal.cache.saved_usd`,
   * and requests a routing policy redirected (`frugal.route.requested_model`) per asked and answering model with
   * their exact spend. Read through partial indexes, never by loading spans.
   */
  gatewaySavings(query: SavingsQuery): Promise<GatewaySavings>;
  /** LLM and embedding spans sharing a `requestHash` at least `minCalls` times in the range, most calls first. */
  repeatedRequests(query: RepeatQuery): Promise<RepeatedRequest[]>;
  /** Creates or replaces the budget with this id. */
  putBudget(budget: Budget): Promise<void>;
  /** Removes a budget; false when there was none with this id. */
  deleteBudget(id: string): Promise<boolean>;
  /** Every stored budget, by id. */
  listBudgets(): Promise<Budget[]>;
  /**
   * Records an alert unless one with its id is already recorded (atomically, so that two processes racing to
   * raise the same alert record it once). True when it was new: only then is it delivered.
   */
  recordAlert(alert: Alert): Promise<boolean>;
  /** Recorded alerts, newest first. */
  listAlerts(query?: AlertQuery): Promise<Alert[]>;
  /** Creates or replaces the evaluation run with this id (its status, end and metrics change as it runs). */
  putRun(run: EvalRunRecord): Promise<void>;
  getRun(id: string): Promise<EvalRunRecord | undefined>;
  /** Evaluation runs, newest (`startedAt`) first, then by id. */
  listRuns(query?: RunQuery): Promise<EvalRunRecord[]>;
  /**
   * Stores results in one transaction, each replacing any stored for its (run, row, repeat): a resumed run
   * overwrites a failed row's result. Within one call the last of several results for one key wins.
   */
  putResults(results: readonly EvalResultRecord[]): Promise<void>;
  /** A run's results by row position (`rowIndex`), then repeat. */
  listResults(runId: string): Promise<EvalResultRecord[]>;
  /**
   * Creates or replaces the virtual key with this id. Hashes are unique: a key whose hash another id holds is
   * refused (StoreError) and nothing changes.
   */
  putVirtualKey(key: VirtualKeyRecord): Promise<void>;
  getVirtualKey(id: string): Promise<VirtualKeyRecord | undefined>;
  /** The key whose secret has this SHA-256 (hex), revoked and expired keys included: callers decide. */
  findVirtualKeyByHash(hash: string): Promise<VirtualKeyRecord | undefined>;
  /** Every virtual key, revoked and expired ones included, oldest (`createdAt`) first, then by id. */
  listVirtualKeys(): Promise<VirtualKeyRecord[]>;
  /**
   * Marks a key revoked at `at` (epoch ms), atomically: false when there is no such key or it was revoked
   * already (its first revocation time stays).
   */
  revokeVirtualKey(id: string, at: number): Promise<boolean>;
  close(): Promise<void>;
}
