import type { EvalRow } from '../../eval/eval-row.js';

/**
 * Seed 000's dataset (MLflow's "Cost-Quality Tradeoff Analysis Across LLM Providers" tutorial): six technical
 * questions with the expected facts the tutorial gives, and its system prompt. `frugal demo` runs on it.
 */
export const seed000Questions: readonly { readonly question: string; readonly facts: readonly string[] }[] = [
  {
    question: 'What is a database index?',
    facts: ['data structure that improves query speed', 'trades write performance for read performance'],
  },
  {
    question: 'Explain the CAP theorem in distributed systems.',
    facts: [
      'consistency',
      'availability',
      'partition tolerance',
      'cannot guarantee all three simultaneously',
    ],
  },
  {
    question: 'What is the difference between TCP and UDP?',
    facts: ['TCP is connection-oriented', 'UDP is connectionless', 'TCP guarantees delivery'],
  },
  {
    question: 'How does garbage collection work in Java?',
    facts: ['automatic memory management', 'identifies unreachable objects', 'reclaims memory'],
  },
  {
    question: 'What is a race condition?',
    facts: ['concurrent access to shared resource', 'outcome depends on timing'],
  },
  {
    question: 'Explain how TLS/SSL handshake works.',
    facts: ['client hello and server hello', 'certificate exchange', 'symmetric key establishment'],
  },
];

export const seed000SystemPrompt =
  'You are a senior software engineer. Answer technical questions accurately and concisely in 2-4 sentences.';

/** The questions as dataset rows in MLflow's shape. */
export const seed000Rows: readonly EvalRow[] = seed000Questions.map((entry, index) => ({
  id: `row-${index + 1}`,
  index,
  inputs: { question: entry.question },
  expectations: { expected_facts: entry.facts },
}));
