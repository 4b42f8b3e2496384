/** Options every built-in scorer takes: `name` replaces the default metric name (`exact_match` → `answer/mean`). */
export type ScorerOptions = { readonly name?: string | undefined };

/** How text is compared: `ignoreCase` folds case; `ignoreWhitespace` trims and collapses runs of white space to one. */
export type TextMatchOptions = {
  readonly ignoreCase?: boolean | undefined;
  readonly ignoreWhitespace?: boolean | undefined;
};

/** Text as `options` say to compare it. */
export function normalizeText(text: string, options: TextMatchOptions): string {
  const spaced = options.ignoreWhitespace ? text.trim().replace(/\s+/g, ' ') : text;
  return options.ignoreCase ? spaced.toLowerCase() : spaced;
}

/** Text shortened for a rationale, on one line. */
export function quoteShort(text: string, limit = 60): string {
  const shown = text.length > limit ? `${text.slice(0, limit)}…` : text;
  return `'${shown.replaceAll('\r', '\\r').replaceAll('\n', '\\n')}'`;
}
