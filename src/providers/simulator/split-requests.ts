const askVerbs =
  'explain|describe|what|how|why|when|where|which|who|list|give|compare|provide|show|tell|discuss|outline|define|name';
const andThenAsk = new RegExp(`\\s*,?\\s+and\\s+(?:also\\s+|then\\s+)?(?=(?:${askVerbs})\\b)`, 'i');
const imperative = /^(explain|describe|discuss|outline|define|compare|list)\s+(.+)$/i;

/**
 * The explicit requests of a question, for a completeness check: its sentences (split at `.`, `?`, `!`, `;`),
 * each split again where "and" starts a new ask ("What is X and how does it work?"), and an imperative over
 * two objects split into two ("Explain X and Y" → "Explain X", "Explain Y"; not "compare X and Y" and not
 * "between X and Y", which are one request).
 */
export function splitRequests(question: string): string[] {
  const sentences = question
    .split(/(?<=[.?!;])\s+|[\n]+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => /[a-z0-9]/i.test(sentence));
  return sentences.flatMap((sentence) =>
    sentence
      .split(andThenAsk)
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .flatMap(splitImperative),
  );
}

function splitImperative(part: string): string[] {
  const match = imperative.exec(part);
  if (!match || /^compare$/i.test(match[1]!) || /\bbetween\b/i.test(part)) return [part];
  const objects = match[2]!.split(/\s*,\s*(?:and\s+)?|\s+and\s+/).filter((object) => object !== '');
  if (objects.length < 2) return [part];
  const tail = /[.?!;]$/.test(part) ? part.slice(-1) : '';
  return objects.map((object, index) => {
    const text = index === objects.length - 1 ? object : `${object}${tail}`;
    return `${match[1]} ${text}`;
  });
}
