/** Options for scorers that read the answer as JSON. */
export type JsonAnswerOptions = {
  /** Accept an answer wrapped in one Markdown code fence (```json ... ```), as chat models often reply. */
  readonly allowCodeFence?: boolean | undefined;
};

/** The answer parsed as JSON, or why it is not JSON. */
export function readJsonAnswer(
  text: string,
  options: JsonAnswerOptions,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string } {
  const fenced = options.allowCodeFence ? /^\s*```[\w-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```\s*$/.exec(text) : null;
  const body = fenced?.[1] ?? text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, problem: `not valid JSON: ${(error as Error).message}` };
  }
}
