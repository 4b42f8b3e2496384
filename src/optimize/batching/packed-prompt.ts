/**
 * The prompt that asks several items at once: each item inside `<item id="n">` tags, numbered from 1, and the
 * answers asked for as one JSON array of `{ "item": n, "answer": "..." }` objects.
 */
export function packedPrompt(prompts: readonly string[]): string {
  const count = prompts.length;
  return [
    `Answer each of the ${count} items below on its own, exactly as if it were the only question asked.`,
    `Reply with only a JSON array of ${count} objects, one per item, in order: [{"item": 1, "answer": "..."}, ...].`,
    'Each answer is a JSON string. Write nothing before or after the array.',
    '',
    ...prompts.map((prompt, index) => `<item id="${index + 1}">\n${prompt}\n</item>`),
  ].join('\n');
}

/** The array inside a reply: the whole text, a fenced block, or the span from the first `[` to the last `]`. */
function arrayIn(text: string): unknown[] | undefined {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text)?.[1];
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  const candidates = [text, fenced, start >= 0 && end > start ? text.slice(start, end + 1) : undefined];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    let value: unknown;
    try {
      value = JSON.parse(candidate);
    } catch {
      continue;
    }
    if (Array.isArray(value)) return value;
    const arrays = Object.values(typeof value === 'object' && value !== null ? value : {}).filter(
      Array.isArray,
    );
    if (arrays.length === 1) return arrays[0];
  }
  return undefined;
}

/**
 * The answers of a packed reply, by item (index 0 = item 1): an item's answer is undefined when the reply has
 * no usable one for it — no parseable array, no entry for its number, an empty or non-string answer, or two
 * entries for the same number. A bare array of exactly `count` strings is read in order.
 */
export function parsePackedAnswer(text: string, count: number): (string | undefined)[] {
  const answers: (string | undefined)[] = new Array(count).fill(undefined);
  const entries = arrayIn(text);
  if (entries === undefined) return answers;
  if (entries.length === count && entries.every((entry) => typeof entry === 'string')) {
    return entries.map((entry) => (entry.trim() === '' ? undefined : entry));
  }
  const repeated = new Set<number>();
  for (const entry of entries) {
    const { item, answer } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
      string,
      unknown
    >;
    const number = typeof item === 'string' && /^\d+$/.test(item) ? Number(item) : item;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > count) continue;
    if (answers[number - 1] !== undefined || repeated.has(number)) {
      repeated.add(number);
      answers[number - 1] = undefined;
      continue;
    }
    if (typeof answer === 'string' && answer.trim() !== '') answers[number - 1] = answer;
    else repeated.add(number);
  }
  return answers;
}
