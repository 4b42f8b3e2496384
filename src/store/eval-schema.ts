import type { Migration } from './migration.js';

/** An engine's column types for the evaluation tables. */
export type EvalColumnTypes = {
  /** Ids and keys (compared as bytes). */
  readonly key: string;
  readonly text: string;
  readonly integer: string;
  readonly real: string;
  readonly flag: string;
  /** JSON documents, written and read as text by frugal (never queried inside). */
  readonly json: string;
};

/**
 * Migration 3 of both engines (frozen once released): evaluation runs and their per-row results. Money is the
 * span path's `_micros` + `_picos` integer pair, NULL when unknown; records are JSON text written by
 * `exactJson`, so they read back exactly (PostgreSQL's jsonb would reorder keys, refuse `\u0000` in strings and
 * rewrite numbers, and nothing queries inside them).
 */
export function evalTablesMigration(types: EvalColumnTypes): Migration {
  const { key, text, integer, real, flag, json } = types;
  return {
    version: 3,
    description: 'evaluation runs and per-row results',
    statements: [
      `CREATE TABLE eval_runs (
        id ${key} NOT NULL PRIMARY KEY,
        experiment ${text} NOT NULL,
        candidate ${text} NOT NULL,
        model ${text},
        simulated ${flag} NOT NULL,
        status ${text} NOT NULL,
        started_at ${integer} NOT NULL,
        ended_at ${integer},
        stop_reason ${text},
        dataset_name ${text} NOT NULL,
        dataset_hash ${text} NOT NULL,
        dataset_rows ${integer} NOT NULL,
        config ${json} NOT NULL,
        metrics ${json} NOT NULL
      )`,
      'CREATE INDEX eval_runs_by_experiment ON eval_runs (experiment, started_at)',
      'CREATE INDEX eval_runs_by_start ON eval_runs (started_at)',
      `CREATE TABLE eval_results (
        run_id ${key} NOT NULL,
        row_id ${key} NOT NULL,
        repeat_number ${integer} NOT NULL,
        row_index ${integer} NOT NULL,
        inputs ${json} NOT NULL,
        expectations ${json} NOT NULL,
        output ${text},
        error ${text},
        scores ${json} NOT NULL,
        trace_id ${text},
        usage ${json},
        cost_micros ${integer},
        cost_picos ${integer},
        judge_usage ${json},
        judge_cost_micros ${integer},
        judge_cost_picos ${integer},
        latency_ms ${real},
        cached ${flag} NOT NULL,
        simulated ${flag} NOT NULL,
        recorded_at ${integer} NOT NULL,
        PRIMARY KEY (run_id, row_id, repeat_number)
      )`,
    ],
  };
}
