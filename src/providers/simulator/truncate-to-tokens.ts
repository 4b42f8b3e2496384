/**
 * The longest prefix of `text` whose token count is at most `maxTokens`, found by binary search over
 * character positions (a provider cuts at a token boundary, which may fall inside a word; so does this).
 * Assumes counts grow with the prefix, which holds for BPE vocabularies up to a token at the cut.
 */
export function truncateToTokens(text: string, maxTokens: number, count: (text: string) => number): string {
  if (count(text) <= maxTokens) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (count(text.slice(0, middle)) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  return text.slice(0, low);
}
