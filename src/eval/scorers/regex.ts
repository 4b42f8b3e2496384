import type { Scorer } from '../scorer.js';
import { quoteShort, type ScorerOptions } from './scorer-options.js';

/**
 * Passes when the answer matches the pattern (or, with `mustMatch: false`, when it does not). A string pattern
 * is compiled with no flags; `g` and `y` flags are dropped so matching never depends on an earlier call.
 */
export function regex(
  pattern: RegExp | string,
  options: ScorerOptions & { readonly mustMatch?: boolean | undefined } = {},
): Scorer {
  const source = typeof pattern === 'string' ? new RegExp(pattern) : pattern;
  const compiled = new RegExp(source.source, source.flags.replace(/[gy]/g, ''));
  const mustMatch = options.mustMatch ?? true;
  return {
    name: options.name ?? 'regex',
    kind: 'pass-fail',
    usesJudge: false,
    async score({ prediction }) {
      const match = compiled.exec(prediction.text);
      const details = { pattern: String(compiled), match: match?.[0] };
      if ((match !== null) === mustMatch) return { value: true, details };
      const rationale =
        match === null ? `no match for ${compiled}` : `matched ${quoteShort(match[0])}, which is not allowed`;
      return { value: false, rationale, details };
    },
  };
}
