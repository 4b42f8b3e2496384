/**
 * What frugal's LLM judges are asked, as data: the judge prompts carry it as JSON in a fenced ```frugal-judge
 * block, which the offline simulated judge reads. One definition for both sides of that protocol.
 */

/** The five LLM judges, by the metric name each gives (MLflow's names, snake_case). */
export const judgeNames = [
  'correctness',
  'completeness',
  'guidelines',
  'relevance_to_query',
  'equivalence',
] as const;
export type JudgeName = (typeof judgeNames)[number];

/** What a judge is asked about one answer. Also sent as JSON in a ```frugal-judge block (the simulator reads it). */
export type JudgeCase = {
  readonly scorer: JudgeName;
  readonly question: string;
  readonly answer: string;
  readonly expected_facts?: readonly string[] | undefined;
  readonly expected_response?: string | undefined;
  readonly guidelines?: readonly string[] | undefined;
};
