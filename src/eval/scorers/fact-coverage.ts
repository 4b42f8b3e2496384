import { factCoverage as coverage, factSupportThreshold } from '../../core/text/fact-coverage.js';
import type { Scorer } from '../scorer.js';
import type { ScorerOptions } from './scorer-options.js';

/**
 * The share of the row's `expected_facts` the answer states, found without an LLM: a fact counts when most of its
 * content words (after case folding and light stemming) appear in the answer (see core `factCoverage`). Numeric,
 * 0 to 1, with a verdict per fact. Word matching misses synonyms: it is a cheap, deterministic floor under an LLM
 * judge's Correctness, not a replacement. A row without expected facts is an error, not a 0.
 */
export function factCoverage(
  options: ScorerOptions & { readonly threshold?: number | undefined } = {},
): Scorer {
  const threshold = options.threshold ?? factSupportThreshold;
  return {
    name: options.name ?? 'fact_coverage',
    kind: 'numeric',
    usesJudge: false,
    async score({ row, prediction }) {
      const facts = row.expectations.expected_facts;
      if (facts === undefined || facts.length === 0) {
        return { value: undefined, error: 'the row has no expectations.expected_facts' };
      }
      const result = coverage(facts, prediction.text, { threshold });
      const missing = result.perFact.filter((check) => !check.supported).map((check) => check.fact);
      return {
        value: result.supported / result.total,
        rationale:
          missing.length === 0
            ? `states all ${result.total} expected facts`
            : `states ${result.supported} of ${result.total}; missing: ${missing.join('; ')}`,
        details: {
          facts: result.perFact.map((check) => ({
            fact: check.fact,
            supported: check.supported,
            share: check.share,
            missing: check.missing,
          })),
        },
      };
    },
  };
}
