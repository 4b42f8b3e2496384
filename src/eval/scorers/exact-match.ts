import type { Scorer } from '../scorer.js';
import { normalizeText, quoteShort, type ScorerOptions, type TextMatchOptions } from './scorer-options.js';

/**
 * Passes when the answer equals the row's `expectations.expected_response` (exactly, or ignoring case and/or
 * white space). A row without an expected response is an error, not a fail.
 */
export function exactMatch(options: ScorerOptions & TextMatchOptions = {}): Scorer {
  return {
    name: options.name ?? 'exact_match',
    kind: 'pass-fail',
    usesJudge: false,
    async score({ row, prediction }) {
      const expected = row.expectations.expected_response;
      if (typeof expected !== 'string')
        return { value: undefined, error: 'the row has no expectations.expected_response' };
      const pass = normalizeText(prediction.text, options) === normalizeText(expected, options);
      return pass
        ? { value: true }
        : { value: false, rationale: `expected ${quoteShort(expected)}, got ${quoteShort(prediction.text)}` };
    },
  };
}
