/** One rewrite rule: what it matches and what it becomes, with a name for the report. */
type Rule = { readonly name: string; readonly pattern: RegExp; readonly replacement: string };

/**
 * Rules that shorten instructions without changing what they ask: filler and politeness that models do not
 * need, wordy phrases with short equivalents, decoration. Conservative on purpose: nothing that carries a
 * requirement (numbers, "never", "must", names, formats) is touched. Case-insensitive; applied in order.
 */
const rules: readonly Rule[] = [
  { name: 'filler', pattern: /\b(please )?note that\s+/gi, replacement: '' },
  { name: 'politeness', pattern: /\b(please|kindly)\s+/gi, replacement: '' },
  {
    name: 'filler',
    pattern: /\b(basically|essentially|actually|really|simply)\s+/gi,
    replacement: '',
  },
  { name: 'filler', pattern: /\bit is (important|essential|crucial) (that you|to)\s+/gi, replacement: '' },
  { name: 'filler', pattern: /\b(make sure|ensure) (that )?(you )?(to )?/gi, replacement: '' },
  {
    name: 'filler',
    pattern: /\b(I would like you to|I want you to|your task is to|you should)\s+/gi,
    replacement: '',
  },
  { name: 'filler', pattern: /\bas an AI( language model)?,?\s*/gi, replacement: '' },
  { name: 'wordy', pattern: /\bin order to\b/gi, replacement: 'to' },
  { name: 'wordy', pattern: /\bdue to the fact that\b/gi, replacement: 'because' },
  { name: 'wordy', pattern: /\bat this point in time\b/gi, replacement: 'now' },
  { name: 'wordy', pattern: /\bin the event that\b/gi, replacement: 'if' },
  { name: 'wordy', pattern: /\bwith regard to\b|\bwith respect to\b/gi, replacement: 'about' },
  { name: 'wordy', pattern: /\ba (large )?number of\b/gi, replacement: 'many' },
  { name: 'wordy', pattern: /\bprior to\b/gi, replacement: 'before' },
  { name: 'wordy', pattern: /\bin addition,?\s*/gi, replacement: 'also ' },
  { name: 'decoration', pattern: /\*\*([^*]+)\*\*/g, replacement: '$1' },
  { name: 'decoration', pattern: /^#{1,6}\s+/gm, replacement: '' },
  { name: 'whitespace', pattern: /[ \t]+/g, replacement: ' ' },
  { name: 'whitespace', pattern: /\n{3,}/g, replacement: '\n\n' },
  { name: 'whitespace', pattern: / +\n/g, replacement: '\n' },
];

export type CompressedText = {
  readonly text: string;
  /** The names of the rules that changed something, each once, in order. */
  readonly applied: readonly string[];
};

/**
 * The rule-based compressor: rewrites a prompt with the rules above and drops a sentence repeated word for word.
 * Deterministic and free; what it saves (and whether quality holds) is for an evaluation to say.
 */
export function compressWithRules(text: string): CompressedText {
  const applied = new Set<string>();
  let current = text;
  for (const rule of rules) {
    const next = current.replace(rule.pattern, rule.replacement);
    if (next !== current) applied.add(rule.name);
    current = next;
  }
  const seen = new Set<string>();
  const sentences = current.split(/(?<=[.!?])\s+/);
  const kept = sentences.filter((sentence) => {
    const key = sentence.trim().toLowerCase();
    if (key === '' || !seen.has(key)) {
      seen.add(key);
      return true;
    }
    return false;
  });
  if (kept.length < sentences.length) applied.add('repeated sentence');
  // A sentence whose first word a rule removed starts lower-case: capitalise it again.
  const joined = kept
    .join(' ')
    .replace(
      /(^|[.!?]\s+|\n\s*)([a-z])/g,
      (_match, before: string, letter: string) => before + letter.toUpperCase(),
    );
  return { text: joined.trim(), applied: [...applied] };
}
