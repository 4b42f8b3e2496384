import {
  multiplyRationals,
  type Rational,
  rational,
  rationalToPicodollars,
} from '../../core/analysis/rational.js';
import type { Picodollars } from '../../core/money.js';

export const riskLevels = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type RiskLevel = (typeof riskLevels)[number];

/** One threshold's outcome on labelled pairs, each pair read as (cached question, incoming question). */
export type ThresholdRow = {
  readonly threshold: number;
  /** Pairs whose similarity is ≥ the threshold: the incoming question would be answered from the cache. */
  readonly hits: number;
  /** Hits on non-duplicate pairs: a wrong answer served. */
  readonly falseHits: number;
  /** hits / pairs. */
  readonly hitRate: number;
  /** falseHits / hits (0 without hits): the share of cache-served answers that are wrong. */
  readonly falseHitRate: number;
  /** volume × (hits − falseHits) / pairs × cost per query: only correct answers count as saved calls. */
  readonly monthlySavings: Picodollars;
  /** As the seed: HIGH above 5% false hits, MEDIUM above 1%, else LOW. */
  readonly risk: RiskLevel;
};

export type CalibrationOptions = {
  readonly thresholds: readonly number[];
  /** Queries per month. */
  readonly volume: bigint;
  /** Dollars one LLM call costs, exact. */
  readonly costPerQuery: Rational;
  /** The false-hit rate (share of served answers that are wrong) the recommendation must not exceed. */
  readonly maxFalseHitRate: number;
};

export type Calibration = {
  readonly pairs: number;
  readonly duplicates: number;
  /** Ascending by threshold. */
  readonly rows: readonly ThresholdRow[];
  /** The lowest threshold with hits whose false-hit rate is within the budget (the most savings); or none. */
  readonly recommended: ThresholdRow | undefined;
};

/** Risk from exact counts: HIGH when falseHits/hits > 5%, MEDIUM when > 1%. */
function riskOf(hits: number, falseHits: number): RiskLevel {
  if (falseHits * 20 > hits) return 'HIGH';
  return falseHits * 100 > hits ? 'MEDIUM' : 'LOW';
}

/**
 * The seed's threshold table computed from real labelled pairs: for each threshold, how many pairs would be
 * hits and how many of those are wrong, what the correct hits save at a monthly volume, and the risk level.
 * Rates are shares of labelled pairs, so they carry the pairs' mix (e.g. 38% duplicates in the Quora sample),
 * not a production repeat rate: read them as "of questions that have a cached near-match like these".
 */
export function calibrateThresholds(
  similarities: readonly number[],
  duplicates: readonly boolean[],
  options: CalibrationOptions,
): Calibration {
  const pairs = similarities.length;
  const rows = [...new Set(options.thresholds)]
    .sort((a, b) => a - b)
    .map((threshold): ThresholdRow => {
      let hits = 0;
      let falseHits = 0;
      similarities.forEach((similarity, index) => {
        if (similarity < threshold) return;
        hits += 1;
        if (!duplicates[index]) falseHits += 1;
      });
      const correct = rational(BigInt(hits - falseHits), BigInt(pairs));
      return {
        threshold,
        hits,
        falseHits,
        hitRate: hits / pairs,
        falseHitRate: hits === 0 ? 0 : falseHits / hits,
        monthlySavings: rationalToPicodollars(
          multiplyRationals(rational(options.volume), options.costPerQuery, correct),
        ),
        risk: riskOf(hits, falseHits),
      };
    });
  const recommended = rows.find((row) => row.hits > 0 && row.falseHitRate <= options.maxFalseHitRate);
  return { pairs, duplicates: duplicates.filter(Boolean).length, rows, recommended };
}
