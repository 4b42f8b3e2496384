export { createRandom, type Random } from '../core/random.js';
export { type DatasetFormat, datasetFormats, formatOfFile } from './dataset/dataset-format.js';
export { loadDataset } from './dataset/load-dataset.js';
export { parseDataset } from './dataset/parse-dataset.js';
export type { EvalRow, Expectations } from './eval-row.js';
export { compareScores, type ScoreComparison } from './metrics/compare-scores.js';
export type { MetricOptions } from './metrics/metric-options.js';
export { scoreValue } from './metrics/score-value.js';
export { scorerMetrics } from './metrics/scorer-metrics.js';
export { type ScoreSummary, summarizeScores } from './metrics/summarize-scores.js';
export type { Prediction, Score, ScoreInput, ScoreKind, Scorer } from './scorer.js';
export { scoreKinds } from './scorer.js';
export { type ContainsOptions, type ContainsSource, contains, notContains } from './scorers/contains.js';
export { costThreshold } from './scorers/cost-threshold.js';
export { customScorer, type ScoreFunction } from './scorers/custom-scorer.js';
export { exactMatch } from './scorers/exact-match.js';
export type { JsonAnswerOptions } from './scorers/json-answer.js';
export { type JsonSchema, jsonSchema } from './scorers/json-schema.js';
export { jsonValid } from './scorers/json-valid.js';
export { latencyThreshold } from './scorers/latency-threshold.js';
export { type LengthBoundsOptions, lengthBounds } from './scorers/length-bounds.js';
export { regex } from './scorers/regex.js';
export type { ScorerOptions, TextMatchOptions } from './scorers/scorer-options.js';
export { type BootstrapOptions, bootstrapMeanInterval } from './statistics/bootstrap-mean.js';
export { type Interval, z95, zFor } from './statistics/interval.js';
export { mcnemarExact } from './statistics/mcnemar-exact.js';
export { comparePaired, type NumericComparison, type NumericPair } from './statistics/paired-bootstrap.js';
export {
  comparePassFail,
  type PassFailComparison,
  type PassFailPair,
} from './statistics/paired-pass-fail.js';
export { quantile } from './statistics/quantile.js';
export { meanOf, type Summary, summarize } from './statistics/summarize.js';
export { wilsonInterval } from './statistics/wilson-interval.js';
