import type { Picodollars } from '../../core/money.js';

/** One scorer's summary for a candidate: mean and 95% interval (pass rates for pass-fail scorers). */
export type ReportScore = {
  readonly kind: 'pass-fail' | 'numeric';
  readonly mean: number | undefined;
  readonly low: number | undefined;
  readonly high: number | undefined;
};

/** One candidate's line of the comparison, as the report shows it. */
export type ReportCandidate = {
  readonly name: string;
  readonly runId: string;
  readonly model?: string | undefined;
  readonly simulated: boolean;
  readonly scores: Readonly<Record<string, ReportScore>>;
  readonly tokens: { readonly input: number; readonly output: number };
  readonly cost: Picodollars | undefined;
  readonly judgeCost: Picodollars | undefined;
  readonly costPerAnswer: Picodollars | undefined;
  readonly costPerQualityPoint: Picodollars | undefined;
  readonly monthlyCost: Picodollars | undefined;
  readonly latencyP50Ms: number | undefined;
  /** On the cost × quality Pareto frontier. */
  readonly pareto: boolean;
};

/** One candidate's answer to one question. */
export type ReportAnswer = {
  readonly output?: string | undefined;
  readonly error?: string | undefined;
  readonly scores: Readonly<
    Record<
      string,
      {
        readonly value?: boolean | number | undefined;
        readonly rationale?: string | undefined;
        /** The scorer's own details: `facts` (per-fact verdicts) and `requests` (per-request) are shown. */
        readonly details?: Readonly<Record<string, unknown>> | undefined;
      }
    >
  >;
  readonly cost?: Picodollars | undefined;
  readonly traceId?: string | undefined;
};

export type ReportQuestion = {
  readonly rowId: string;
  readonly question: string;
  /** By candidate name. */
  readonly answers: Readonly<Record<string, ReportAnswer>>;
};

/**
 * An experiment as the report and the dashboard show it: the comparison (computed by the evaluation code and
 * handed over as plain data, so ui/ depends on no engine) and each question's answers.
 */
export type ExperimentReport = {
  readonly experiment: string;
  readonly primary: string;
  readonly scorers: readonly string[];
  readonly candidates: readonly ReportCandidate[];
  readonly best?: string | undefined;
  readonly cheapestNotWorse?: string | undefined;
  readonly cheapestMeetingBar?: string | undefined;
  readonly qualityBar?: number | undefined;
  readonly monthlyVolume?: number | undefined;
  /** True when any candidate or judge was simulated: every page says so. */
  readonly simulated: boolean;
  readonly questions: readonly ReportQuestion[];
  /** ISO time the report was made. */
  readonly generatedAt: string;
};
