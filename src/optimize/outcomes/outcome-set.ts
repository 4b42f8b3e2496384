/**
 * Recorded outcomes: per query, the prompt and, per model, how well that model did (and what it used). The
 * common ground of routers, cascades and the replay provider: anything trained or replayed offline reads one.
 * Written as JSONL (`write-outcomes.ts`): a header line, then one line per query.
 */
export type OutcomeSet = {
  /** A short name, e.g. `routellm-mmlu`. */
  readonly name: string;
  /** Where the outcomes come from (a repository and commit, an evaluation run), for reports. */
  readonly source?: string | undefined;
  readonly scale: ScoreScale;
  /** The models every query has an outcome for, by the names the price catalog knows them by where it does. */
  readonly models: readonly string[];
  readonly queries: readonly OutcomeQuery[];
};

/** `binary`: 0 or 1 (correct or not); `graded`: any number in [min, max] (a judge's 1-10, a preference). */
export type ScoreScale =
  | { readonly kind: 'binary' }
  | { readonly kind: 'graded'; readonly min: number; readonly max: number };

export type OutcomeQuery = {
  readonly id: string;
  /** The text a router sees: the user's prompt (for multi-turn data, the first turn). */
  readonly prompt: string;
  /** A label for grouping in reports (an MMLU subject, an MT-Bench category). */
  readonly category?: string | undefined;
  /** One entry per model of the set. */
  readonly outcomes: Readonly<Record<string, ModelOutcome>>;
};

export type ModelOutcome = {
  readonly score: number;
  /** Tokens in and out, when known: what a price entry turns into an exact cost. */
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  /** True when the token counts are estimates (counted locally, or from a length in characters). */
  readonly estimated?: boolean | undefined;
  /** The model's answer, when recorded: what the replay provider answers with. */
  readonly response?: string | undefined;
};

/** The mean score of `model` over the queries. */
export function meanScore(set: OutcomeSet, model: string): number {
  let sum = 0;
  for (const query of set.queries) sum += query.outcomes[model]!.score;
  return set.queries.length === 0 ? Number.NaN : sum / set.queries.length;
}
