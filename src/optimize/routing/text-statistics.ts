/** The names of `textStatistics`' numbers, in order (saved with a router so a reader knows its features). */
export const textStatisticNames = [
  'log_characters',
  'log_words',
  'lines',
  'digit_share',
  'math_symbol_share',
  'uppercase_share',
  'mean_word_length',
  'question_marks',
  'code',
] as const;

/**
 * Surface statistics of a prompt that hint at how hard it is: its length, how much of it is digits or
 * arithmetic, code, questions. Cheap (one pass), language-agnostic, and a complement to an embedding, which
 * says what a prompt is about rather than how long or numeric it is.
 */
export function textStatistics(text: string): number[] {
  const length = text.length || 1;
  let digits = 0;
  let math = 0;
  let upper = 0;
  let questions = 0;
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
    else if (c === 43 || c === 45 || c === 42 || c === 47 || c === 61 || c === 94 || c === 37) math += 1;
    else if (c >= 65 && c <= 90) upper += 1;
    else if (c === 63) questions += 1;
    else if (c === 10) lines += 1;
  }
  const words = text.split(/\s+/).filter((word) => word !== '');
  const letters = words.reduce((sum, word) => sum + word.length, 0);
  return [
    Math.log1p(text.length),
    Math.log1p(words.length),
    Math.log1p(lines),
    digits / length,
    math / length,
    upper / length,
    words.length === 0 ? 0 : letters / words.length,
    Math.log1p(questions),
    /```|\bdef |\bfunction\b|[{};]\s*$/m.test(text) ? 1 : 0,
  ];
}
