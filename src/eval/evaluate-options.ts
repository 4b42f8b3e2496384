import type { CallAdmission } from '../core/budgets/admission.js';
import type { EvalRecorder, EvalResultRecord, RunStatus } from '../core/evals/eval-records.js';
import type { Picodollars } from '../core/money.js';
import type { PriceBook } from '../core/prices/price-book.js';
import type { Usage } from '../core/usage.js';
import type { SpanSink } from '../tracing/span-sink.js';
import type { Candidate, PredictFunction } from './candidate.js';
import type { EvalRow } from './eval-row.js';
import type { RateController } from './rate-controller.js';
import type { ResponseCache } from './response-cache.js';
import type { Scorer } from './scorer.js';

/** Where a run is, after each row: for progress bars. */
export type RunProgress = {
  readonly done: number;
  readonly total: number;
  readonly errors: number;
  /** Candidate and judge spend so far (exact, priced calls only). */
  readonly spent: Picodollars;
  readonly elapsedMs: number;
  /** Estimated time to finish, from the pace so far; undefined before the first row. */
  readonly etaMs: number | undefined;
};

export type EvaluateOptions = {
  readonly data: readonly EvalRow[];
  /** The dataset's name (its file), stored with the run. */
  readonly datasetName?: string | undefined;
  /** Exactly one of `candidate` and `predict`. */
  readonly candidate?: Candidate | undefined;
  readonly predict?: PredictFunction | undefined;
  /** The candidate's name (default: the candidate's, or `predict`). */
  readonly name?: string | undefined;
  readonly scorers: readonly Scorer[];
  readonly experiment?: string | undefined;
  /** The run's id (default: a new one). With `resume`, the run to continue. */
  readonly runId?: string | undefined;
  /** Continue the stored run `runId`: rows with a recorded answer are kept, the rest are run. */
  readonly resume?: boolean | undefined;
  /** Each row is answered and scored this many times (default 1), to measure answer and judge variance. */
  readonly repeats?: number | undefined;
  /** Most rows in flight (default 4); adapts down on rate limits unless `rateController` is given. */
  readonly concurrency?: number | undefined;
  /** Shared between the runs that call the same provider, so they pace and back off together. */
  readonly rateController?: RateController | undefined;
  /** Times a row is retried after a rate limit (default 5); other errors are recorded at once. */
  readonly maxRateLimitRetries?: number | undefined;
  /** Hard cap on the run's spend, candidate and judge calls together: the run stops cleanly before it. */
  readonly budget?: Picodollars | undefined;
  /** Further budgets the calls must pass (control's budget guard). */
  readonly admission?: CallAdmission | undefined;
  readonly recorder?: EvalRecorder | undefined;
  /** Where the run's spans go besides the evaluation (the store's batched writer, an OTLP exporter). */
  readonly sink?: SpanSink | undefined;
  readonly priceBook?: PriceBook | undefined;
  readonly cache?: ResponseCache | undefined;
  /** Settings stored with the run (the eval config's candidate and run sections). */
  readonly config?: Readonly<Record<string, unknown>> | undefined;
  readonly onProgress?: ((progress: RunProgress) => void) | undefined;
  /** Stops the run cleanly: no new rows start, rows in flight are aborted, what is done is kept. */
  readonly signal?: AbortSignal | undefined;
  readonly now?: (() => number) | undefined;
};

/** MLflow's EvaluationResult, with frugal's spend and status beside it. */
export type EvaluationResult = {
  readonly runId: string;
  readonly experiment: string;
  readonly candidate: string;
  readonly status: RunStatus;
  readonly stopReason?: string | undefined;
  /** `correctness/mean`, `correctness/ci_low`, ..., by scorer. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly rows: readonly EvalResultRecord[];
  readonly usage: Usage | undefined;
  /** Candidate cost, exact; undefined when a call was unpriced. */
  readonly cost: Picodollars | undefined;
  readonly judgeCost: Picodollars | undefined;
  readonly simulated: boolean;
};
