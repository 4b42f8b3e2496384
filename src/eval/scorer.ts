import type { Usage } from '../core/usage.js';
import type { EvalRow } from './eval-row.js';

/** What a candidate produced for one row: the answer and what it cost to get it. */
export type Prediction = {
  readonly text: string;
  readonly usage?: Usage | undefined;
  /** Exact cost in pico-dollars; undefined when unpriced. */
  readonly cost?: bigint | undefined;
  /** Fresh latency in ms; undefined for a response served from the run cache (never reported as fresh). */
  readonly latencyMs?: number | undefined;
  readonly cached?: boolean | undefined;
  readonly simulated?: boolean | undefined;
};

/** `pass-fail` scores are booleans (mean = pass rate, Wilson CI); `numeric` ones are numbers (bootstrap CI). */
export const scoreKinds = ['pass-fail', 'numeric'] as const;
export type ScoreKind = (typeof scoreKinds)[number];

/** One scorer's verdict on one row. */
export type Score = {
  /** `true`/`false` for pass-fail scorers, a number for numeric ones; undefined only with `error`. */
  readonly value: boolean | number | undefined;
  readonly rationale?: string | undefined;
  /** Structured detail, e.g. Correctness's per-fact verdicts `[{ fact, supported, rationale }]`. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /**
   * Why no verdict could be reached (malformed judge reply after retries, judge timeout): an error is
   * counted and shown, never scored as 0.
   */
  readonly error?: string | undefined;
  /** Judge calls only: what the verdict cost, reported apart from the candidate's cost. */
  readonly judgeUsage?: Usage | undefined;
  readonly judgeCost?: bigint | undefined;
};

export type ScoreInput = {
  readonly row: EvalRow;
  readonly prediction: Prediction;
  readonly signal?: AbortSignal | undefined;
};

export interface Scorer {
  /** Metric name prefix: `correctness` gives `correctness/value` per row and `correctness/mean` overall. */
  readonly name: string;
  readonly kind: ScoreKind;
  /** True when it calls an LLM (its calls are judge calls, traced and costed apart). */
  readonly usesJudge: boolean;
  score(input: ScoreInput): Promise<Score>;
}
