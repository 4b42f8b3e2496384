/**
 * One dataset row in MLflow's shape: `inputs` (what the candidate is asked; `question` by convention) and
 * `expectations` (what a good answer contains). Unknown expectation keys are kept for custom scorers.
 */
export type Expectations = {
  readonly expected_facts?: readonly string[] | undefined;
  readonly expected_response?: string | undefined;
  /** Per-row rubric lines for the Guidelines judge, added to the scorer's own. */
  readonly guidelines?: readonly string[] | undefined;
  readonly [key: string]: unknown;
};

export type EvalRow = {
  /** Stable id: the row's own `id` field when given, else `row-<n>` from its 1-based position. */
  readonly id: string;
  /** 0-based position in the dataset. */
  readonly index: number;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly expectations: Expectations;
  readonly tags?: Readonly<Record<string, string>> | undefined;
};
