/**
 * Token usage of one LLM call, in frugal's single convention.
 *
 * - `input`: every prompt token the provider billed, INCLUDING cached reads and cache writes.
 * - `cachedInput`: the part of `input` read from the provider's prompt cache.
 * - `cacheWrite`: the part of `input` written to the prompt cache at the 5-minute (default) rate.
 * - `cacheWrite1h`: the part of `input` written to the prompt cache at the 1-hour rate (Anthropic).
 * - `output`: every generated token the provider billed, INCLUDING reasoning tokens.
 * - `reasoning`: the part of `output` spent on hidden reasoning / thinking.
 *
 * So fresh (uncached, unwritten) input = input − cachedInput − cacheWrite − cacheWrite1h, and
 * visible output = output − reasoning. Every field is `undefined` when the provider did not report
 * it: undefined means "unknown", never zero. Providers whose wire format counts differently (Anthropic's
 * `input_tokens` excludes cache tokens; Gemini's `candidatesTokenCount` excludes thoughts) are converted
 * to this convention in `usage-from-wire.ts`, and nowhere else.
 */
export type Usage = {
  readonly input?: number | undefined;
  readonly cachedInput?: number | undefined;
  readonly cacheWrite?: number | undefined;
  readonly cacheWrite1h?: number | undefined;
  readonly output?: number | undefined;
  readonly reasoning?: number | undefined;
};

export const usageFields = [
  'input',
  'cachedInput',
  'cacheWrite',
  'cacheWrite1h',
  'output',
  'reasoning',
] as const;
export type UsageField = (typeof usageFields)[number];

/** A problem that makes a usage record impossible (counts that contradict each other). */
export type UsageProblem = { readonly field: UsageField; readonly message: string };

/** Checks that every count is a non-negative integer and that the parts fit in their totals. */
export function validateUsage(usage: Usage): UsageProblem[] {
  const problems: UsageProblem[] = [];
  for (const field of usageFields) {
    const value = usage[field];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      problems.push({ field, message: `must be a non-negative integer, got ${value}` });
    }
  }
  if (problems.length > 0) return problems;
  const cacheParts = (usage.cachedInput ?? 0) + (usage.cacheWrite ?? 0) + (usage.cacheWrite1h ?? 0);
  if (usage.input !== undefined && cacheParts > usage.input) {
    problems.push({
      field: 'input',
      message: `cached input + cache writes (${cacheParts}) exceed input (${usage.input}); input must include them`,
    });
  }
  if (usage.output !== undefined && usage.reasoning !== undefined && usage.reasoning > usage.output) {
    problems.push({
      field: 'output',
      message: `reasoning (${usage.reasoning}) exceeds output (${usage.output}); output must include it`,
    });
  }
  return problems;
}

/** Adds usages field by field; a field stays undefined only if it is undefined in every operand. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Record<string, number | undefined> = {};
  for (const field of usageFields) {
    const x = a[field];
    const y = b[field];
    sum[field] = x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  }
  return sum as Usage;
}

/** Total tokens (input + output), or undefined when either is unknown. */
export function totalTokens(usage: Usage): number | undefined {
  if (usage.input === undefined || usage.output === undefined) return undefined;
  return usage.input + usage.output;
}
