import type { EvalRow } from '../eval-row.js';
import type { Score, Scorer } from '../scorer.js';
import { normalizeText, quoteShort, type ScorerOptions } from './scorer-options.js';

/** What to look for: fixed strings, or the strings under an expectation key of each row (a string or a list). */
export type ContainsSource = readonly string[] | { readonly expectation: string };

export type ContainsOptions = ScorerOptions & {
  readonly ignoreCase?: boolean | undefined;
  /** `all` (default): every string must appear; `any`: one is enough. */
  readonly match?: 'all' | 'any' | undefined;
};

/** Passes when the answer contains all (or any) of the strings. A row missing the expectation is an error. */
export function contains(source: ContainsSource, options: ContainsOptions = {}): Scorer {
  checkSource(source);
  const match = options.match ?? 'all';
  return {
    name: options.name ?? 'contains',
    kind: 'pass-fail',
    usesJudge: false,
    async score({ row, prediction }) {
      return judge(row, source, prediction.text, options.ignoreCase ?? false, (found, missing) => {
        const pass = match === 'all' ? missing.length === 0 : found.length > 0;
        const rationale =
          missing.length === 0 ? undefined : `missing ${missing.map((text) => quoteShort(text)).join(', ')}`;
        return {
          value: pass,
          details: { found, missing },
          ...(rationale === undefined ? {} : { rationale }),
        };
      });
    },
  };
}

/** Passes when the answer contains none of the strings (forbidden words, leaked secrets, "As an AI"). */
export function notContains(
  source: ContainsSource,
  options: ScorerOptions & { readonly ignoreCase?: boolean | undefined } = {},
): Scorer {
  checkSource(source);
  return {
    name: options.name ?? 'not_contains',
    kind: 'pass-fail',
    usesJudge: false,
    async score({ row, prediction }) {
      return judge(row, source, prediction.text, options.ignoreCase ?? false, (found, missing) => {
        if (found.length === 0) return { value: true, details: { found, missing } };
        return {
          value: false,
          details: { found, missing },
          rationale: `contains ${found.map((text) => quoteShort(text)).join(', ')}`,
        };
      });
    },
  };
}

function checkSource(source: ContainsSource): void {
  if (
    Array.isArray(source) &&
    (source.length === 0 || source.some((text) => typeof text !== 'string' || text === ''))
  ) {
    throw new RangeError('expected a non-empty list of non-empty strings to look for');
  }
}

function judge(
  row: EvalRow,
  source: ContainsSource,
  text: string,
  ignoreCase: boolean,
  verdict: (found: string[], missing: string[]) => Score,
): Score {
  const needles = needlesFor(row, source);
  if (typeof needles === 'string') return { value: undefined, error: needles };
  const haystack = normalizeText(text, { ignoreCase });
  const found = needles.filter((needle) => haystack.includes(normalizeText(needle, { ignoreCase })));
  return verdict(
    found,
    needles.filter((needle) => !found.includes(needle)),
  );
}

/** The strings to look for in this row, or why there are none. */
function needlesFor(row: EvalRow, source: ContainsSource): readonly string[] | string {
  if (Array.isArray(source)) return source as readonly string[];
  const key = (source as { readonly expectation: string }).expectation;
  const value = row.expectations[key];
  if (typeof value === 'string' && value !== '') return [value];
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => typeof item === 'string' && item !== '')
  ) {
    return value as string[];
  }
  return value === undefined
    ? `the row has no expectations.${key}`
    : `expectations.${key} must be a non-empty string or list of non-empty strings`;
}
