import type { Picodollars } from '../money.js';
import type { Usage } from '../usage.js';

/**
 * An evaluation run as stored: one candidate (model configuration or predict function) over one dataset. Runs
 * that are compared together share an `experiment`. Token usage and cost are not stored here: they come from
 * the run's traced spans (attributed with `runId`), so every dollar traces back to a span and a price entry.
 */

/** `stopped`: ended early and cleanly (the run's budget cap, an interrupt); `failed`: could not continue. */
export const runStatuses = ['running', 'completed', 'stopped', 'failed'] as const;
export type RunStatus = (typeof runStatuses)[number];

export type EvalRunRecord = {
  readonly id: string;
  readonly experiment: string;
  /** The candidate's name in the experiment (`gpt-4o-mini`, `small-terse`). */
  readonly candidate: string;
  /** `provider/model` when the candidate is a model configuration. */
  readonly model?: string | undefined;
  /** True when the candidate (or any judge) is frugal's offline simulator: never shown as real results. */
  readonly simulated: boolean;
  readonly status: RunStatus;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly endedAt?: number | undefined;
  /** Why a run stopped or failed. */
  readonly stopReason?: string | undefined;
  /** Dataset name (its file) and a hash of its rows, so a resumed or compared run is known to match. */
  readonly dataset: { readonly name: string; readonly hash: string; readonly rows: number };
  /** The candidate and run settings as given (JSON-safe), for reproduction and resume. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Aggregates at the end of the run (`correctness/mean`, `correctness/ci_low`, ...). */
  readonly metrics: Readonly<Record<string, number>>;
};

/** One scorer's stored verdict on one result. */
export type StoredScore = {
  readonly value?: boolean | number | undefined;
  readonly rationale?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  readonly error?: string | undefined;
};

/** The outcome of one dataset row (one repeat of it) in a run. */
export type EvalResultRecord = {
  readonly runId: string;
  readonly rowId: string;
  /** 0-based position of the row in the dataset. */
  readonly rowIndex: number;
  /** 0-based repeat number (repeats measure answer and judge variance). */
  readonly repeat: number;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly expectations: Readonly<Record<string, unknown>>;
  /** The candidate's answer; undefined when the prediction failed (`error`). */
  readonly output?: string | undefined;
  readonly error?: string | undefined;
  /** By scorer name. */
  readonly scores: Readonly<Record<string, StoredScore>>;
  /** The row's trace: its candidate and judge calls are spans in it. */
  readonly traceId?: string | undefined;
  /** Candidate usage and exact cost summed from the row's spans; cost undefined when any call was unpriced. */
  readonly usage?: Usage | undefined;
  readonly cost?: Picodollars | undefined;
  readonly judgeUsage?: Usage | undefined;
  readonly judgeCost?: Picodollars | undefined;
  /** Fresh latency of the prediction, ms; undefined when served from the run cache. */
  readonly latencyMs?: number | undefined;
  readonly cached: boolean;
  readonly simulated: boolean;
  /** Epoch ms when the result was recorded. */
  readonly recordedAt: number;
};

export type RunQuery = {
  readonly experiment?: string | undefined;
  /** Newest first; at most this many (default: all). */
  readonly limit?: number | undefined;
};

/**
 * Where evaluation runs are recorded: the span store implements it (SQLite and PostgreSQL). A port, so the
 * evaluation engine does not depend on the store.
 */
export interface EvalRecorder {
  putRun(run: EvalRunRecord): Promise<void>;
  getRun(id: string): Promise<EvalRunRecord | undefined>;
  putResults(results: readonly EvalResultRecord[]): Promise<void>;
  listResults(runId: string): Promise<EvalResultRecord[]>;
}
