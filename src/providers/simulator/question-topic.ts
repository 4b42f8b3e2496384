import { isStopword, plainWords, stemWord } from '../../core/text/content-words.js';

const leadIns = [
  /^(?:can|could|would) you\s+/i,
  /^please\s+/i,
  /^(?:explain|describe|tell me|discuss|outline|summari[sz]e)\s+(?:how|what|why)\s+/i,
  /^(?:explain|describe|tell me about|discuss|outline|summari[sz]e|define)\s+/i,
  /^(?:what|who|which)\s+(?:is|are|was|were)\s+/i,
  /^how\s+(?:does|do|is|are|can|should)\s+/i,
  /^(?:why|when|where)\s+(?:is|are|does|do|should|would)\s+/i,
];

/**
 * The subject of a question, for sentences about it: lead-ins and a trailing "work(s)" dropped.
 * "What is a database index?" → "a database index"; "How does garbage collection work in Java?" →
 * "garbage collection in Java"; "Explain how TLS/SSL handshake works." → "TLS/SSL handshake".
 */
export function questionTopic(question: string): string {
  let topic = question.trim().replace(/[\s?.!:]+$/, '');
  for (const leadIn of leadIns) topic = topic.replace(leadIn, '');
  topic = topic.replace(/\s+works?\b/i, '').trim();
  return topic === '' ? 'this question' : topic;
}

/**
 * Up to `limit` distinct key terms of a question, as written (lower case): stopwords, numbers and ask verbs
 * ("explain", "works", ...) dropped.
 */
export function keyTerms(question: string, limit = 4): string[] {
  const verbs = new Set(
    ['explain', 'describe', 'tell', 'discuss', 'outline', 'define', 'difference', 'work'].map(stemWord),
  );
  const terms = plainWords(question).filter(
    (word) => !isStopword(word) && !/^\d+$/.test(word) && !verbs.has(stemWord(word)),
  );
  return [...new Set(terms)].slice(0, limit);
}
